/** The structural check lives in @fangxun/database so the registry's division boundaries use the same one. */
export { checkStructure } from '@fangxun/database';
export type { StructureResult } from '@fangxun/database';
