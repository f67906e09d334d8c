/**
 * One jest run for the three tiers: unit specs beside the code (libs/, apps/), database and
 * e2e specs under test/. Every worker gets its own PostgreSQL database cloned from a migrated
 * template (test/support/global-setup.ts), so files run in parallel without sharing rows.
 */
const aliases = ['config', 'database', 'common', 'registry', 'auth', 'platform', 'geo', 'feeds', 'notify', 'wakeup'];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: Object.fromEntries(aliases.map((a) => [`^@fangxun/${a}$`, `<rootDir>/libs/${a}/src`])),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/worker-env.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
