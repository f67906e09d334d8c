import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Usage: npm run migration:generate -- AddShelters
// Writes an empty, timestamped migration to fill in by hand: there are no TypeORM entities to
// diff against (repositories are raw SQL; README, Architecture), and the SQL is reviewed anyway.
const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- PascalCaseName');
  process.exit(2);
}
execFileSync(
  join(__dirname, '../node_modules/.bin/typeorm'),
  ['migration:create', join(__dirname, '../libs/database/src/migrations', name)],
  { stdio: 'inherit' },
);
console.log('Now write up() and down() in SQL, then add it to libs/database/src/migrations/index.ts in timestamp order.');
