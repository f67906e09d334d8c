import type { HouseholdField } from './household-columns';
import { parseHouseholdRow } from './household-row.parser';

const FIELDS: HouseholdField[] = ['code', 'riskObjectCode', 'headName', 'headPhone', 'members', 'vulnerable'];
const columns = new Map(FIELDS.map((f, i) => [f, i]));
const row = (cells: string[]) => parseHouseholdRow(9, cells, columns);

describe('a household row', () => {
  it('reads phones as offices type them and vulnerable members with their helpers', () => {
    const r = row([
      'H-1',
      'FF-A',
      '王大伯',
      '139 0000 7001',
      '4',
      '王阿婆/老人/王建国/13900007002/需搀扶；李宝/儿童/李芳/+86 139-0000-7003',
    ]);
    expect(r.errors).toEqual([]);
    expect(r.candidate).toMatchObject({
      headPhone: '+8613900007001',
      members: 4,
      vulnerable: [
        { name: '王阿婆', category: 'elderly', helperName: '王建国', helperPhone: '+8613900007002', needs: '需搀扶' },
        { name: '李宝', category: 'child', helperName: '李芳', helperPhone: '+8613900007003', needs: null },
      ],
    });
  });

  it('names every bad cell by field, and never more vulnerable people than members', () => {
    const r = row(['H 1', '', '', '12345', '0', '甲/外星人/乙/13900007004；丙/老人//13900007005']);
    expect(r.candidate).toBeUndefined();
    expect(r.errors.map((e) => `${e.line} ${e.field}: ${e.problem}`)).toEqual([
      '9 code: letters, digits, "-" and "_", 2 to 40',
      '9 riskObjectCode: required',
      '9 headName: required',
      '9 headPhone: not a phone number',
      '9 members: a whole number from 1 to 500',
      expect.stringMatching(/^9 vulnerable: entry 1: category must be one of/),
      '9 vulnerable: entry 2: the helper (帮扶人) must be named',
    ]);
    expect(row(['H-2', 'FF-A', '某', '13900007006', '1', '甲/老人/乙/13900007007;丙/老人/丁/13900007008']).errors).toEqual([
      { line: 9, field: 'vulnerable', problem: '2 vulnerable people in a household of 1' },
    ]);
  });
});
