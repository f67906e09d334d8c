import { timingSafeEqual } from 'node:crypto';
import type { CallbackRequest } from '../sms.types';
import { bodySignature } from './signing';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Aliyun and Tencent do not sign their HTTP pushes; the URL registered in their console
 * carries `?token=<callbackSecret>`, which we compare in constant time. No secret configured:
 * every push is refused (fail closed).
 */
export function verifyToken(req: CallbackRequest, secret: string | undefined): boolean {
  const token = req.query.token;
  return !!secret && typeof token === 'string' && safeEqual(token, secret);
}

/**
 * Generic gateway pushes: X-Fangxun-Timestamp (Unix seconds, within maxSkewSeconds of our
 * clock) and X-Fangxun-Signature = hex HMAC-SHA256(callbackSecret, `${timestamp}.${raw body}`).
 */
export function verifyBodySignature(req: CallbackRequest, secret: string | undefined, maxSkewSeconds: number): boolean {
  const ts = req.headers['x-fangxun-timestamp'];
  const sig = req.headers['x-fangxun-signature'];
  if (!secret || typeof ts !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(req.now.getTime() / 1000 - Number(ts)) > maxSkewSeconds) return false;
  return safeEqual(sig.toLowerCase(), bodySignature(secret, ts, req.rawBody));
}
