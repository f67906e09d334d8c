// The PostGIS half of the import checker lives in libs/database so the registry's division
// boundaries go through it too (registry cannot import geo).
export { GeometryCheckRepository } from '@fangxun/database';
export type { GeometryVerdict } from '@fangxun/database';
