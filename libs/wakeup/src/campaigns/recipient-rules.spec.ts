import { loadConfig } from '@fangxun/config';
import { matchRule, selectByReasons } from './recipient-rules';

describe('recipient rules (config/default.yaml)', () => {
  const rules = loadConfig({ JWT_SECRET: 'x'.repeat(40) }).wakeup.rules;

  it('blue rainstorm wakes village holders only; red adds towns, grids and zone holders; flash floods any level', () => {
    expect(matchRule(rules, 'rainstorm', 'blue')?.include).toEqual(['village_holder']);
    expect(matchRule(rules, 'rainstorm', 'red')?.include).toEqual(
      expect.arrayContaining(['town_holder', 'village_holder', 'grid_holder', 'primary_holder']),
    );
    expect(matchRule(rules, 'flash_flood', 'blue')?.include).toContain('grid_holder');
    expect(matchRule(rules, 'typhoon', 'blue')).toBeNull();
  });

  it('keeps only people with an included reason, with only those reasons', () => {
    const people = [
      { holderId: 'a', reasons: [{ kind: 'village_holder', text: 'v', via: { divisionCode: '1', holderId: undefined } }] },
      { holderId: 'b', reasons: [{ kind: 'superior', text: 's', via: {} }] },
      {
        holderId: 'c',
        reasons: [
          { kind: 'superior', text: 's', via: {} },
          { kind: 'grid_holder', text: 'g', via: {} },
        ],
      },
    ];
    const out = selectByReasons(people, ['village_holder', 'grid_holder']);
    expect(out.map((p) => [p.holderId, p.kept.map((r) => r.kind)])).toEqual([
      ['a', ['village_holder']],
      ['c', ['grid_holder']],
    ]);
    expect(out[0].kept[0].via).toEqual({ divisionCode: '1' });
  });
});
