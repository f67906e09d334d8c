import type { ResponseRule } from '@fangxun/config';
import { arealRulesMet } from './areal-rules';

const rule = (minMm: number, minTowns: number, hours = 24): ResponseRule => ({
  name: `${hours}h ≥ ${minMm}`,
  kind: 'flood',
  level: 'IV',
  when: { arealRain: { hours, minMm, minTowns } },
});

describe('areal-rainfall rules', () => {
  const mm = new Map<string, number | null>([
    ['331082004', 95.2],
    ['331082005', 80],
    ['331082001', 79.9],
    ['331082100', null],
  ]);

  it('names the towns at or over the line (a town no station answers for never counts)', () => {
    const [m] = arealRulesMet([rule(80, 1)], () => mm);
    expect(m.towns).toEqual([
      { code: '331082004', mm: 95.2 },
      { code: '331082005', mm: 80 },
    ]);
  });

  it('needs minTowns towns over the line, and reads the window the rule names', () => {
    expect(arealRulesMet([rule(80, 3)], () => mm)).toEqual([]);
    const asked: number[] = [];
    arealRulesMet(
      [
        rule(80, 1, 6),
        { name: 'warning', kind: 'flood', level: 'IV', when: { warning: { kinds: ['rainstorm'], levels: ['red'], minTowns: 1 } } },
      ],
      (h) => {
        asked.push(h);
        return mm;
      },
    );
    expect(asked).toEqual([6]);
  });
});
