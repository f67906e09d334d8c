import { Transform } from 'class-transformer';

/** Codes of shelters, teams and depots (the tables' own check). */
export const PLACE_CODE = /^[0-9A-Za-z_-]{2,40}$/;
/** Division codes as the registry writes them. */
export const DIVISION_CODE = /^[0-9A-Za-z_]{2,24}$/;

/** Names arrive from forms and spreadsheets with stray spaces. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
