import type { RealtimePrincipal } from './realtime.types';
import { HandshakeError, parseLastEventId, subscriptionFor, tokenExpiry } from './realtime-handshake';

const base: RealtimePrincipal = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'u',
  role: 'town_admin',
  divisionId: 'd',
  divisionCode: '331082001',
  divisionPath: '331082.331082001',
  holderId: null,
};

describe('socket rooms from the principal', () => {
  it('a town admin watches his town only; city-wide roles watch the city and the command room', () => {
    expect(subscriptionFor('command', base)).toEqual({ rooms: ['division:331082001'], scopePath: '331082.331082001' });
    for (const role of ['commander', 'duty_officer', 'auditor'] as const) {
      expect(subscriptionFor('command', { ...base, role })).toEqual({ rooms: ['division:331082', 'command'], scopePath: '331082' });
    }
    expect(subscriptionFor('command', { ...base, role: 'village_admin', divisionPath: '331082.331082001.331082001001' }).rooms).toEqual([
      'division:331082001001',
    ]);
  });

  it('a warden gets his person and user rooms; without a holder, or on /command, he is refused', () => {
    const warden = { ...base, role: 'warden' as const, holderId: '00000000-0000-4000-8000-0000000000aa' };
    expect(subscriptionFor('warden', warden)).toEqual({ rooms: [`person:${warden.holderId}`, `user:${base.userId}`], scopePath: null });
    expect(() => subscriptionFor('command', warden)).toThrow(HandshakeError);
    expect(() => subscriptionFor('warden', base)).toThrow('FORBIDDEN');
  });

  it('lastEventId: absent, a number or a digit string; anything else is refused', () => {
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId('')).toBeUndefined();
    expect(parseLastEventId(0)).toBe(0);
    expect(parseLastEventId('42')).toBe(42);
    for (const bad of [-1, 1.5, 'x', '1e3', {}, [], Number.MAX_SAFE_INTEGER + 1, '9'.repeat(20)]) {
      expect(() => parseLastEventId(bad)).toThrow('VALIDATION_FAILED');
    }
  });

  it('reads exp from a token and shrugs at garbage', () => {
    const token = `x.${Buffer.from(JSON.stringify({ exp: 1_800_000_000 })).toString('base64url')}.y`;
    expect(tokenExpiry(token)).toBe(1_800_000_000_000);
    expect(tokenExpiry('garbage')).toBeUndefined();
  });
});
