import { AppError } from '@fangxun/common';
import type { ResponseLevel } from '@fangxun/config';
import { RESPONSE_LEVELS } from '@fangxun/config';
import type { Incident } from '../incidents/incident.types';
import { ResponseErrors } from '../response.errors';

/** Position of a level, lowest (marine) first. */
export const rankOf = (l: ResponseLevel): number => RESPONSE_LEVELS.indexOf(l);
export const higher = (a: ResponseLevel, b: ResponseLevel): ResponseLevel => (rankOf(a) >= rankOf(b) ? a : b);

/**
 * Levels whose measures an incident at `l` carries: `l` and those below; the marine typhoon
 * response belongs to typhoons only, so a flood response never carries its measures.
 */
export const levelsUpTo = (l: ResponseLevel, kind: 'flood' | 'typhoon' = 'typhoon'): ResponseLevel[] =>
  RESPONSE_LEVELS.slice(0, rankOf(l) + 1).filter((x) => x !== 'marine' || kind === 'typhoon');

/** The marine typhoon response (海上防台风应急响应) is a typhoon level only. */
export function checkLevelForKind(kind: 'flood' | 'typhoon', level: ResponseLevel, field = 'level'): void {
  if (level === 'marine' && kind !== 'typhoon')
    refuse(ResponseErrors.LevelNotForKind, 'marine-is-typhoon-only', field, 'the marine response is a typhoon response level');
}

export type Move =
  | { action: 'confirm' | 'dismiss' }
  | { action: 'raise' | 'lower'; level: ResponseLevel }
  | { action: 'widen'; townCodes: string[]; cityWide: boolean }
  | { action: 'end' };

function refuse(kind: (typeof ResponseErrors)[keyof typeof ResponseErrors], rule: string, field: string, problem: string): never {
  throw new AppError(kind, `${rule}: ${problem}`, [{ field, problem: `${rule}: ${problem}` }]);
}

/**
 * The level state machine: proposed → (confirm) active | (dismiss) dismissed; active → raise,
 * lower, widen, end; ended and dismissed are final. Throws the 409 that names the rule broken.
 */
export function checkMove(i: Pick<Incident, 'kind' | 'status' | 'level' | 'cityWide' | 'townCodes'>, move: Move): void {
  if (move.action === 'confirm' || move.action === 'dismiss') {
    if (i.status !== 'proposed')
      refuse(ResponseErrors.NotProposed, `only-a-proposal-can-be-${move.action}ed`, 'id', `the incident is ${i.status}, not proposed`);
    return;
  }
  if (i.status !== 'active')
    refuse(ResponseErrors.NotActive, `${move.action}-needs-an-active-response`, 'id', `the incident is ${i.status}`);
  if (move.action === 'raise' || move.action === 'lower') checkLevelForKind(i.kind, move.level);
  if (move.action === 'raise' && rankOf(move.level) <= rankOf(i.level))
    refuse(ResponseErrors.LevelNotHigher, 'raise-must-go-up', 'level', `${move.level} is not above the current ${i.level}`);
  if (move.action === 'lower' && rankOf(move.level) >= rankOf(i.level))
    refuse(ResponseErrors.LevelNotLower, 'lower-must-go-down', 'level', `${move.level} is not below the current ${i.level}`);
  if (move.action === 'widen') {
    const adds = !i.cityWide && (move.cityWide || move.townCodes.some((t) => !i.townCodes.includes(t)));
    if (!adds) refuse(ResponseErrors.ScopeNotWider, 'widen-must-add-towns', 'townCodes', 'every town named is already in scope');
  }
}
