import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Resolves the @fangxun/* aliases in the compiled build (dist/), where tsconfig's paths no
 * longer apply: `node -r ./dist/scripts/register-paths.js dist/apps/api/src/main.js`.
 */
const root = join(__dirname, '..');
// Every library compiled into dist/libs/<lib>/src (seeds are not built): no list to keep in step.
const libs = readdirSync(join(root, 'libs')).filter((l) => existsSync(join(root, 'libs', l, 'src')));
register({
  baseUrl: root,
  paths: Object.fromEntries(libs.map((l) => [`@fangxun/${l}`, [`libs/${l}/src`]])),
});
