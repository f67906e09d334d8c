import { AckLinkSigner } from './ack-link';

describe('AckLinkSigner', () => {
  const signer = new AckLinkSigner('a-secret-of-at-least-thirty-two-characters!');
  const callId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  const exp = new Date('2026-07-01T08:00:00Z');

  it('round-trips the call id and expiry in a 48-character URL-safe token', () => {
    const t = signer.sign(callId, exp);
    expect(t).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(signer.verify(t)).toEqual({ callId, expiresAt: exp });
  });

  it('refuses a token with any character changed, another key, or garbage', () => {
    const t = signer.sign(callId, exp);
    for (let i = 0; i < t.length; i++) {
      const c = t[i] === 'A' ? 'B' : 'A';
      const forged = t.slice(0, i) + c + t.slice(i + 1);
      expect(signer.verify(forged)).toBeNull();
    }
    expect(new AckLinkSigner('another-secret-of-at-least-thirty-two-chars').verify(t)).toBeNull();
    expect(signer.verify('')).toBeNull();
    expect(signer.verify('x'.repeat(48))).toBeNull();
    expect(signer.verify(`${t}=`)).toBeNull();
  });
});
