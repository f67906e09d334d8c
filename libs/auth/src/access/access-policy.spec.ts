import { AccessPolicy, ApiKeyPrincipal, AppError, UserPrincipal } from '@fangxun/common';
import { authorize, readCredentials } from './access-policy';

const warden: UserPrincipal = {
  kind: 'user',
  userId: 'u1',
  username: 'warden-a',
  role: 'warden',
  divisionId: 'd1',
  divisionCode: '331082001001G01',
  divisionPath: '331082.331082001.331082001001.331082001001G01',
};
const feedKey: ApiKeyPrincipal = { kind: 'api_key', keyId: 'k1', name: 'hydrology feed', scopes: ['feeds:write'] };

function refusal(fn: () => void): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('authorize: who may pass a route policy', () => {
  const wardensAndCommanders: AccessPolicy = { kind: 'roles', roles: ['commander', 'warden'] };
  const commandersOnly: AccessPolicy = { kind: 'roles', roles: ['commander'] };

  it('lets a user through when the policy lists its role', () => {
    expect(() => authorize(wardensAndCommanders, warden)).not.toThrow();
  });

  it('refuses a user whose role is not listed with 403 naming the role', () => {
    expect(refusal(() => authorize(commandersOnly, warden))).toEqual({ code: 'FORBIDDEN', message: 'role warden may not call this route' });
  });

  it('refuses users on API-key-only routes', () => {
    expect(refusal(() => authorize({ kind: 'api_key', scope: 'feeds:write' }, warden)).code).toBe('FORBIDDEN');
  });

  it('accepts an API key only where the policy names a scope the key holds', () => {
    expect(() => authorize({ kind: 'api_key', scope: 'feeds:write' }, feedKey)).not.toThrow();
    expect(() => authorize({ kind: 'roles', roles: ['commander'], apiKeyScope: 'feeds:write' }, feedKey)).not.toThrow();
    expect(refusal(() => authorize({ kind: 'api_key', scope: 'sms:callback' }, feedKey)).message).toBe('API key lacks scope sms:callback');
    expect(refusal(() => authorize({ kind: 'roles', roles: ['commander'], apiKeyScope: 'registry:read' }, feedKey)).code).toBe('FORBIDDEN');
    expect(refusal(() => authorize(commandersOnly, feedKey)).message).toBe('API keys are not accepted on this route');
  });
});

describe('readCredentials: what a request presents', () => {
  it('reads a bearer token (scheme case-insensitive) or an API key', () => {
    expect(readCredentials({ authorization: 'Bearer abc.def.ghi' })).toEqual({ kind: 'bearer', token: 'abc.def.ghi' });
    expect(readCredentials({ authorization: 'bearer abc' })).toEqual({ kind: 'bearer', token: 'abc' });
    expect(readCredentials({ 'x-api-key': ' fx_key ' })).toEqual({ kind: 'api_key', key: 'fx_key' });
    expect(readCredentials({})).toBeUndefined();
  });

  it('refuses other schemes and both credentials at once with 401', () => {
    expect(refusal(() => readCredentials({ authorization: 'Basic dXNlcjpwYXNz' })).code).toBe('UNAUTHENTICATED');
    expect(refusal(() => readCredentials({ authorization: 'Bearer a', 'x-api-key': 'fx_b' })).code).toBe('UNAUTHENTICATED');
  });
});
