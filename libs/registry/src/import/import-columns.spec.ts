import { AppError } from '@fangxun/common';
import { fieldOfHeader, findHeader } from './import-columns';

const rows = (...lines: string[][]) => lines.map((cells, i) => ({ line: i + 1, cells }));

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('import columns', () => {
  it('matches Chinese and English headers whatever their case, spaces, marks and width', () => {
    expect(fieldOfHeader(' Division Code ')).toBe('divisionCode');
    expect(fieldOfHeader('division_code')).toBe('divisionCode');
    expect(fieldOfHeader('手机号码*')).toBe('mobile');
    expect(fieldOfHeader('手机号码（必填）')).toBe('mobile');
    expect(fieldOfHeader('ＡＢ岗手机')).toBe('backupMobile');
    expect(fieldOfHeader('包保责任人手机')).toBe('superiorMobile');
    expect(fieldOfHeader('序号')).toBeUndefined();
  });

  it('finds the header below a title row and ignores unknown columns', () => {
    const h = findHeader(rows(['2025年名单'], ['序号', '姓名', '职务', '行政区划代码', '手机', '备注'], ['1', '王']));
    expect(h.index).toBe(1);
    expect(Object.fromEntries(h.columns)).toEqual({ name: 1, role: 2, divisionCode: 3, mobile: 4 });
  });

  it('names each missing required column', () => {
    const err = refusal(() => findHeader(rows(['姓名', '手机'], ['王建国', '13912345678'])));
    expect(err.code).toBe('IMPORT_FILE_INVALID');
    expect(err.message).toBe('missing columns: role, divisionCode');
    expect(err.details.map((d) => d.field)).toEqual(['role', 'divisionCode']);
  });

  it('refuses a file whose first lines are data, not a header', () => {
    const err = refusal(() => findHeader(rows(['王建国', '山洪预警员', '331082001001G01', '13912345678'])));
    expect(err.message).toMatch(/no header row/);
    expect(err.details.map((d) => d.field)).toEqual(['name', 'role', 'divisionCode', 'mobile']);
  });

  it('refuses a column named twice', () => {
    const err = refusal(() => findHeader(rows(['姓名', 'name', '角色', '区划代码', '手机'])));
    expect(err.details).toEqual([{ field: 'name', problem: 'named by two columns (1 and 2)' }]);
  });
});
