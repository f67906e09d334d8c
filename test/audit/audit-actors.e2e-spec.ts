import request from 'supertest';
import { EN_HEADER, utf8Csv } from '../fixtures/import/files';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

interface Row {
  action: string;
  actor: { kind: string; id: string; name: string };
  role: string | null;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  correlationId: string | null;
}

/** Who the audit log names for bulk imports, machine clients and wake-up answers. */
describe('audit actors', () => {
  let t: TestApp;
  let as: (user: string) => { Authorization: string };
  // The audit log is append-only and outlives the other tables between test files of one jest
  // worker (a user named admin-a there is another row): only this file's rows count.
  let since: string;
  const rows = async (query: Record<string, string>): Promise<Row[]> =>
    (
      await request(t.http)
        .get('/api/v1/audit')
        .query({ limit: 100, from: since, ...query })
        .set(as('auditor'))
        .expect(200)
    ).body.items;

  beforeAll(async () => {
    ({ t, as } = await bootWithFixtures());
    since = ((await t.ds.query('select now() as now')) as Array<{ now: Date }>)[0].now.toISOString();
  });
  afterAll(() => t.close());

  it('a holder import writes one row per created holder, all with the upload request id; a re-import writes none', async () => {
    const file = utf8Csv([
      EN_HEADER,
      ['周一', 'town_head', TREE.townA, '13900007001', '', '', '', '2025', '是'],
      ['周二', 'village_head', TREE.villageA, '13900007002', '', '13900007001', '', '2025', '是'],
      ['周三', 'patroller', TREE.gridA, '13900007003', '', '13900007002', '', '2025', '是'],
    ]);
    const upload = () =>
      request(t.http)
        .post('/api/v1/holders/import')
        .set(as('admin-a'))
        .set('X-Correlation-Id', 'import-run-000001')
        .attach('file', file, 'h.csv');
    expect((await upload().expect(200)).body).toMatchObject({ inserted: 3 });
    const imported = (await rows({ actor: 'admin-a' })).filter((r) => r.action === 'holder.import_create');
    expect(imported).toHaveLength(3);
    for (const r of imported) expect(r).toMatchObject({ role: 'town_admin', correlationId: 'import-run-000001', before: null });
    const byName = new Map(imported.map((r) => [r.after!.name, r]));
    expect(byName.get('周三')!.after).toMatchObject({
      mobile: '+86139****7003',
      divisionCode: TREE.gridA,
      superiorId: byName.get('周二')!.entityId,
    });
    await upload().expect(200);
    expect((await rows({ actor: 'admin-a' })).filter((r) => r.action.startsWith('holder.import'))).toHaveLength(3);
  });

  it('a warning posted with an API key names the key; the same alert again records nothing', async () => {
    const key = await request(t.http)
      .post('/api/v1/api-keys')
      .set(as('commander'))
      .send({ name: 'cma feed', scopes: ['feeds:write'] })
      .expect(201);
    const body = {
      identifier: 'audit-json-1',
      sender: 'linhai-sl@zjwater.gov.cn',
      sent: '2027-07-01T06:00:00+08:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      info: [
        {
          language: 'zh-CN',
          category: ['Met'],
          event: '山洪灾害气象预警',
          urgency: 'Immediate',
          severity: 'Extreme',
          certainty: 'Likely',
          senderName: '临海市水利局',
          onset: '2027-07-01T06:00:00+08:00',
          expires: '2027-07-01T18:00:00+08:00',
          parameter: [{ valueName: 'level', value: '橙色' }],
          area: [{ areaDesc: '岭根村', geocode: [{ valueName: 'ADCODE', value: TREE.villageB }], circle: ['28.9,121.0 2'] }],
        },
      ],
    };
    const res = await request(t.http).post('/api/v1/warnings').set('X-API-Key', key.body.key).send(body).expect(201);
    await request(t.http).post('/api/v1/warnings').set('X-API-Key', key.body.key).send(body).expect(200);
    const found = await rows({ entity: 'warning', entityId: res.body.id });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      action: 'warning.ingest',
      actor: { kind: 'api_key', id: key.body.id, name: 'cma feed' },
      role: null,
      after: { identifier: 'audit-json-1', msgType: 'Alert' },
    });
  });

  it('a campaign ordered by a duty officer and a proxy answer name the users; a second answer changes nothing', async () => {
    const holder = await request(t.http)
      .post('/api/v1/holders')
      .set(as('commander'))
      .send({ name: '吴队长', role: 'town_head', divisionCode: TREE.townB, mobile: '13900007009' })
      .expect(201);
    const started = await request(t.http)
      .post('/api/v1/wakeup/campaigns')
      .set(as('duty'))
      .send({ title: '审计演练', message: '请回复收到', level: 'blue', holderIds: [holder.body.id], drill: true })
      .expect(201);
    const [campaign] = await rows({ entity: 'wakeup_campaign', entityId: started.body.campaignId });
    expect(campaign).toMatchObject({
      action: 'wakeup_campaign.start',
      actor: { name: 'duty' },
      role: 'duty_officer',
      after: { calls: 1, drill: true },
    });
    const [call] = await t.ds.query('select id from wakeup_calls where campaign_id = $1', [started.body.campaignId]);
    for (let i = 0; i < 2; i++) {
      await request(t.http)
        .post(`/api/v1/wakeup/calls/${call.id}/proxy-ack`)
        .set(as('admin-b'))
        .send({ note: '电话联系到本人' })
        .expect(200);
    }
    const answers = await rows({ entity: 'wakeup_call', entityId: call.id });
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      action: 'wakeup_call.received',
      actor: { kind: 'user', name: 'admin-b' },
      role: 'town_admin',
      before: { received: null },
      after: { via: 'proxy', late: false, note: '电话联系到本人' },
    });
    const verify = await request(t.http).get('/api/v1/audit/verify').set(as('commander')).expect(200);
    expect(verify.body.ok).toBe(true);
  });
});
