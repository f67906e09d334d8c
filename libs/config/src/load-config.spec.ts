import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_MAP } from './env-map';
import { ConfigError, loadConfig } from './load-config';

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
  });
});
