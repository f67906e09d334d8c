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
/**
 * The @fangxun/* aliases, taken from tsconfig.json's `paths` (the one list: a library added there
 * resolves in jest too), e.g. `^@fangxun/geo$` → libs/geo/src, `^@fangxun/geo/seed$` → libs/geo/seed.
 */
const { paths } = require('./tsconfig.json').compilerOptions;
const aliases = Object.entries(paths).map(([alias, [target]]) => [`^${alias.replace(/[/.-]/g, '\\$&')}$`, `<rootDir>/${target}`]);

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  moduleNameMapper: Object.fromEntries(aliases),
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
