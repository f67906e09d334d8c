import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * One-tap acknowledgement links for SMS: `<callId as 16 bytes><expiry seconds as 4 bytes>` and
 * an HMAC-SHA256 tag (truncated to 16 bytes: forging needs 2^128 tries) over them, base64url,
 * 48 characters. Bound to one call; no database lookup is needed to refuse a forged link.
 * The key is derived from the JWT secret with HKDF under its own label, so one secret rotates
 * both and a link can never be replayed as a token or the reverse.
 */
export class AckLinkSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'fangxun wakeup ack link v1', 32));
  }

  sign(callId: string, expiresAt: Date): string {
    const body = Buffer.concat([uuidBytes(callId), u32(Math.floor(expiresAt.getTime() / 1000))]);
    return Buffer.concat([body, this.tag(body)]).toString('base64url');
  }

  /** The call id and expiry if the token is ours and intact; null otherwise (expiry is the caller's check). */
  verify(token: string): { callId: string; expiresAt: Date } | null {
    if (!/^[A-Za-z0-9_-]{48}$/.test(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== 36) return null;
    const body = raw.subarray(0, 20);
    if (!timingSafeEqual(raw.subarray(20), this.tag(body))) return null;
    return { callId: uuidString(body.subarray(0, 16)), expiresAt: new Date(body.readUInt32BE(16) * 1000) };
  }

  private tag(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16);
  }
}

function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a uuid: ${id}`);
  return Buffer.from(hex, 'hex');
}

function uuidString(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
