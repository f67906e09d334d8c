import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV_MAP } from './env-map';
import { ConfigError, loadConfig } from './load-config';
import { SMS_ENV_LISTS, SMS_PROVIDER_ENV } from './sms-env';

const base = { NODE_ENV: 'development', JWT_SECRET: 'x'.repeat(40) };

describe('configuration', () => {
  it('reads config/default.yaml and lets environment variables override single keys', () => {
    const config = loadConfig({ ...base, PORT: '8080', LOGIN_MAX_ATTEMPTS: '3', LOG_PRETTY: 'true' });
    expect(config.http.port).toBe(8080);
    expect(config.auth.login.maxAttempts).toBe(3);
    expect(config.log.pretty).toBe(true);
    expect(config.seed.fakePhonePrefix).toBe('+86199000');
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('reports every bad key at once, with its environment variable', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'development', PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT: "eighty" is not a number');
    expect(problems).toContain('database.url (DATABASE_URL)');
    expect(problems).toContain('auth.jwtSecret (JWT_SECRET)');
    expect(problems).toContain('log.level (LOG_LEVEL)');
  });

  it('refuses to start without a JWT secret and refuses a demo password in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'development' })).toThrow(/auth.jwtSecret/);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', SEED_DEMO_PASSWORD: 'password123' })).toThrow(/demoPassword/);
  });

  it('documents every environment variable in .env.example', () => {
    const example = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    for (const name of Object.keys(ENV_MAP)) expect(example).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
    for (const name of Object.keys(SMS_ENV_LISTS)) expect(example).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
    // Every provider field, for each example provider of a kind it applies to.
    const examples = { aliyun: 'SMS_ALIYUN_', tencent: 'SMS_TENCENT_', generic: 'SMS_GATEWAY_' } as const;
    for (const [field, spec] of Object.entries(SMS_PROVIDER_ENV)) {
      for (const [kind, prefix] of Object.entries(examples)) {
        if (spec.kinds.includes(kind as keyof typeof examples)) expect(example).toMatch(new RegExp(`^#?\\s*${prefix}${field}=`, 'm'));
      }
    }
  });

  it('declares SMS providers from the environment, secrets from *_FILE, and names the variable of a bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fx-secrets-'));
    writeFileSync(join(dir, 'aliyun'), 'from-a-secret-file\n');
    const config = loadConfig({
      ...base,
      JWT_SECRET: undefined,
      JWT_SECRET_FILE: (writeFileSync(join(dir, 'jwt'), 'j'.repeat(40)), join(dir, 'jwt')),
      SMS_PROVIDERS: 'aliyun',
      SMS_ALIYUN_KIND: 'aliyun',
      SMS_ALIYUN_ENDPOINT: 'https://dysmsapi.aliyuncs.com/',
      SMS_ALIYUN_ACCESS_KEY_ID: 'LTAI-env',
      SMS_ALIYUN_ACCESS_KEY_SECRET_FILE: join(dir, 'aliyun'),
      SMS_ALIYUN_SIGN_NAME: '临海防汛',
      SMS_ALIYUN_TEMPLATES: 'rainstorm=SMS_1, wakeup_order=SMS_6',
      SMS_ALIYUN_CALLBACK_SECRET: 'c'.repeat(20),
      SMS_SANDBOX_RATE_PER_SECOND: '7',
      SMS_CHAIN: 'aliyun,sandbox',
    });
    expect(config.auth.jwtSecret).toBe('j'.repeat(40));
    expect(config.sms.chain).toEqual(['aliyun', 'sandbox']);
    expect(config.sms.providers.find((p) => p.name === 'aliyun')).toMatchObject({
      kind: 'aliyun',
      accessKeyId: 'LTAI-env',
      accessKeySecret: 'from-a-secret-file',
      templates: { rainstorm: 'SMS_1', wakeup_order: 'SMS_6' },
    });
    expect(config.sms.providers.find((p) => p.name === 'sandbox')?.ratePerSecond).toBe(7);

    let error: unknown;
    try {
      loadConfig({
        ...base,
        SMS_PROVIDERS: 'tencent',
        SMS_TENCENT_KIND: 'tencent',
        SMS_TENCENT_ENDPOINT: 'not a url',
        SMS_SANDBOX_BURST: 'many',
      });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('SMS_SANDBOX_BURST: "many" is not a number');
    expect(problems).toMatch(/sms\.providers\.\d\.endpoint \(SMS_TENCENT_ENDPOINT\)/);
    expect(problems).toMatch(/secretKey/);
    expect(() => loadConfig({ ...base, JWT_SECRET: undefined, JWT_SECRET_FILE: join(dir, 'missing') })).toThrow(
      /JWT_SECRET_FILE: cannot read/,
    );
  });

  it("the adapters' refusal of the seed's numbers is a setting, never off in production", () => {
    const env = {
      ...base,
      SMS_PROVIDERS: 'aliyun',
      SMS_ALIYUN_KIND: 'aliyun',
      SMS_ALIYUN_ENDPOINT: 'http://127.0.0.1:9/',
      SMS_ALIYUN_ACCESS_KEY_ID: 'k',
      SMS_ALIYUN_ACCESS_KEY_SECRET: 's',
      SMS_ALIYUN_SIGN_NAME: '临海防汛',
      SMS_ALIYUN_TEMPLATES: '{}',
      SMS_ALIYUN_REFUSE_FAKE_NUMBERS: 'false',
    };
    expect(loadConfig(env).sms.providers.find((p) => p.name === 'aliyun')?.refuseFakeNumbers).toBe(false);
    expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).toThrow(/refuseFakeNumbers: must not be false in production/);
  });
});
