import { isWithin } from '@fangxun/common';
import type { DivisionRef } from '../divisions/division.service';
import type { StoredHolder } from './holder-references';
import { parseHolderRow } from './holder-row.parser';
import type { ImportField } from './import-columns';
import { planImport, PlanInput } from './import-plan';

const D = (code: string, level: DivisionRef['level'], path: string): DivisionRef => ({ id: `d-${code}`, code, name: code, level, path });
const DIVISIONS = new Map(
  [
    D('331082', 'city', '331082'),
    D('331082001', 'town', '331082.331082001'),
    D('331082001001', 'village', '331082.331082001.331082001001'),
    D('331082001001G01', 'grid', '331082.331082001.331082001001.331082001001G01'),
    D('331082100', 'town', '331082.331082100'),
    D('331082100001', 'village', '331082.331082100.331082100001'),
  ].map((d) => [d.code, d]),
);
const ORDER: ImportField[] = ['name', 'role', 'divisionCode', 'mobile', 'superiorMobile', 'backupMobile', 'active'];
const COLUMNS = new Map(ORDER.map((f, i) => [f, i]));
type Row = [name: string, role: string, code: string, mobile: string, superior?: string, backup?: string, active?: string];
const rows = (...rs: Row[]) =>
  rs.map((r, i) =>
    parseHolderRow(
      i + 2,
      r.map((c) => c ?? ''),
      COLUMNS,
    ),
  );

function stored(id: string, role: StoredHolder['role'], code: string, mobile: string, over: Partial<StoredHolder> = {}): StoredHolder {
  const d = DIVISIONS.get(code)!;
  return {
    id,
    name: id,
    role,
    divisionId: d.id,
    divisionCode: code,
    divisionPath: d.path,
    mobile: `+86${mobile}`,
    otherPhones: [],
    superiorId: null,
    backupId: null,
    active: true,
    appointedYear: null,
    ...over,
  };
}

const everywhere = () => true;
const townA = (path: string) => isWithin(path, '331082.331082001');
const plan = (r: ReturnType<typeof rows>, over: Partial<PlanInput> = {}) =>
  planImport({ rows: r, divisions: DIVISIONS, holders: [], storedSuperiors: new Map(), inScope: everywhere, ...over });
const errorsOf = (p: ReturnType<typeof plan>) => p.errors.map((e) => `${e.line} ${e.field}: ${e.problem}`);

describe('planning a holder import', () => {
  it('writes a grid → village → town chain given bottom-up, superiors first, all linked by mobile', () => {
    const p = plan(
      rows(
        ['网格员', '山洪预警员', '331082001001G01', '13900000003', '13900000002'],
        ['村书记', '村书记', '331082001001', '13900000002', '13900000001'],
        ['镇长', '镇长', '331082001', '13900000001'],
      ),
    );
    expect(p.errors).toEqual([]);
    expect(p.writes.map((w) => [w.line, w.action, w.superior])).toEqual([
      [4, 'insert', null],
      [3, 'insert', { line: 4 }],
      [2, 'insert', { line: 3 }],
    ]);
  });

  it('keeps the first of two identical appointments and reports the second as a duplicate', () => {
    const p = plan(rows(['甲', '镇长', '331082001', '13900000001'], ['甲', '镇长', '331082001', '139 0000 0001']));
    expect(errorsOf(p)).toEqual(['3 mobile: duplicate of line 2 (same division, role and mobile)']);
    expect(p).toMatchObject({ total: 2, rejected: 1 });
  });

  it('rejects an unknown division, a division outside the area and a role at the wrong level', () => {
    const p = plan(
      rows(
        ['甲', '镇长', '331082999', '13900000001'],
        ['乙', '镇长', '331082100', '13900000002'],
        ['丙', '镇长', '331082001001', '13900000003'],
      ),
      { inScope: townA },
    );
    expect(errorsOf(p)).toEqual([
      '2 divisionCode: no such division',
      '3 divisionCode: outside your area',
      '4 role: a town_head is appointed at a town, not at a village',
    ]);
  });

  it('rejects both rows of a loop within the file', () => {
    const p = plan(
      rows(['甲', '镇长', '331082001', '13900000001', '13900000002'], ['乙', '分管领导', '331082001', '13900000002', '13900000001']),
    );
    expect(errorsOf(p)).toEqual(['2 superiorMobile: would make the 包保 chain loop', '3 superiorMobile: would make the 包保 chain loop']);
    expect(p.writes).toEqual([]);
  });

  it('rejects a row that would close a loop through stored holders', () => {
    const head = stored('h-head', 'town_head', '331082001', '13900000001');
    const deputy = stored('h-deputy', 'town_deputy', '331082001', '13900000002', { superiorId: 'h-head' });
    const p = plan(rows(['甲', '镇长', '331082001', '13900000001', '13900000002']), {
      holders: [head, deputy],
      storedSuperiors: new Map([
        ['h-deputy', 'h-head'],
        ['h-head', null],
      ]),
    });
    expect(errorsOf(p)).toEqual(['2 superiorMobile: would make the 包保 chain loop']);
  });

  it('does not let a town admin name a superior in another town, nor learn that the number exists', () => {
    const other = stored('h-b', 'town_head', '331082100', '13900000009');
    const r = rows(['甲', '村书记', '331082001001', '13900000001', '13900000009']);
    expect(errorsOf(plan(r, { holders: [other], inScope: townA }))).toEqual([
      '2 superiorMobile: no holder with this mobile in the file, in your area or above this division',
    ]);
    expect(errorsOf(plan(r, { holders: [other] }))).toEqual([
      '2 superiorMobile: the superior must be at this division or one above it (包保 chain)',
    ]);
  });

  it('lets a town admin name a city leader above the town as superior', () => {
    const leader = stored('h-city', 'city_leader', '331082', '13900000000');
    const p = plan(rows(['甲', '镇长', '331082001', '13900000001', '13900000000']), { holders: [leader], inScope: townA });
    expect(p.errors).toEqual([]);
    expect(p.writes[0].superior).toEqual({ id: 'h-city' });
  });

  it('picks, among holders sharing a mobile, the only one above the row; otherwise asks for a unique mobile', () => {
    const inA = stored('h-a', 'town_deputy', '331082001', '13900000005');
    const inB = stored('h-b', 'town_deputy', '331082100', '13900000005');
    const atCity = stored('h-c', 'city_leader', '331082', '13900000005');
    const r = rows(['甲', '村书记', '331082001001', '13900000001', '13900000005']);
    expect(plan(r, { holders: [inA, inB] }).writes[0].superior).toEqual({ id: 'h-a' });
    expect(errorsOf(plan(r, { holders: [inA, inB, atCity] }))[0]).toMatch(/^2 superiorMobile: ambiguous: 3 holders have this mobile/);
  });

  it('tells unchanged from updated rows by comparing what is stored', () => {
    const head = stored('h-head', 'town_head', '331082001', '13900000001', { name: '甲' });
    const deputy = stored('h-dep', 'town_deputy', '331082001', '13900000002', { name: '乙', superiorId: 'h-head' });
    const p = plan(rows(['甲', '镇长', '331082001', '13900000001'], ['乙改', '分管领导', '331082001', '13900000002', '13900000001']), {
      holders: [head, deputy],
    });
    expect(p.writes.map((w) => [w.line, w.action, w.existingId, w.superior])).toEqual([
      [2, 'unchanged', 'h-head', null],
      [3, 'update', 'h-dep', { id: 'h-head' }],
    ]);
  });

  it('rejects a row whose superior row is rejected, and says which line', () => {
    const p = plan(rows(['', '镇长', '331082001', '13900000001'], ['乙', '分管领导', '331082001', '13900000002', '13900000001']));
    expect(errorsOf(p)).toEqual(['2 name: required', "3 superiorMobile: the superior's own row (line 2) was rejected"]);
  });

  it('accepts AB岗 partners who back each other up, both new', () => {
    const p = plan(
      rows(
        ['甲', '村书记', '331082001001', '13900000001', '', '13900000002'],
        ['乙', '村干部', '331082001001', '13900000002', '', '13900000001'],
      ),
    );
    expect(p.errors).toEqual([]);
    expect(p.writes.map((w) => w.backup)).toEqual([{ line: 3 }, { line: 2 }]);
  });

  it('refuses a holder as their own superior, but not a person answering to their other appointment', () => {
    expect(errorsOf(plan(rows(['甲', '镇长', '331082001', '13900000001', '13900000001'])))).toEqual([
      '2 superiorMobile: a holder cannot answer to themself',
    ]);
    const p = plan(
      rows(['甲', '村书记', '331082001001', '13900000001'], ['甲', '预警员', '331082001001G01', '13900000001', '13900000001']),
    );
    expect(p.errors).toEqual([]);
    expect(p.writes[1].superior).toEqual({ line: 2 });
  });

  it('rejects an inactive superior and a backup outside the parent division', () => {
    const idle = stored('h-idle', 'town_head', '331082001', '13900000001', { active: false });
    const far = stored('h-far', 'village_head', '331082100001', '13900000008');
    const p = plan(rows(['甲', '村书记', '331082001001', '13900000002', '13900000001', '13900000008']), { holders: [idle, far] });
    expect(errorsOf(p)).toEqual([
      '2 superiorMobile: the superior is not active',
      '2 backupMobile: the backup must work in the same area (same parent division)',
    ]);
  });
});
