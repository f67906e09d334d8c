import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PREFIX_LENGTH = 8;
/** `fx_<8 base62>_<43 base64url>`; the secret may itself contain `_` and `-`. */
const KEY_PATTERN = /^fx_([0-9A-Za-z]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  /** The plaintext key, shown to its creator once and never stored. */
  key: string;
  prefix: string;
  hash: Buffer;
}

/** A fresh key: a random prefix (the lookup handle) and 32 random bytes of secret. */
export function generateApiKey(): NewApiKey {
  // randomInt is uniform (no modulo bias), so every prefix character carries log2(62) bits.
  const prefix = Array.from({ length: API_KEY_PREFIX_LENGTH }, () => BASE62[randomInt(BASE62.length)]).join('');
  const secret = randomBytes(32).toString('base64url');
  return { key: `fx_${prefix}_${secret}`, prefix, hash: hashSecret(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | undefined {
  const m = KEY_PATTERN.exec(key);
  return m ? { prefix: m[1], secret: m[2] } : undefined;
}

/**
 * SHA-256, not scrypt: the secret is 256 random bits, so no amount of guessing speed makes
 * brute force feasible and a slow hash would buy nothing. Slow hashes exist for low-entropy
 * passwords; here they would only cost ~20 ms of CPU on every machine request.
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}
