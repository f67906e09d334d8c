import request from 'supertest';
import { gbkCsv, utf8Csv, xlsx } from '../fixtures/import/files';
import type { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

/**
 * Public warning SMS (一键直达): contact lists per risk object, one campaign texting each number
 * once, and delivery counts read back from sms_messages. The SMS sender is not started here:
 * messages stay queued unless a test moves them.
 */
describe('public warning SMS (一键直达)', () => {
  let t: TestApp;
  let as: (user: string) => { Authorization: string };

  const PARAMS = { issuer: '临海市气象台', kind: '暴雨', level: '红色', summary: '未来3小时东湖村降雨量将达100毫米以上' };

  async function riskObject(code: string, division: string, lon: number, lat: number): Promise<string> {
    const [row]: Array<{ id: string }> = await t.ds.query(
      `insert into risk_objects (code, name, type, division_id, geom)
       select $1::text, $1::text || '危房', 'dilapidated_house', id, st_setsrid(st_makepoint($3, $4), 4326) from divisions where code = $2
       returning id`,
      [code, division, lon, lat],
    );
    return row.id;
  }

  const importFile = (user: string, code: string, file: Buffer, name = 'contacts.csv', dryRun = false) =>
    request(t.http)
      .post(`/api/v1/risk-objects/${code}/contacts/import${dryRun ? '?dryRun=true' : ''}`)
      .set(as(user))
      .attach('file', file, name);

  const sms = (
    campaignId: string,
  ): Promise<Array<{ to_phone: string; purpose: string; template: string; params: Record<string, string>; status: string }>> =>
    t.ds.query(
      `select to_phone, purpose, template, params, status from sms_messages where ref_type = 'public_campaign' and ref_id = $1 order by to_phone`,
      [campaignId],
    );

  beforeAll(async () => {
    ({ t, as } = await bootWithFixtures());
    const a1 = await riskObject('PW-A1', TREE.villageA, 121.1, 28.85);
    await riskObject('PW-A2', TREE.villageA, 121.11, 28.85);
    await riskObject('PW-B1', TREE.villageB, 121.2, 28.9);
    await t.ds.query(
      `insert into risk_object_vulnerable_people (risk_object_id, name, category, helper_name, helper_phone)
       values ($1, '周老太', 'elderly', '周帮扶', '+8613900009901')`,
      [a1],
    );
  });
  afterAll(() => t.close());

  describe('contact lists', () => {
    it('a CSV with good and bad rows keeps the good ones and reports each bad one by line and field', async () => {
      const file = utf8Csv([
        ['姓名', '手机', '类别', '备注'],
        ['张三', '139 0000 1001', '居民', ''],
        ['李四', '+86 13900001002', 'vulnerable', '独居'],
        ['', '13900001003', '', ''],
        ['王五', '0576-85123456', '', '座机'],
        ['赵六', '13900001004', '外星人', ''],
        ['钱七', '13900001001', '', '重复号码'],
        ['孙八', '13900001005', '游客', ''],
      ]);
      const res = await importFile('village-a', 'PW-A1', file).expect(200);
      expect(res.body).toMatchObject({ dryRun: false, riskObjectCode: 'PW-A1', format: 'csv', encoding: 'utf-8', total: 7 });
      expect(res.body).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, rejected: 4 });
      expect(res.body.errors).toEqual([
        { line: 4, field: 'name', problem: 'required' },
        expect.objectContaining({ line: 5, field: 'phone', value: '0576-85123456' }),
        expect.objectContaining({ line: 6, field: 'category', value: '外星人' }),
        expect.objectContaining({ line: 7, field: 'phone', problem: 'same number as line 2' }),
      ]);
      const rows: Array<{ phone: string; category: string; note: string | null }> = await t.ds.query(
        `select c.phone, c.category, c.note from public_contacts c join risk_objects ro on ro.id = c.risk_object_id
         where ro.code = 'PW-A1' order by c.phone`,
      );
      expect(rows).toEqual([
        { phone: '+8613900001001', category: 'resident', note: null },
        { phone: '+8613900001002', category: 'vulnerable', note: '独居' },
        { phone: '+8613900001005', category: 'tourist', note: null },
      ]);
    });

    it('importing the same file again changes nothing; a changed name is one update', async () => {
      const rows = [
        ['name', 'phone', 'category', 'note'],
        ['周一', '13900002001', 'worker', ''],
        ['周二', '13900002002', 'resident', ''],
      ];
      expect((await importFile('admin-a', 'PW-A2', utf8Csv(rows)).expect(200)).body).toMatchObject({ inserted: 2, unchanged: 0 });
      expect((await importFile('admin-a', 'PW-A2', utf8Csv(rows)).expect(200)).body).toMatchObject({
        inserted: 0,
        updated: 0,
        unchanged: 2,
      });
      rows[2][0] = '周二改';
      expect((await importFile('admin-a', 'PW-A2', utf8Csv(rows)).expect(200)).body).toMatchObject({
        inserted: 0,
        updated: 1,
        unchanged: 1,
      });
      const [{ n }] = await t.ds.query(
        `select count(*)::int as n from public_contacts c join risk_objects ro on ro.id = c.risk_object_id where ro.code = 'PW-A2'`,
      );
      expect(n).toBe(2);
    });

    it('reads a GBK CSV with Chinese headers and an XLSX; a dry run counts and writes nothing', async () => {
      const gbk = gbkCsv([
        ['2026年岭根村危险区人员名单'],
        ['姓名', '手机号码', '人员类别', '备注'],
        ['岭根一', '13900003001', '务工人员', '工地'],
        ['岭根二', '13900001001', '其他', ''],
      ]);
      const dry = await importFile('admin-b', 'PW-B1', gbk, 'gbk.csv', true).expect(200);
      expect(dry.body).toMatchObject({ dryRun: true, encoding: 'gb18030', total: 2, inserted: 2, rejected: 0 });
      const none = await t.ds.query(
        `select 1 from public_contacts c join risk_objects ro on ro.id = c.risk_object_id where ro.code = 'PW-B1'`,
      );
      expect(none).toHaveLength(0);
      const real = await importFile('admin-b', 'PW-B1', gbk, 'gbk.csv').expect(200);
      expect(real.body).toMatchObject({ dryRun: false, encoding: 'gb18030', inserted: 2 });
      const book = await xlsx([
        ['姓名', '手机'],
        ['岭根三', '13900003003'],
      ]);
      const x = await importFile('admin-b', 'PW-B1', book, 'list.xlsx').expect(200);
      expect(x.body).toMatchObject({ format: 'xlsx', inserted: 1 });
      const list = await request(t.http).get('/api/v1/risk-objects/PW-B1/contacts').set(as('auditor')).expect(200);
      expect(list.body.items.map((c: { name: string; category: string }) => [c.name, c.category])).toEqual([
        ['岭根一', 'worker'],
        ['岭根三', 'resident'],
        ['岭根二', 'other'],
      ]);
    });

    it('a file without a phone column is refused whole (400 IMPORT_FILE_INVALID naming file)', async () => {
      const res = await importFile(
        'commander',
        'PW-A1',
        utf8Csv([
          ['姓名', '备注'],
          ['张三', 'x'],
        ]),
      ).expect(400);
      expect(res.body).toMatchObject({ code: 'IMPORT_FILE_INVALID', details: [expect.objectContaining({ field: 'file' })] });
      await request(t.http).post('/api/v1/risk-objects/PW-A1/contacts/import').set(as('commander')).expect(400);
    });

    it('town B’s admin cannot import into or read town A’s object; a warden cannot import at all; unknown code is 404', async () => {
      const file = utf8Csv([
        ['姓名', '手机'],
        ['外人', '13900004001'],
      ]);
      expect((await importFile('admin-b', 'PW-A1', file).expect(403)).body.code).toBe('OUT_OF_SCOPE');
      await request(t.http).get('/api/v1/risk-objects/PW-A1/contacts').set(as('admin-b')).expect(403);
      await importFile('warden-a', 'PW-A1', file).expect(403);
      expect((await importFile('commander', 'PW-NOPE', file).expect(404)).body.code).toBe('RISK_OBJECT_NOT_FOUND');
      const [{ n }] = await t.ds.query(`select count(*)::int as n from public_contacts where phone = '+8613900004001'`);
      expect(n).toBe(0);
    });

    it('lists masked numbers a page at a time, and deletes one contact', async () => {
      const first = await request(t.http).get('/api/v1/risk-objects/PW-A1/contacts?limit=2').set(as('village-a')).expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.items[0].phone).toMatch(/^\+86\*{7}\d{4}$/);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await request(t.http)
        .get(`/api/v1/risk-objects/PW-A1/contacts?limit=2&cursor=${first.body.nextCursor}`)
        .set(as('village-a'))
        .expect(200);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      const victim = second.body.items[0].id as string;
      await request(t.http).delete(`/api/v1/risk-objects/PW-A1/contacts/${victim}`).set(as('auditor')).expect(403);
      await request(t.http).delete(`/api/v1/risk-objects/PW-A1/contacts/${victim}`).set(as('admin-b')).expect(403);
      await request(t.http).delete(`/api/v1/risk-objects/PW-A2/contacts/${victim}`).set(as('village-a')).expect(404);
      await request(t.http).delete(`/api/v1/risk-objects/PW-A1/contacts/${victim}`).set(as('village-a')).expect(204);
      await request(t.http).delete(`/api/v1/risk-objects/PW-A1/contacts/${victim}`).set(as('village-a')).expect(404);
      const back = await request(t.http).get('/api/v1/risk-objects/PW-A1/contacts').set(as('village-a')).expect(200);
      expect(back.body.items).toHaveLength(2);
    });
  });

  describe('campaigns', () => {
    beforeAll(async () => {
      // The list as the village keeps it (the contact deleted above comes back); PW-B1 also lists 1001.
      await importFile(
        'commander',
        'PW-A1',
        utf8Csv([
          ['name', 'phone'],
          ['张三', '13900001001'],
          ['李四', '13900001002'],
          ['孙八', '13900001005'],
        ]),
      ).expect(200);
    });

    it('two objects sharing a number: one SMS for that number, purpose public, template public_warning', async () => {
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ riskObjectCodes: ['PW-A1', 'PW-B1'], ...PARAMS, requestKey: 'rain-1' })
        .expect(201);
      // PW-A1: 1001, 1002, 1005; PW-B1: 3001, 1001 (shared), 3003 → 5 distinct numbers.
      expect(res.body).toMatchObject({
        replayed: false,
        recipients: 5,
        queued: 5,
        riskObjectCodes: ['PW-A1', 'PW-B1'],
        createdBy: 'duty',
        params: PARAMS,
        title: '临海市气象台暴雨红色预警',
        delivery: { queued: 5, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, capped: 0 },
      });
      const rows = await sms(res.body.id);
      expect(rows.map((r) => r.to_phone)).toEqual([
        '+8613900001001',
        '+8613900001002',
        '+8613900001005',
        '+8613900003001',
        '+8613900003003',
      ]);
      expect(rows.every((r) => r.purpose === 'public' && r.template === 'public_warning' && r.status === 'queued')).toBe(true);
      expect(rows[0].params).toEqual(PARAMS);
      const [key] = await t.ds.query(`select idempotency_key as k from sms_messages where ref_id = $1 and to_phone = '+8613900001001'`, [
        res.body.id,
      ]);
      expect(key.k).toBe(`public:${res.body.id}:+8613900001001`);
    });

    it('the same requestKey twice returns the first campaign and sends nothing more', async () => {
      const body = { riskObjectCodes: ['PW-A2'], ...PARAMS, requestKey: 'rain-2' };
      const first = await request(t.http).post('/api/v1/public-warnings').set(as('commander')).send(body).expect(201);
      const again = await request(t.http).post('/api/v1/public-warnings').set(as('commander')).send(body).expect(201);
      expect(again.body).toMatchObject({ id: first.body.id, replayed: true, queued: 2 });
      expect(await sms(first.body.id)).toHaveLength(2);
      const [{ n }] = await t.ds.query(
        `select count(*)::int as n from public_campaigns where title = $1 and risk_object_codes = '{PW-A2}'`,
        [first.body.title],
      );
      expect(n).toBe(1);
    });

    it('two identical requests at once make one campaign and one set of messages', async () => {
      const body = { riskObjectCodes: ['PW-B1'], ...PARAMS, requestKey: 'rain-race' };
      const [a, b] = await Promise.all([
        request(t.http).post('/api/v1/public-warnings').set(as('duty')).send(body).expect(201),
        request(t.http).post('/api/v1/public-warnings').set(as('duty')).send(body).expect(201),
      ]);
      expect(a.body.id).toBe(b.body.id);
      expect([a.body.replayed, b.body.replayed].sort()).toEqual([false, true]);
      expect(await sms(a.body.id)).toHaveLength(3);
      // Keys are per user: the commander's "rain-race" is a campaign of its own.
      const c = await request(t.http).post('/api/v1/public-warnings').set(as('commander')).send(body).expect(201);
      expect(c.body).toMatchObject({ replayed: false });
      expect(c.body.id).not.toBe(a.body.id);
    });

    it('includeVulnerableHelpers also texts the helpers of the objects’ vulnerable people', async () => {
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('admin-a'))
        .send({ riskObjectCodes: ['PW-A1'], includeVulnerableHelpers: true, ...PARAMS, requestKey: 'rain-3' })
        .expect(201);
      expect(res.body.recipients).toBe(4);
      expect((await sms(res.body.id)).map((r) => r.to_phone)).toContain('+8613900009901');
    });

    it('delivery counts follow the messages’ statuses; numbers at their daily cap are counted as capped', async () => {
      await t.ds.query(`update sms_daily_counts set count = 10000 where phone = '+8613900002001'`);
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ riskObjectCodes: ['PW-A2'], ...PARAMS, requestKey: 'rain-4' })
        .expect(201);
      expect(res.body).toMatchObject({ recipients: 2, queued: 1, delivery: { queued: 1, capped: 1 } });
      const id = res.body.id as string;
      // Another campaign's messages must not count here.
      const other = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ riskObjectCodes: ['PW-B1'], ...PARAMS, requestKey: 'rain-5' })
        .expect(201);
      await t.ds.query(`update sms_messages set status = 'sent', sent_at = now() where ref_id = $1 and to_phone = '+8613900003001'`, [
        other.body.id,
      ]);
      await t.ds.query(
        `update sms_messages set status = 'delivered', delivered_at = now() where ref_id = $1 and to_phone = '+8613900001001'`,
        [other.body.id],
      );
      await t.ds.query(`update sms_messages set status = 'failed', error_code = 'X' where ref_id = $1 and to_phone = '+8613900003003'`, [
        other.body.id,
      ]);
      const stats = await request(t.http).get(`/api/v1/public-warnings/${other.body.id}`).set(as('auditor')).expect(200);
      expect(stats.body.delivery).toEqual({ queued: 0, sending: 0, sent: 1, delivered: 1, undelivered: 0, failed: 1, capped: 0 });
      const mine = await request(t.http).get(`/api/v1/public-warnings/${id}`).set(as('commander')).expect(200);
      expect(mine.body.delivery).toEqual({ queued: 1, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, capped: 1 });
    });

    it('lists campaigns newest first; a town admin sees those that reached his town and 403 for others', async () => {
      const all = await request(t.http).get('/api/v1/public-warnings?limit=2').set(as('commander')).expect(200);
      expect(all.body.items).toHaveLength(2);
      const rest = await request(t.http).get(`/api/v1/public-warnings?cursor=${all.body.nextCursor}`).set(as('commander')).expect(200);
      const ids = [...all.body.items, ...rest.body.items].map((c: { id: string }) => c.id);
      const stored: Array<{ id: string; b: boolean }> = await t.ds.query(
        `select id, 'PW-B1' = any(risk_object_codes) as b from public_campaigns order by created_at desc, id desc`,
      );
      expect(ids).toEqual(stored.map((r) => r.id));
      const b = await request(t.http).get('/api/v1/public-warnings').set(as('admin-b')).expect(200);
      expect(b.body.items.map((c: { id: string }) => c.id)).toEqual(stored.filter((r) => r.b).map((r) => r.id));
      const onlyA = ids.find((id) => !b.body.items.some((c: { id: string }) => c.id === id))!;
      expect((await request(t.http).get(`/api/v1/public-warnings/${onlyA}`).set(as('admin-b')).expect(403)).body.code).toBe('OUT_OF_SCOPE');
      await request(t.http).get('/api/v1/public-warnings').set(as('village-a')).expect(403);
      await request(t.http).get('/api/v1/public-warnings/00000000-0000-4000-8000-000000000000').set(as('duty')).expect(404);
    });

    it('an unknown code is 422 naming riskObjectCodes[i], and nothing is stored', async () => {
      const before = await t.ds.query(
        `select (select count(*)::int from public_campaigns) as c, (select count(*)::int from sms_messages) as m`,
      );
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ riskObjectCodes: ['PW-A1', 'PW-NOPE'], ...PARAMS, requestKey: 'rain-bad' })
        .expect(422);
      expect(res.body).toMatchObject({
        code: 'UNKNOWN_RISK_OBJECT',
        details: [{ field: 'riskObjectCodes[1]', problem: expect.any(String) }],
      });
      const after = await t.ds.query(
        `select (select count(*)::int from public_campaigns) as c, (select count(*)::int from sms_messages) as m`,
      );
      expect(after).toEqual(before);
    });

    it('a town admin cannot text another town’s object; a village admin cannot start campaigns', async () => {
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('admin-b'))
        .send({ riskObjectCodes: ['PW-B1', 'PW-A1'], ...PARAMS, requestKey: 'rain-oos' })
        .expect(403);
      expect(res.body).toMatchObject({ code: 'OUT_OF_SCOPE', details: [{ field: 'riskObjectCodes[1]', problem: expect.any(String) }] });
      await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('village-a'))
        .send({ riskObjectCodes: ['PW-A1'], ...PARAMS, requestKey: 'rain-v' })
        .expect(403);
    });

    it.each([
      [{ riskObjectCodes: [] }, 'riskObjectCodes'],
      [{ riskObjectCodes: ['bad code!'] }, 'riskObjectCodes'],
      [{ summary: '' }, 'summary'],
      [{ issuer: undefined }, 'issuer'],
      [{ requestKey: 'has space' }, 'requestKey'],
      [{ warningId: 'not-a-uuid' }, 'warningId'],
      [{ includeVulnerableHelpers: 'yes' }, 'includeVulnerableHelpers'],
    ])('bad input %j is 400 naming %s', async (patch, field) => {
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ riskObjectCodes: ['PW-A1'], ...PARAMS, requestKey: 'rain-400', ...patch })
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    async function warning(identifier: string, areas: Array<{ polygon?: string; divisions?: string[] }>): Promise<string> {
      const [w]: Array<{ id: string }> = await t.ds.query(
        `insert into warnings (identifier, sender, sent, status, msg_type, scope, header, infos, origin, state, kind, level, issuer, created_by)
         values ($1, 'test', now(), 'Actual', 'Alert', 'Public', '{}', '[]', 'manual', 'active', 'rainstorm', 'red', 'meteorology', 'test')
         returning id`,
        [identifier],
      );
      for (const [i, a] of areas.entries()) {
        await t.ds.query(
          // reach_geom: the drawn ground that counts (what the store writes for an area with no geocode)
          `insert into warning_areas (warning_id, info_index, area_index, area_desc, geom, reach_geom, division_paths)
           select $1, 0, $2, 'area', st_multi(st_geomfromtext($3, 4326)), st_multi(st_geomfromtext($3, 4326)),
                  coalesce((select array_agg(path) from divisions where code = any($4::text[])), '{}')`,
          [w.id, i, a.polygon ?? null, a.divisions ?? []],
        );
      }
      return w.id;
    }

    it('with only warningId, the objects in the warning’s area are texted (a town admin: those in his town)', async () => {
      const id = await warning('area-1', [
        { polygon: 'POLYGON((121.09 28.84, 121.12 28.84, 121.12 28.86, 121.09 28.86, 121.09 28.84))' },
        { divisions: [TREE.villageB] },
      ]);
      const all = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ warningId: id, ...PARAMS, requestKey: 'area-all' })
        .expect(201);
      expect(all.body).toMatchObject({ warningId: id, riskObjectCodes: ['PW-A1', 'PW-A2', 'PW-B1'] });
      const mine = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('admin-b'))
        .send({ warningId: id, ...PARAMS, requestKey: 'area-b' })
        .expect(201);
      expect(mine.body).toMatchObject({ riskObjectCodes: ['PW-B1'], recipients: 3 });
      const empty = await warning('area-2', [{ polygon: 'POLYGON((100 20, 100.1 20, 100.1 20.1, 100 20.1, 100 20))' }]);
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ warningId: empty, ...PARAMS, requestKey: 'area-none' })
        .expect(422);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'warningId' })]);
      await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ ...PARAMS, requestKey: 'nothing' })
        .expect(400);
    });

    it('12,000 numbers: imported in one file, queued by one campaign (chunks of 5,000), counted', async () => {
      await riskObject('PW-BIG', TREE.villageA, 121.105, 28.855);
      const rows = Array.from({ length: 12_000 }, (_, i) => [`居民${i}`, `137${String(i).padStart(8, '0')}`]);
      const imported = await importFile('commander', 'PW-BIG', utf8Csv([['姓名', '手机'], ...rows])).expect(200);
      expect(imported.body).toMatchObject({ total: 12_000, inserted: 12_000, rejected: 0 });
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('commander'))
        .send({ riskObjectCodes: ['PW-BIG'], ...PARAMS, requestKey: 'big' })
        .expect(201);
      expect(res.body).toMatchObject({ recipients: 12_000, queued: 12_000, delivery: { queued: 12_000, capped: 0 } });
    });

    it('an unknown warningId is 422 naming warningId', async () => {
      const res = await request(t.http)
        .post('/api/v1/public-warnings')
        .set(as('duty'))
        .send({ riskObjectCodes: ['PW-A1'], ...PARAMS, warningId: '00000000-0000-4000-8000-000000000000', requestKey: 'rain-w' })
        .expect(422);
      expect(res.body.details).toEqual([{ field: 'warningId', problem: 'no such warning' }]);
    });
  });
});
