import { AreaDto, MAX_DIVISION_CODES } from '@fangxun/geo';
import type { WarningDto } from './warning.dto';

/**
 * The warning's places as geo's areas: each area's drawn geometry when it has one (more exact
 * than a named division), else its geocoded divisions, at most MAX_DIVISION_CODES per area (the
 * most one area accepts). Read by the wake-up and by public warning SMS alike.
 */
export function warningAreasOf(w: WarningDto): AreaDto[] {
  const out: AreaDto[] = [];
  for (const a of w.areas ?? []) {
    if (a.geometry) out.push({ polygon: a.geometry } as unknown as AreaDto);
    else
      for (let i = 0; i < a.divisionCodes.length; i += MAX_DIVISION_CODES)
        out.push({ divisionCodes: a.divisionCodes.slice(i, i + MAX_DIVISION_CODES) } as AreaDto);
  }
  return out;
}
