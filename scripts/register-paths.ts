import { join } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Resolves the @fangxun/* aliases in the compiled build (dist/), where tsconfig's paths no
 * longer apply: `node -r ./dist/scripts/register-paths.js dist/apps/api/src/main.js`.
 */
const libs = [
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
];
register({
  baseUrl: join(__dirname, '..'),
  paths: Object.fromEntries(libs.map((l) => [`@fangxun/${l}`, [`libs/${l}/src`]])),
});
