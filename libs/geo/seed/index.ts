// The Linhai demo risk lists, shelters, teams and supplies: scripts/seed.ts and the tests only.
// Not in the production build (tsconfig.build.json) and not importable from libs/ or apps/ (lint).
export { GeoSeedModule } from './geo-seed.module';
export { GeoSeedService } from './geo-seed.service';
export type { GeoSeedResult } from './geo-seed.service';
