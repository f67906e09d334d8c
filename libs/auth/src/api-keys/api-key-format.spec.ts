import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key-format';

describe('API key format fx_<prefix>_<secret>', () => {
  it('generates an 8-character base62 prefix and a 256-bit base64url secret that parse back', () => {
    for (let i = 0; i < 200; i++) {
      const k = generateApiKey();
      expect(k.key).toMatch(/^fx_[0-9A-Za-z]{8}_[A-Za-z0-9_-]{43}$/);
      const parsed = parseApiKey(k.key);
      expect(parsed?.prefix).toBe(k.prefix);
      expect(secretMatches(parsed!.secret, k.hash)).toBe(true);
    }
  });

  it('rejects malformed keys and wrong secrets', () => {
    const k = generateApiKey();
    expect(parseApiKey(k.key.slice(0, -1))).toBeUndefined();
    expect(parseApiKey(`xx${k.key.slice(2)}`)).toBeUndefined();
    expect(parseApiKey('')).toBeUndefined();
    const other = parseApiKey(generateApiKey().key)!;
    expect(secretMatches(other.secret, k.hash)).toBe(false);
    expect(secretMatches('x', Buffer.alloc(3))).toBe(false);
    expect(hashSecret('abc')).toHaveLength(32);
  });
});
