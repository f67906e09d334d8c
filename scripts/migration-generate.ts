import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Usage: npm run migration:generate -- AddShelters
const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- PascalCaseName');
  process.exit(2);
}
execFileSync(
  join(__dirname, '../node_modules/.bin/typeorm-ts-node-commonjs'),
  ['migration:generate', '-d', join(__dirname, 'data-source.ts'), '--pretty', join(__dirname, '../libs/database/src/migrations', name)],
  { stdio: 'inherit', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(__dirname, '../tsconfig.json') } },
);
console.log('Now read the file, then add it to libs/database/src/migrations/index.ts.');
