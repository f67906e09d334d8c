import request from 'supertest';
import { EN_HEADER, gbkCsv, utf8Csv, xlsx, ZH_HEADER } from '../fixtures/import/files';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

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

describe('bulk import of responsibility holders', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const upload = (user: string, file: Buffer, name = 'holders.csv', dryRun?: boolean) => {
    const req = request(t.http).post('/api/v1/holders/import').set(as(user));
    if (dryRun !== undefined) req.query({ dryRun: String(dryRun) });
    return req.attach('file', file, name);
  };
  const imported = async (user: string, file: Buffer, name?: string, dryRun?: boolean): Promise<Report> => {
    const res = await upload(user, file, name, dryRun);
    if (res.status !== 200) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Report;
  };
  const holderCount = async () => Number((await t.ds.query('select count(*)::int as n from responsibility_holders'))[0].n);
  const holderByMobile = async (user: string, mobile: string) => {
    const res = await request(t.http).get('/api/v1/holders').query({ q: mobile, limit: 10 }).set(as(user)).expect(200);
    return res.body.items as Array<{
      id: string;
      name: string;
      role: string;
      divisionCode: string;
      superior: { id: string } | null;
      backup: { id: string } | null;
    }>;
  };
  const errorsOf = (r: Report) => r.errors.map((e) => `${e.line} ${e.field}: ${e.problem}`);

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  const MIXED = [
    EN_HEADER,
    ['张预警', 'flash_flood_warner', TREE.gridA, '139 0000 1004', '0576-85123456', '13900001003', '', '2025', '是'],
    ['王书记', '村书记', TREE.villageA, '13900001003', '', '13900001002', '13900001005', '2025', '是'],
    ['李镇长', 'town_head', TREE.townA, '+86 139-0000-1002', '', '13900001001', '', '2025', 'true'],
    ['陈市长', 'city_leader', TREE.city, '13900001001', '', '', '', '2025', ''],
    ['坏号码', 'patroller', TREE.gridA, '1390000', '', '13900001003', '', '', ''],
    ['赵村干', '驻村干部', TREE.villageA, '13900001005', '', '13900001002', '13900001003', '2025', '1'],
    ['李镇长', 'town_head', TREE.townA, '13900001002', '', '13900001001', '', '2025', '是'],
    ['无区划', 'patroller', '331082999999G01', '13900001006', '', '', '', '', ''],
  ];

  it('imports the good rows of a mixed CSV with their 包保 chain and AB岗, and reports each bad row by line and field', async () => {
    const report = await imported('commander', utf8Csv(MIXED, true));
    expect(report).toMatchObject({
      dryRun: false,
      format: 'csv',
      encoding: 'utf-8',
      total: 8,
      inserted: 5,
      updated: 0,
      unchanged: 0,
      rejected: 3,
    });
    expect(report.errors).toEqual([
      { line: 6, field: 'mobile', value: '1390000', problem: expect.stringMatching(/not a Chinese mobile/) },
      { line: 8, field: 'mobile', value: '+8613900001002', problem: 'duplicate of line 4 (same division, role and mobile)' },
      { line: 9, field: 'divisionCode', value: '331082999999G01', problem: 'no such division' },
    ]);

    const [warner] = await holderByMobile('commander', '+8613900001004');
    const chain = await request(t.http).get(`/api/v1/holders/${warner.id}/chain`).set(as('commander')).expect(200);
    expect(chain.body.map((h: { name: string }) => h.name)).toEqual(['王书记', '李镇长', '陈市长']);
    const [head] = await holderByMobile('commander', '+8613900001003');
    const [cadre] = await holderByMobile('commander', '+8613900001005');
    expect(head.backup?.id).toBe(cadre.id);
    expect(cadre.backup?.id).toBe(head.id);
  });

  it('changes nothing when the same file is imported again, and updates only the row that changed', async () => {
    const file = utf8Csv([
      EN_HEADER,
      ['周市长', 'city_leader', TREE.city, '13900002001'],
      ['吴镇长', 'town_head', TREE.townB, '13900002002', '', '13900002001'],
    ]);
    expect(await imported('commander', file)).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: 0 });
    const stamp = async () =>
      (await t.ds.query(`select max(updated_at)::text as at from responsibility_holders where mobile like '+86139000020%'`))[0].at;
    const before = await stamp();

    expect(await imported('commander', file)).toMatchObject({ total: 2, inserted: 0, updated: 0, unchanged: 2, rejected: 0, errors: [] });
    expect(await stamp()).toBe(before);

    const edited = utf8Csv([
      EN_HEADER,
      ['周市长', 'city_leader', TREE.city, '13900002001'],
      ['吴镇长', 'town_head', TREE.townB, '13900002002', '0576-85123456', '13900002001'],
    ]);
    expect(await imported('commander', edited)).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
  });

  it('dry run reports what would happen and writes nothing', async () => {
    const file = utf8Csv([
      EN_HEADER,
      ['郑市长', 'city_leader', TREE.city, '13900003001'],
      ['冯', 'town_liaison', TREE.townA, '13900003002', '', '13900003001'],
      ['坏', 'nobody', TREE.townA, '13900003003'],
    ]);
    const before = await holderCount();
    const dry = await imported('commander', file, 'h.csv', true);
    expect(dry).toMatchObject({ dryRun: true, total: 3, inserted: 2, updated: 0, unchanged: 0, rejected: 1 });
    expect(await holderCount()).toBe(before);
    const real = await imported('commander', file, 'h.csv', false);
    expect({ ...real, dryRun: true }).toEqual(dry);
    expect(await holderCount()).toBe(before + 2);
  });

  it('reads a GBK-encoded CSV with Chinese headers and role names, as Excel saves it on a Chinese Windows', async () => {
    const file = gbkCsv([
      ZH_HEADER,
      ['钱镇长', '镇长', TREE.townB, '13900004001', '0576-85000001；0576-85000002', '', '', '2025年', '是'],
      ['孙书记', '村书记', TREE.villageB, '13900004002', '', '13900004001', '', '2025', '是'],
      ['李预警', '山洪预警员', TREE.gridB, '13900004003', '', '13900004002', '', '2025', '否'],
    ]);
    expect(file.includes(Buffer.from('钱镇长'))).toBe(false);
    const report = await imported('commander', file, '东塍镇.csv');
    expect(report).toMatchObject({ encoding: 'gb18030', total: 3, inserted: 3, rejected: 0 });
    const [warner] = await holderByMobile('commander', '+8613900004003');
    expect(warner).toMatchObject({ name: '李预警', role: 'flash_flood_warner', divisionCode: TREE.gridB, active: false });
    const [town] = await holderByMobile('commander', '+8613900004001');
    expect(town).toMatchObject({ name: '钱镇长', otherPhones: ['+8657685000001', '+8657685000002'], appointedYear: 2025 });
  });

  it('reads an XLSX workbook with a title row and numbers typed as numbers, counting lines as Excel rows', async () => {
    const file = await xlsx([
      ['2025年东湖村防汛责任人名单'],
      ['序号', '姓名', '角色', '区划代码', '手机', '上级手机', '备注'],
      [1, '何书记', '村主任', TREE.villageA, 13900005001, null, '新任'],
      [2, '吕巡查', '巡查员', TREE.gridA, 13900005002, 13900005001, null],
      [3, '施坏', '巡查员', TREE.gridA, 12345, 13900005001, null],
    ]);
    const report = await imported('commander', file, 'holders.bin');
    expect(report).toMatchObject({ format: 'xlsx', total: 3, inserted: 2, rejected: 1 });
    expect(report.errors).toEqual([{ line: 5, field: 'mobile', value: '12345', problem: expect.any(String) }]);
    const [patroller] = await holderByMobile('commander', '+8613900005002');
    expect(patroller.superior).not.toBeNull();
  });

  it('rejects both rows of a superior loop in the file, and a row that would loop through stored holders', async () => {
    const loop = await imported(
      'commander',
      utf8Csv([
        EN_HEADER,
        ['甲', 'town_head', TREE.townA, '13900006001', '', '13900006002'],
        ['乙', 'town_deputy', TREE.townA, '13900006002', '', '13900006001'],
      ]),
    );
    expect(errorsOf(loop)).toEqual([
      '2 superiorMobile: would make the 包保 chain loop',
      '3 superiorMobile: would make the 包保 chain loop',
    ]);
    expect(loop).toMatchObject({ inserted: 0, rejected: 2 });

    const chain = utf8Csv([
      EN_HEADER,
      ['丙', 'town_head', TREE.townA, '13900006003'],
      ['丁', 'town_deputy', TREE.townA, '13900006004', '', '13900006003'],
    ]);
    expect(await imported('commander', chain)).toMatchObject({ inserted: 2 });
    const closing = await imported('commander', utf8Csv([EN_HEADER, ['丙', 'town_head', TREE.townA, '13900006003', '', '13900006004']]));
    expect(errorsOf(closing)).toEqual(['2 superiorMobile: would make the 包保 chain loop']);
    const [head] = await holderByMobile('commander', '+8613900006003');
    expect(head.superior).toBeNull();
  });

  it('holds a town admin to their town: rows elsewhere are refused, superiors elsewhere are not found, the city leader above is fine', async () => {
    await imported(
      'commander',
      utf8Csv([EN_HEADER, ['褚市长', 'city_leader', TREE.city, '13900007001'], ['卫镇长', 'town_head', TREE.townB, '13900007002']]),
    );
    const report = await imported(
      'admin-a',
      utf8Csv([
        EN_HEADER,
        ['蒋镇长', 'town_head', TREE.townA, '13900007003', '', '13900007001'],
        ['沈书记', 'village_head', TREE.villageB, '13900007004'],
        ['韩书记', 'village_head', TREE.villageA, '13900007005', '', '13900007002'],
      ]),
    );
    expect(report).toMatchObject({ total: 3, inserted: 1, rejected: 2 });
    expect(errorsOf(report)).toEqual([
      '3 divisionCode: outside your area',
      '4 superiorMobile: no holder with this mobile in the file, in your area or above this division',
    ]);
    const commander = await imported(
      'commander',
      utf8Csv([EN_HEADER, ['韩书记', 'village_head', TREE.villageA, '13900007005', '', '13900007002']]),
    );
    expect(errorsOf(commander)).toEqual(['2 superiorMobile: the superior must be at this division or one above it (包保 chain)']);
  });

  it('lets only registry writers import', async () => {
    const file = utf8Csv([EN_HEADER, ['杨', 'patroller', TREE.gridA, '13900008001']]);
    for (const user of ['warden-a', 'auditor']) expect((await upload(user, file)).status).toBe(403);
    const anonymous = await request(t.http).post('/api/v1/holders/import').attach('file', file, 'h.csv');
    expect(anonymous.status).toBe(401);
    expect(await imported('village-a', file)).toMatchObject({ inserted: 1 });
  });

  it('refuses a CSV without the required columns, naming each missing one', async () => {
    const res = await upload(
      'commander',
      utf8Csv([
        ['name', 'mobile'],
        ['王', '13900009001'],
      ]),
    ).expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'IMPORT_FILE_INVALID',
      message: 'missing columns: role, divisionCode',
      details: [
        { field: 'role', problem: expect.stringContaining('角色') },
        { field: 'divisionCode', problem: expect.stringContaining('区划代码') },
      ],
    });
    const headless = await upload('commander', utf8Csv([['王', 'patroller', TREE.gridA, '13900009001']])).expect(400);
    expect(headless.body.message).toMatch(/no header row/);
  });

  it('imports a file of 700 rows in one transaction, dry run first, with every row linked to its superior', async () => {
    const rows = [EN_HEADER, ['尤书记', 'village_head', TREE.villageB, '13900011000']];
    for (let i = 1; i <= 699; i++)
      rows.push([`网格员${i}`, 'patroller', TREE.gridB, `1390001${String(i).padStart(4, '0')}`, '', '13900011000']);
    const file = utf8Csv(rows);
    const before = await holderCount();
    expect(await imported('commander', file, 'big.csv', true)).toMatchObject({ dryRun: true, total: 700, inserted: 700, rejected: 0 });
    expect(await holderCount()).toBe(before);
    expect(await imported('commander', file)).toMatchObject({ total: 700, inserted: 700, rejected: 0 });
    const [{ n }] = await t.ds.query(
      `select count(*)::int as n from responsibility_holders h join responsibility_holders s on s.id = h.superior_id
       where s.mobile = '+8613900011000' and h.role = 'patroller'`,
    );
    expect(n).toBe(699);
  });

  it('documents the route as a multipart upload of one binary file, with its report and error statuses', async () => {
    const doc = await request(t.http).get('/api/docs-json').expect(200);
    const op = doc.body.paths['/api/v1/holders/import'].post;
    expect(op.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'dryRun', in: 'query' })]));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '409', '413', '415', '500']));
  });

  it('writes nothing at all when the database refuses one row mid-way', async () => {
    await t.ds.query(`
      create function test_refuse_row() returns trigger language plpgsql as $$
      begin if new.name = '拒' then raise exception 'refused' using errcode = '23503'; end if; return new; end $$`);
    await t.ds.query(
      'create trigger test_refuse_row before insert on responsibility_holders for each row execute function test_refuse_row()',
    );
    try {
      const before = await holderCount();
      const res = await upload(
        'commander',
        utf8Csv([
          EN_HEADER,
          ['秦市长', 'city_leader', TREE.city, '13900010001'],
          ['拒', 'town_head', TREE.townA, '13900010002', '', '13900010001'],
          ['许', 'town_liaison', TREE.townA, '13900010003'],
        ]),
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(await holderCount()).toBe(before);
    } finally {
      await t.ds.query('drop trigger test_refuse_row on responsibility_holders');
      await t.ds.query('drop function test_refuse_row()');
    }
  });
});
