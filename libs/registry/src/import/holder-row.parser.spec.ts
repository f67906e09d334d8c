import { parseHolderRow, parseRole, splitPhones } from './holder-row.parser';
import type { ImportField } from './import-columns';

const ORDER: ImportField[] = [
  'name',
  'role',
  'divisionCode',
  'mobile',
  'otherPhones',
  'superiorMobile',
  'backupMobile',
  'appointedYear',
  'active',
];
const COLUMNS = new Map(ORDER.map((f, i) => [f, i]));
const row = (over: Partial<Record<ImportField, string>>) => ORDER.map((f) => over[f] ?? '');
const good = { name: '王建国', role: '山洪预警员', divisionCode: '331082001001G01', mobile: '139 1234 5678' };

describe('parsing one holder row', () => {
  it('normalises what offices type: Chinese role names, spaced numbers, 年度, 是/否', () => {
    const r = parseHolderRow(
      3,
      row({
        ...good,
        otherPhones: '0576-85123456；13812345678',
        superiorMobile: '+86 138-0000-0001',
        appointedYear: '2025年',
        active: '否',
      }),
      COLUMNS,
    );
    expect(r.errors).toEqual([]);
    expect(r.candidate).toEqual({
      name: '王建国',
      role: 'flash_flood_warner',
      divisionCode: '331082001001G01',
      mobile: '+8613912345678',
      otherPhones: ['+8657685123456', '+8613812345678'],
      superiorMobile: '+8613800000001',
      backupMobile: null,
      appointedYear: 2025,
      active: false,
    });
  });

  it('reports every bad field of a row with its line and value, and keeps the key for duplicate checks', () => {
    const r = parseHolderRow(
      7,
      row({ ...good, name: '', mobile: '1391234', otherPhones: 'abc', appointedYear: '1999', active: '也许' }),
      COLUMNS,
    );
    expect(r.candidate).toBeUndefined();
    expect(r.key).toBeUndefined();
    expect(r.errors.map((e) => [e.line, e.field, e.value])).toEqual([
      [7, 'name', undefined],
      [7, 'mobile', '1391234'],
      [7, 'otherPhones', 'abc'],
      [7, 'appointedYear', '1999'],
      [7, 'active', '也许'],
    ]);
    const keyed = parseHolderRow(8, row({ ...good, name: '' }), COLUMNS);
    expect(keyed.key).toEqual({ divisionCode: '331082001001G01', role: 'flash_flood_warner', mobile: '+8613912345678' });
  });

  it('refuses a landline as the primary mobile and an unknown role', () => {
    const r = parseHolderRow(2, row({ ...good, mobile: '0576-85123456', role: '队长' }), COLUMNS);
    expect(r.errors.map((e) => e.field)).toEqual(['role', 'mobile']);
  });

  it('explains numbers that Excel turned into scientific notation', () => {
    const r = parseHolderRow(4, row({ ...good, divisionCode: '3.31082E+11', mobile: '1.39123E+10' }), COLUMNS);
    expect(r.errors.map((e) => [e.field, e.problem])).toEqual([
      ['divisionCode', expect.stringMatching(/^Excel shortened this number/)],
      ['mobile', expect.stringMatching(/^Excel shortened this number/)],
    ]);
  });

  it('knows role codes in any case and the Chinese names of ROLE_NAMES_ZH', () => {
    expect(parseRole('FLASH_FLOOD_WARNER')).toBe('flash_flood_warner');
    expect(parseRole('村书记')).toBe('village_head');
    expect(parseRole('包村领导')).toBe('town_deputy');
  });

  it('splits other phones on the separators offices use', () => {
    expect(splitPhones('85123456 ; 85123457，85123458/85123459、85123460')).toHaveLength(5);
  });
});
