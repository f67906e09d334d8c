import request from 'supertest';
import { gbkCsv, utf8Csv, xlsx } from '../fixtures/import/files';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { seedWorld } from '../wakeup/wakeup.world';

interface Report {
  dryRun: boolean;
  format: string;
  encoding: string;
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: Array<{ line: number; field: string; value?: string; problem: string }>;
}

const HEADER = [
  'code',
  'riskObjectCode',
  'headName',
  'headPhone',
  'members',
  'responsibleMobile',
  'shelterCode',
  'routeNote',
  'vulnerable',
];
const ZH_HEADER = ['户编号', '风险对象编号', '户主', '户主电话', '人数', '包户责任人手机', '安置点编号', '转移路线', '特殊人群'];

/**
 * Households (一户一策) come from the village's spreadsheet: each bad row is reported by line and
 * field and the good ones are stored; a dry run stores nothing; the same file again changes
 * nothing; GBK CSV and XLSX read like UTF-8; phones are masked for the auditor.
 */
describe('household import (CSV/XLSX, UTF-8 and GBK)', () => {
  let t: TestApp;
  let as: (user: string) => { Authorization: string };
  const upload = (user: string, file: Buffer, name: string, dryRun?: boolean) => {
    const req = request(t.http).post('/api/v1/evacuation/households/import').set(as(user));
    if (dryRun !== undefined) req.query({ dryRun: String(dryRun) });
    return req.attach('file', file, name);
  };
  const imported = async (user: string, file: Buffer, name = 'households.csv', dryRun?: boolean): Promise<Report> => {
    const res = await upload(user, file, name, dryRun);
    if (res.status !== 200) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Report;
  };
  const count = async () => Number((await t.ds.query('select count(*)::int as n from evac_households'))[0].n);

  beforeAll(async () => {
    ({ t, as } = await bootWithFixtures());
    await seedWorld(t.ds);
    await t.ds.query(
      `insert into risk_objects (code, name, type, division_id, geom)
       select 'GH-B', '岭根村地灾点', 'geo_hazard_zone', d.id,
              ST_GeomFromText('POLYGON((121.32 28.82, 121.35 28.82, 121.35 28.85, 121.32 28.85, 121.32 28.82))', 4326)
       from divisions d where d.code = $1`,
      [TREE.gridB],
    );
    await t.ds.query(
      `insert into shelters (code, name, tier, division_id, location, capacity)
       select 'SH-A', '东湖村避灾点', 'village', d.id, st_setsrid(st_makepoint(121.06, 28.86), 4326), 80 from divisions d where d.code = $1`,
      [TREE.villageA],
    );
  });
  afterAll(() => t.close());

  const MIXED = [
    HEADER,
    ['FFA-001', 'FF-A', '王大伯', '139 0000 7001', '4', '13800000032', 'SH-A', '沿村道至村委', '王阿婆/老人/王建国/13900007002/需搀扶'],
    ['FFA-002', 'FF-A', '李二嫂', '13900007003', '2', '', '', '', ''],
    ['FFA-003', 'FF-A', '坏号码', '1390000', '3', '', '', '', ''],
    ['FFA-004', 'NO-SUCH', '赵三', '13900007004', '3', '', '', '', ''],
    ['FFA-005', 'FF-A', '钱四', '13900007005', '1', '', 'SH-X', '', '钱奶奶/老人/钱五/13900007006；钱小/儿童/钱五/13900007006'],
    ['FFA-002', 'FF-A', '李二嫂', '13900007003', '2', '', '', '', ''],
    ['FFA-006', 'FF-A', '孙六', '13900007007', '0', '13900009999', '', '', ''],
  ];

  it('stores the good rows of a mixed CSV and reports each bad row by line and field', async () => {
    const report = await imported('commander', utf8Csv(MIXED, true));
    expect(report).toMatchObject({
      dryRun: false,
      format: 'csv',
      encoding: 'utf-8',
      total: 7,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 5,
    });
    expect(report.errors.map((e) => `${e.line} ${e.field}: ${e.problem}`)).toEqual([
      '4 headPhone: not a phone number',
      '5 riskObjectCode: no such risk object',
      '6 vulnerable: 2 vulnerable people in a household of 1',
      '7 code: duplicate of line 3',
      '8 members: a whole number from 1 to 500',
    ]);
    const res = await request(t.http).get('/api/v1/evacuation/households/FFA-001').set(as('commander')).expect(200);
    expect(res.body).toMatchObject({
      code: 'FFA-001',
      riskObjectCode: 'FF-A',
      divisionCode: TREE.gridA,
      headName: '王大伯',
      headPhone: '+8613900007001',
      members: 4,
      responsibleHolder: { name: '山洪预警员A', mobile: '+8613800000032' },
      shelter: { code: 'SH-A' },
      routeNote: '沿村道至村委',
      vulnerable: [{ name: '王阿婆', category: 'elderly', needs: '需搀扶', helperName: '王建国', helperPhone: '+8613900007002' }],
    });
  });

  it('names a missing holder or shelter, and a row outside the town admin’s area', async () => {
    const report = await imported(
      'admin-a',
      utf8Csv([
        HEADER,
        ['FFA-101', 'FF-A', '周七', '13900007101', '2', '13900009999', '', '', ''],
        ['FFA-102', 'FF-A', '吴八', '13900007102', '2', '', 'SH-X', '', ''],
        ['GHB-101', 'GH-B', '郑九', '13900007103', '2', '', '', '', ''],
      ]),
    );
    expect(report).toMatchObject({ inserted: 0, rejected: 3 });
    expect(report.errors.map((e) => `${e.line} ${e.field}: ${e.problem}`)).toEqual([
      '2 responsibleMobile: no active responsibility holder has this mobile',
      '3 shelterCode: no such shelter',
      '4 riskObjectCode: outside the area you are responsible for',
    ]);
  });

  it('dry run reports what would happen and stores nothing', async () => {
    const before = await count();
    const file = utf8Csv([HEADER, ['FFA-201', 'FF-A', '冯十', '13900007201', '3', '', '', '', '']]);
    expect(await imported('commander', file, 'h.csv', true)).toMatchObject({ dryRun: true, inserted: 1, rejected: 0 });
    expect(await count()).toBe(before);
  });

  it('the same file twice changes nothing; an edited row is updated alone', async () => {
    const rows = [
      HEADER,
      ['FFA-301', 'FF-A', '陈一', '13900007301', '3', '', '', '', ''],
      ['FFA-302', 'FF-A', '陈二', '13900007302', '2', '', '', '', ''],
    ];
    expect(await imported('commander', utf8Csv(rows))).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    const stamp = async () => (await t.ds.query(`select max(updated_at)::text as at from evac_households where code like 'FFA-30%'`))[0].at;
    const before = await stamp();
    expect(await imported('commander', utf8Csv(rows))).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(await stamp()).toBe(before);
    rows[2][4] = '5';
    expect(await imported('commander', utf8Csv(rows))).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
  });

  it('reads a GBK CSV with Chinese headers and an XLSX workbook, and imports each once', async () => {
    const rows = [
      ZH_HEADER,
      ['FFA-401', 'FF-A', '黄老伯', '13900007401', '3', '13800000031', 'SH-A', '经机耕路', '黄奶奶/残疾人/黄强/13900007402/轮椅'],
    ];
    const gbk = await imported('commander', gbkCsv(rows));
    expect(gbk).toMatchObject({ encoding: 'gb18030', inserted: 1, rejected: 0 });
    expect(await imported('commander', gbkCsv(rows))).toMatchObject({ inserted: 0, unchanged: 1 });
    const book = await imported(
      'commander',
      await xlsx([ZH_HEADER, ['FFA-402', 'FF-A', '林嫂', '13900007403', 2, '', '', '', '']]),
      'h.xlsx',
    );
    expect(book).toMatchObject({ format: 'xlsx', inserted: 1, rejected: 0 });
    const res = await request(t.http).get('/api/v1/evacuation/households/FFA-401').set(as('village-a')).expect(200);
    expect(res.body).toMatchObject({ headName: '黄老伯', vulnerable: [{ name: '黄奶奶', category: 'disabled', needs: '轮椅' }] });
  });

  it('masks phones for the auditor, keeps them whole for people who move households, and scopes the list to the town', async () => {
    const audit = await request(t.http).get('/api/v1/evacuation/households/FFA-001').set(as('auditor')).expect(200);
    expect(audit.body.headPhone).toBe('+86139****7001');
    expect(audit.body.vulnerable[0].helperPhone).toBe('+86139****7002');
    expect(audit.body.responsibleHolder.mobile).toBe('+86138****0032');
    const townB = await request(t.http).get('/api/v1/evacuation/households').set(as('admin-b')).expect(200);
    expect(townB.body.items).toEqual([]);
    await request(t.http).get('/api/v1/evacuation/households/FFA-001').set(as('admin-b')).expect(403);
    const townA = await request(t.http)
      .get('/api/v1/evacuation/households')
      .query({ riskObjectCode: 'FF-A' })
      .set(as('admin-a'))
      .expect(200);
    expect(townA.body.items.length).toBe(await count());
  });

  it('refuses a file without the required columns, naming them', async () => {
    const res = await upload(
      'commander',
      utf8Csv([
        ['code', 'headName'],
        ['X-1', '某'],
      ]),
      'h.csv',
    ).expect(400);
    expect(res.body.code).toBe('HOUSEHOLD_IMPORT_FILE_INVALID');
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['riskObjectCode', 'headPhone', 'members']);
  });
});
