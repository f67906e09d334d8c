import { AppError } from '@fangxun/common';
import { checkMove, levelsUpTo, rankOf } from './level-rules';

const active = { kind: 'flood' as const, status: 'active' as const, level: 'IV' as const, cityWide: false, townCodes: ['331082004'] };
const codeOf = (f: () => void): string => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'ok';
};

describe('the level state machine', () => {
  it('orders marine below IV and I on top, and a level carries the ones below', () => {
    expect(rankOf('marine')).toBeLessThan(rankOf('IV'));
    expect(rankOf('I')).toBeGreaterThan(rankOf('II'));
    expect(levelsUpTo('III')).toEqual(['marine', 'IV', 'III']);
    expect(levelsUpTo('III', 'flood')).toEqual(['IV', 'III']);
  });

  it('allows the legal moves of an active response', () => {
    expect(codeOf(() => checkMove(active, { action: 'raise', level: 'III' }))).toBe('ok');
    expect(codeOf(() => checkMove({ ...active, level: 'III' }, { action: 'lower', level: 'IV' }))).toBe('ok');
    expect(codeOf(() => checkMove(active, { action: 'widen', townCodes: ['331082005'], cityWide: false }))).toBe('ok');
    expect(codeOf(() => checkMove(active, { action: 'end' }))).toBe('ok');
  });

  it('refuses illegal moves with the code of the rule', () => {
    expect(codeOf(() => checkMove(active, { action: 'raise', level: 'IV' }))).toBe('LEVEL_NOT_HIGHER');
    expect(codeOf(() => checkMove(active, { action: 'lower', level: 'III' }))).toBe('LEVEL_NOT_LOWER');
    expect(codeOf(() => checkMove(active, { action: 'widen', townCodes: ['331082004'], cityWide: false }))).toBe('SCOPE_NOT_WIDER');
    expect(codeOf(() => checkMove({ ...active, cityWide: true }, { action: 'widen', townCodes: [], cityWide: true }))).toBe(
      'SCOPE_NOT_WIDER',
    );
    expect(codeOf(() => checkMove({ ...active, level: 'III' }, { action: 'lower', level: 'marine' }))).toBe('LEVEL_NOT_FOR_KIND');
    expect(codeOf(() => checkMove(active, { action: 'confirm' }))).toBe('INCIDENT_NOT_PROPOSED');
    expect(codeOf(() => checkMove({ ...active, status: 'ended' }, { action: 'raise', level: 'I' }))).toBe('INCIDENT_NOT_ACTIVE');
    expect(codeOf(() => checkMove({ ...active, status: 'proposed' }, { action: 'end' }))).toBe('INCIDENT_NOT_ACTIVE');
    expect(codeOf(() => checkMove({ ...active, status: 'dismissed' }, { action: 'dismiss' }))).toBe('INCIDENT_NOT_PROPOSED');
  });
});
