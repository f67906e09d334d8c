// The Linhai demo gauge network (stations, no readings): scripts/seed.ts and the tests only.
// Not in the production build (tsconfig.build.json) and not importable from libs/ or apps/ (lint).
export { GaugeSeedModule } from './gauge-seed.module';
export { GaugeSeedService } from './gauge-seed.service';
export type { GaugeSeedResult } from './gauge-seed.service';
