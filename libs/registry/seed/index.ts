// The Linhai demo registry (towns, villages, grids, holders, rosters): scripts/seed.ts and the tests
// only. Not in the production build (tsconfig.build.json) and not importable from libs/ or apps/ (lint).
export { RegistrySeedModule } from './registry-seed.module';
export { RegistrySeedService } from './registry-seed.service';
export type { RegistrySeedResult } from './registry-seed.service';
