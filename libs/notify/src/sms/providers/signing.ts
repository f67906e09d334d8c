import { createHash, createHmac } from 'node:crypto';

/**
 * Request signing, exactly as each provider documents it.
 *
 * Aliyun RPC (Dysmsapi 2017-05-25, SignatureVersion 1.0, SignatureMethod HMAC-SHA1):
 *   canonicalized = sorted(params without Signature).map(k => enc(k) + '=' + enc(v)).join('&')
 *   stringToSign  = METHOD + '&' + enc('/') + '&' + enc(canonicalized)
 *   Signature     = base64(HMAC-SHA1(AccessKeySecret + '&', stringToSign))
 * where enc is RFC 3986 percent-encoding (only A-Z a-z 0-9 - _ . ~ kept, space = %20, UTF-8).
 *
 * Tencent Cloud API 3.0 (TC3-HMAC-SHA256):
 *   CanonicalRequest = METHOD \n URI \n QUERY \n CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
 *   StringToSign     = 'TC3-HMAC-SHA256' \n timestamp \n date/service/tc3_request \n hex(SHA256(CanonicalRequest))
 *   key = HMAC(HMAC(HMAC('TC3' + SecretKey, date), service), 'tc3_request'); Signature = hex(HMAC(key, StringToSign))
 * with date the UTC day (YYYY-MM-DD) of the X-TC-Timestamp.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

export function aliyunSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(aliyunStringToSign(method, params), 'utf8').digest('base64');
}

const sha256hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  action: string;
  payload: string;
  timestamp: number;
  contentType?: string;
}

export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** The Authorization header value of a TC3-HMAC-SHA256 POST to `/` signing content-type and host. */
export function tc3Authorization(i: Tc3Input): string {
  const contentType = i.contentType ?? 'application/json; charset=utf-8';
  const signedHeaders = 'content-type;host';
  const canonicalRequest = ['POST', '/', '', `content-type:${contentType}\nhost:${i.host}\n`, signedHeaders, sha256hex(i.payload)].join(
    '\n',
  );
  const date = tc3Date(i.timestamp);
  const scope = `${date}/${i.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(i.timestamp), scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${i.secretKey}`, date), i.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${i.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Our own body signature (generic gateway, both directions): hex HMAC-SHA256 of `${timestamp}.${body}`. */
export function bodySignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}
