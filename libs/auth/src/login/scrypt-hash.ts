import { randomBytes, scrypt as scryptCb, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes with scrypt from Node's own crypto (memory-hard, no native addon to break:
 * the argon2 package's prebuilt binary crashed on some machines). Stored as a PHC-style string
 * `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` so parameters travel with each hash and can be raised.
 */
export interface ScryptParams {
  costLog2: number;
  blockSize: number;
  parallelization: number;
}

const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, p: ScryptParams): Promise<Buffer> {
  const N = 2 ** p.costLog2;
  const options: ScryptOptions = { N, r: p.blockSize, p: p.parallelization, maxmem: 256 * N * p.blockSize };
  return new Promise((resolve, reject) => scryptCb(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return `$scrypt$ln=${params.costLog2},r=${params.blockSize},p=${params.parallelization}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{40,64})$/;

export function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const m = FORMAT.exec(stored);
  if (!m) return undefined;
  const params = { costLog2: Number(m[1]), blockSize: Number(m[2]), parallelization: Number(m[3]) };
  if (params.costLog2 < 10 || params.costLog2 > 22) return undefined;
  return { params, salt: Buffer.from(m[4], 'base64url'), key: Buffer.from(m[5], 'base64url') };
}

/** False (never an exception) for a wrong password or an unreadable hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}
