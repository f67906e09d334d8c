/**
 * Three tiers, one `jest` run (`npm test`) or one at a time (`npm run test:unit|test:db|test:e2e`,
 * or `npx jest --selectProjects <tier>`):
 * - unit: `*.spec.ts` beside the code (libs/, apps/, test/support's helpers) and test/architecture's
 *   checks over the source (error codes, table ownership). No database,
 *   no global setup, no worker environment: runs with PostgreSQL stopped, in seconds.
 * - db: `test/**\/*.db-spec.ts`, real PostgreSQL (and stand-ins for outside services), but no
 *   HTTP server or socket of ours.
 * - e2e: `test/**\/*.e2e-spec.ts`, the real API (HTTP, sockets, worker processes) on PostgreSQL.
 * db and e2e get one PostgreSQL database per jest worker, cloned from a migrated template
 * (test/support/global-setup.ts; jest runs the shared setup once), so files run in parallel
 * without sharing rows.
 */
/** Libraries with a demo seed beside their code (libs/<lib>/seed, `@fangxun/<lib>/seed`). */
const seeds = ['registry', 'geo', 'feeds', 'evacuation'];
const aliases = [
  'config',
  'database',
  'common',
  'registry',
  'auth',
  'platform',
  'geo',
  'feeds',
  'notify',
  'public-warnings',
  'wakeup',
  'response',
  'evacuation',
  'audit',
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  moduleNameMapper: Object.fromEntries([
    ...aliases.map((a) => [`^@fangxun/${a}$`, `<rootDir>/libs/${a}/src`]),
    ...seeds.map((a) => [`^@fangxun/${a}/seed$`, `<rootDir>/libs/${a}/seed`]),
  ]),
};

const withDatabase = {
  ...shared,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/worker-env.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test/support', '<rootDir>/test/architecture'],
      testMatch: ['**/*.spec.ts'],
    },
    { ...withDatabase, displayName: 'db', roots: ['<rootDir>/test'], testMatch: ['**/*.db-spec.ts'] },
    { ...withDatabase, displayName: 'e2e', roots: ['<rootDir>/test'], testMatch: ['**/*.e2e-spec.ts'] },
  ],
};
