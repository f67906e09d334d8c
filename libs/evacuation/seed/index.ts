// The Linhai demo households (一户一策): scripts/seed.ts and the tests only.
// Not in the production build (tsconfig.build.json) and not importable from libs/ or apps/ (lint).
export { EvacuationSeedModule } from './evacuation-seed.module';
export { EvacuationSeedService } from './evacuation-seed.service';
export type { EvacuationSeedResult } from './evacuation-seed.service';
