import { loadConfig } from '@fangxun/config';
import { strongestPerKind, warningRulesMet } from './proposal-rules';

const rules = loadConfig({ JWT_SECRET: 'x'.repeat(40) }).response.rules;

describe('proposal rules (config/default.yaml)', () => {
  it('a red rainstorm warning over two towns proposes flood IV', () => {
    const met = warningRulesMet(rules, { kind: 'rainstorm', level: 'red', origin: 'cap', towns: 2 });
    expect([...strongestPerKind(met)].map(([k, r]) => [k, r.level])).toEqual([['flood', 'IV']]);
  });

  it('an orange rainstorm CAP proposes nothing; an orange threshold warning needs two towns', () => {
    expect(warningRulesMet(rules, { kind: 'rainstorm', level: 'orange', origin: 'cap', towns: 5 })).toEqual([]);
    expect(warningRulesMet(rules, { kind: 'rainstorm', level: 'orange', origin: 'threshold', towns: 1 })).toEqual([]);
    expect(warningRulesMet(rules, { kind: 'rainstorm', level: 'orange', origin: 'threshold', towns: 2 })).toHaveLength(1);
  });

  it('a red typhoon signal proposes typhoon III (the stronger of the rules met)', () => {
    const met = warningRulesMet(rules, { kind: 'typhoon', level: 'red', origin: 'cap', towns: 1 });
    expect(strongestPerKind(met).get('typhoon')?.level).toBe('III');
  });

  it('a warning without colour proposes nothing', () => {
    expect(warningRulesMet(rules, { kind: 'rainstorm', level: null, origin: 'cap', towns: 3 })).toEqual([]);
  });
});
