// ESLint (flat config): typescript-eslint's recommended rules plus the house rules that guard
// the architecture: no `any`, no focused tests, no floating promises, ordered imports, no deep
// imports into another library, no seed code in production code.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';

// The libraries, from tsconfig.json's `paths` (the one list; `@fangxun/<lib>/seed` entries are the seeds).
const { paths } = JSON.parse(readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8')).compilerOptions;
const LIBS = Object.keys(paths)
  .filter((alias) => !alias.endsWith('/seed'))
  .map((alias) => alias.slice('@fangxun/'.length))
  .join('|');
const DEEP_IMPORTS = [
  // `@fangxun/<lib>/seed` is a barrel of its own (the demo seed); SEED_IMPORT keeps it out of production code.
  { regex: `^@fangxun/(${LIBS})/(?!seed$)`, message: 'import another library through its barrel @fangxun/<lib> only' },
  { regex: `^(\\.\\./)+(libs/)?(${LIBS})/(src|seed)(/|$)`, message: 'import another library through its barrel @fangxun/<lib> only' },
];
const SEED_IMPORT = { regex: '(^|/)seed(/|$)', message: 'demo-seed code is for scripts/ and tests, not production code' };
const SEED_INTO_SRC = {
  regex: '^(\\.\\./)+src(/|$)',
  message: 'seed code uses its library through the barrel @fangxun/<lib>: export what it needs there on purpose',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.data/', 'jest.config.js', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      // One order everywhere, fixed by `npm run lint -- --fix`: side effects, node:, packages, our libraries, relative.
      'simple-import-sort/imports': ['error', { groups: [['^\\u0000', '^node:', '^@?\\w', '^@fangxun/', '^\\.']] }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Input checks look for control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'no focused tests' },
        { object: 'describe', property: 'only', message: 'no focused tests' },
        { object: 'it', property: 'skip', message: 'no skipped tests' },
        { object: 'describe', property: 'skip', message: 'no skipped tests' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='synchronize'][value.value=true]", message: 'schema changes are migrations' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'read configuration through @fangxun/config' },
      ],
    },
  },
  {
    // Configuration loading, scripts and the test harness are where the environment is read.
    files: [
      'libs/config/**',
      'scripts/**',
      'test/**',
      'bench/**',
      'apps/*/src/main.ts',
      'libs/database/src/data-source-options.ts',
      'libs/platform/src/http-app.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Library boundaries (issue 15): another library only through its barrel `@fangxun/<lib>`;
    // demo-seed code (`libs/<lib>/seed/`, `@fangxun/<lib>/seed`) only from seed code, scripts/ and tests.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/*/seed/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...DEEP_IMPORTS, SEED_IMPORT] }] },
  },
  {
    // Seed code sits beside its library's src/, not in it: it reaches even its own library by the barrel.
    files: ['libs/*/seed/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...DEEP_IMPORTS, SEED_INTO_SRC] }] },
  },
  prettier,
);
