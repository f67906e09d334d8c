import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { cnAlertXml, countWarnings, GUCHENG_POLYGON, OASIS, postXml } from './warnings.fixtures';

describe('warnings in (CAP 1.2 XML, GB/T 35965.1, JSON)', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  let apiKey: string;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    const key = await request(t.http)
      .post('/api/v1/api-keys')
      .set(as('commander'))
      .send({ name: 'cma feed', scopes: ['feeds:write'] })
      .expect(201);
    apiKey = key.body.key;
  });

  afterAll(() => t.close());

  it('imports all four OASIS examples once each; the same identifier again answers 200 with the existing id', async () => {
    const ids: string[] = [];
    for (const f of OASIS) {
      const res = await postXml(t, { 'X-API-Key': apiKey }, f.xml);
      expect([f.name, res.status]).toEqual([f.name, 201]);
      ids.push(res.body.id);
    }
    const again = await postXml(t, { 'X-API-Key': apiKey }, OASIS[1].xml).expect(200);
    expect(again.body.id).toBe(ids[1]);

    const storm = await request(t.http).get(`/api/v1/warnings/${ids[1]}`).set(as('duty')).expect(200);
    expect(storm.body).toMatchObject({
      identifier: 'KSTO1055887203',
      sender: 'KSTO@NWS.NOAA.GOV',
      sent: '2003-06-17T21:57:00.000Z',
      status: 'Actual',
      msgType: 'Alert',
      kind: 'other',
      level: 'orange',
      issuer: 'meteorology',
      unknownGeocodes: ['006109', '006009', '006003'],
    });
    // CAP writes lat,lon; GeoJSON lon,lat.
    const ring = storm.body.areas[0].geometry.coordinates[0][0] as number[][];
    expect(ring).toEqual(
      expect.arrayContaining([
        [-120.14, 38.47],
        [-119.95, 38.34],
      ]),
    );

    // A.3 is an Update of an alert we never received: accepted and parked.
    const quake = await request(t.http).get(`/api/v1/warnings/${ids[2]}`).set(as('duty')).expect(200);
    expect(quake.body.references).toEqual([
      { sender: 'trinet@caltech.edu', identifier: 'TRI13970876.1', sent: '2003-06-12T03:30:00.000Z', warningId: null },
    ]);
    expect(quake.body.areas[0].geometry.type).toBe('MultiPolygon');
    const amber = await request(t.http).get(`/api/v1/warnings/${ids[3]}`).set(as('duty')).expect(200);
    expect(amber.body.info.map((i: { language: string }) => i.language)).toEqual(['en-US', 'es-US']);
  });

  it('maps a GB/T 35965.1 rainstorm signal: identifier parsed, geocodes to divisions, kind, level and issuer', async () => {
    const xml = cnAlertXml({
      identifier: '331082000QXT00_20270620080000_1',
      polygon: GUCHENG_POLYGON,
      circle: '28.86,121.13 5',
      geocodes: [TREE.townA, '331082999'],
    });
    const res = await postXml(t, as('duty'), xml, 'application/xml').expect(201);
    expect(res.body).toMatchObject({
      kind: 'rainstorm',
      level: 'blue',
      issuer: 'meteorology',
      state: 'active',
      origin: 'cap',
      unknownGeocodes: ['331082999'],
      gbt: {
        adminCode: '331082',
        sector: '000',
        unit: 'QXT',
        ext: '00',
        issuedAt: '2027-06-20T00:00:00.000Z',
        serial: 1,
        divisionFound: true,
      },
      expires: '2027-06-21T00:00:00.000Z',
    });
    expect(res.body.info[0].description).toBe('预计未来12小时内古城街道、东塍镇降雨量将达50毫米以上 & 可能持续。');
    expect(res.body.info[0].instruction).toBe('做好防暴雨准备 <注意>');
    expect(res.body.areas[0].divisionCodes).toEqual([TREE.townA]);
    // The 5 km circle is geodesic: its area is π·5² km² within 1 %.
    const [{ km2 }] = await t.ds.query(
      `select ST_Area(ST_Buffer(ST_SetSRID(ST_MakePoint(121.13, 28.86), 4326)::geography, 5000)) / 1e6 as km2`,
    );
    expect(Math.abs(km2 - Math.PI * 25) / (Math.PI * 25)).toBeLessThan(0.01);

    const inTownA = await request(t.http).get(`/api/v1/warnings?division=${TREE.villageA}&kind=rainstorm`).set(as('duty')).expect(200);
    expect(inTownA.body.items.map((w: { id: string }) => w.id)).toEqual([res.body.id]);
    const inTownB = await request(t.http).get(`/api/v1/warnings?division=${TREE.townB}&kind=rainstorm`).set(as('duty')).expect(200);
    expect(inTownB.body.items).toEqual([]);
    // A town admin sees the warnings over its own town only.
    const adminB = await request(t.http).get('/api/v1/warnings?kind=rainstorm').set(as('admin-b')).expect(200);
    expect(adminB.body.items).toEqual([]);
    const adminA = await request(t.http).get('/api/v1/warnings?kind=rainstorm').set(as('admin-a')).expect(200);
    expect(adminA.body.items).toHaveLength(1);
    // Naming a warning wholly outside one's town is 403 OUT_OF_SCOPE (README), on every read of it;
    // one that does not exist stays 404.
    for (const path of ['', '/cap', '/original']) {
      const out = await request(t.http).get(`/api/v1/warnings/${res.body.id}${path}`).set(as('admin-b')).expect(403);
      expect(out.body).toMatchObject({
        code: 'OUT_OF_SCOPE',
        details: [{ field: 'id', problem: 'outside the area you are responsible for' }],
      });
      expect(out.headers['content-type']).toMatch(/^application\/json/);
    }
    await request(t.http).get(`/api/v1/warnings/${res.body.id}/original`).set(as('admin-a')).expect(200);
    await request(t.http).get('/api/v1/warnings/00000000-0000-4000-8000-000000000000').set(as('admin-b')).expect(404);
  });

  it('maps Chinese event names to kinds and levels', async () => {
    const cases: Array<[string, string, string, string, string]> = [
      ['山洪灾害气象预警', 'Severe', '临海市水利局', 'flash_flood', 'orange'],
      ['地质灾害气象风险预警', 'Moderate', '临海市自然资源和规划局', 'geo_hazard', 'yellow'],
      ['台风红色预警信号', 'Extreme', '临海市气象台', 'typhoon', 'red'],
      ['暴雨橙色预警信号', 'Minor', '临海市气象台', 'rainstorm', 'orange'],
      ['洪水黄色预警', 'Moderate', '临海市水文站', 'river_flood', 'yellow'],
    ];
    for (const [i, [event, severity, senderName, kind, level]] of cases.entries()) {
      const res = await postXml(
        t,
        as('commander'),
        cnAlertXml({ identifier: `cn-kind-${i}`, event, severity, senderName, geocodes: [TREE.townB] }),
      );
      expect([event, res.status, res.body.kind, res.body.level]).toEqual([event, 201, kind, level]);
    }
    const issuers = await t.ds.query(`select identifier, issuer from warnings where identifier like 'cn-kind-%' order by identifier`);
    expect(issuers.map((r: { issuer: string }) => r.issuer)).toEqual([
      'water_resources',
      'natural_resources',
      'meteorology',
      'meteorology',
      'water_resources',
    ]);
  });

  it('Update and Cancel through references change the original, linked both ways, each with its outbox event', async () => {
    const base = { geocodes: [TREE.townB], sent: '2027-06-20T09:00:00+08:00' };
    const orig = await postXml(t, as('duty'), cnAlertXml({ ...base, identifier: 'ref-orig' })).expect(201);
    const upd = await postXml(
      t,
      as('duty'),
      cnAlertXml({
        ...base,
        identifier: 'ref-upd',
        msgType: 'Update',
        event: '暴雨黄色预警信号',
        references: 'linhai-qx@zjmb.gov.cn,ref-orig,2027-06-20T09:00:00+08:00',
        sent: '2027-06-20T10:00:00+08:00',
      }),
    ).expect(201);
    expect(upd.body).toMatchObject({ level: 'yellow', state: 'active', references: [{ identifier: 'ref-orig', warningId: orig.body.id }] });
    const o1 = await request(t.http).get(`/api/v1/warnings/${orig.body.id}`).set(as('duty')).expect(200);
    expect(o1.body).toMatchObject({ state: 'updated', replacedById: upd.body.id });

    const cancel = await postXml(
      t,
      as('duty'),
      cnAlertXml({
        ...base,
        identifier: 'ref-cancel',
        msgType: 'Cancel',
        references: 'linhai-qx@zjmb.gov.cn,ref-upd,2027-06-20T10:00:00+08:00',
        sent: '2027-06-20T11:00:00+08:00',
      }),
    ).expect(201);
    expect(cancel.body.state).toBe('cancelled');
    const u1 = await request(t.http).get(`/api/v1/warnings/${upd.body.id}`).set(as('duty')).expect(200);
    expect(u1.body).toMatchObject({ state: 'cancelled', replacedById: cancel.body.id });
    // the list says what each one says about its references
    const list = await request(t.http).get('/api/v1/warnings').query({ limit: 100 }).set(as('duty')).expect(200);
    for (const w of [upd.body, cancel.body]) {
      const one = await request(t.http).get(`/api/v1/warnings/${w.id}`).set(as('duty')).expect(200);
      const inList = list.body.items.find((x: { id: string }) => x.id === w.id);
      expect(inList.references).toEqual(one.body.references);
      expect(inList.references[0].warningId).toEqual(expect.any(String));
    }

    const events = await t.ds.query(`select topic, key from outbox_events where key = any($1::text[]) order by id`, [
      [orig.body.id, upd.body.id, cancel.body.id],
    ]);
    expect(events).toEqual([
      { topic: 'warning.raised', key: orig.body.id },
      { topic: 'warning.updated', key: upd.body.id },
      { topic: 'warning.cancelled', key: upd.body.id },
    ]);
  });

  it('a Cancel that arrives before its original is parked and applied when the original comes', async () => {
    const c = await postXml(
      t,
      as('duty'),
      cnAlertXml({
        identifier: 'early-cancel',
        msgType: 'Cancel',
        references: 'linhai-qx@zjmb.gov.cn,late-orig,2027-06-20T07:00:00+08:00',
        geocodes: [TREE.townB],
      }),
    ).expect(201);
    expect(c.body.references[0].warningId).toBeNull();
    const o = await postXml(
      t,
      as('duty'),
      cnAlertXml({ identifier: 'late-orig', sent: '2027-06-20T07:00:00+08:00', geocodes: [TREE.townB] }),
    ).expect(201);
    expect(o.body).toMatchObject({ state: 'cancelled', replacedById: c.body.id });
    const c2 = await request(t.http).get(`/api/v1/warnings/${c.body.id}`).set(as('duty')).expect(200);
    expect(c2.body.references[0].warningId).toBe(o.body.id);
  });

  it('takes the JSON form (CAP element names) and filters by state, level and active-at', async () => {
    const body = {
      identifier: 'json-1',
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
    const res = await request(t.http).post('/api/v1/warnings').set('X-API-Key', apiKey).send(body).expect(201);
    expect(res.body).toMatchObject({ origin: 'json', kind: 'flash_flood', level: 'orange', issuer: 'water_resources' });
    await request(t.http).post('/api/v1/warnings').set('X-API-Key', apiKey).send(body).expect(200);
    const at = (iso: string) =>
      request(t.http)
        .get(`/api/v1/warnings?kind=flash_flood&level=orange&state=active&activeAt=${encodeURIComponent(iso)}`)
        .set(as('duty'))
        .expect(200);
    expect((await at('2027-07-01T10:00:00+08:00')).body.items.map((w: { identifier: string }) => w.identifier)).toEqual(['json-1']);
    expect((await at('2027-07-01T19:00:00+08:00')).body.items).toEqual([]);
  });

  it('accepts UTF-16 with a byte-order mark, a cap: prefix, and two copies racing (one 201, one 200)', async () => {
    const xml = cnAlertXml({ identifier: 'utf16-1', geocodes: [TREE.townB] }).replace('UTF-8', 'UTF-16');
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const res = await postXml(t, as('duty'), body).expect(201);
    expect(res.body.info[0].event).toBe('暴雨蓝色预警信号');
    const prefixed = cnAlertXml({ identifier: 'prefixed-1' })
      .replace('<alert xmlns=', '<cap:alert xmlns:cap=')
      .replace('</alert>', '</cap:alert>')
      .replace(/<(\/?)(identifier|sender|sent|status|msgType|scope)>/g, '<$1cap:$2>');
    await postXml(t, as('duty'), prefixed).expect(201);
    const racing = cnAlertXml({ identifier: 'race-1', geocodes: [TREE.townB] });
    const statuses = (await Promise.all([postXml(t, as('duty'), racing), postXml(t, as('duty'), racing)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 201]);
  });

  it('refuses bad input with the field named and stores nothing', async () => {
    const before = await countWarnings(t);
    const cases: Array<[string, string, number, string]> = [
      ['no zone', cnAlertXml({ identifier: 'bad-1', sent: '2027-06-20T08:00:00' }), 400, 'sent'],
      ['expires no zone', cnAlertXml({ identifier: 'bad-2', expires: '2027-06-21T08:00:00' }), 400, 'info[0].expires'],
      [
        'open polygon',
        cnAlertXml({ identifier: 'bad-3', polygon: '28.84,121.10 28.84,121.16 28.88,121.16 28.88,121.10' }),
        400,
        'info[0].area[0].polygon[0]',
      ],
      [
        'lon,lat swapped',
        cnAlertXml({ identifier: 'bad-4', polygon: '121.10,28.84 121.16,28.84 121.16,28.88 121.10,28.84' }),
        400,
        'info[0].area[0].polygon[0]',
      ],
      ['bad circle', cnAlertXml({ identifier: 'bad-5', circle: '28.86,121.13' }), 400, 'info[0].area[0].circle[0]'],
      ['bad severity', cnAlertXml({ identifier: 'bad-6', severity: 'Huge' }), 400, 'info[0].severity'],
      ['bad GB/T id', cnAlertXml({ identifier: '331082000QXT00_20271320080000_1' }), 400, 'identifier'],
      ['update without refs', cnAlertXml({ identifier: 'bad-7', msgType: 'Update' }), 400, 'references'],
      ['wrong namespace', cnAlertXml({ identifier: 'bad-8' }).replace('cap:1.2', 'cap:1.1'), 400, '<alert> xmlns'],
      ['wrong root', '<?xml version="1.0"?><alarm xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', 400, '<alarm>'],
      ['missing event', cnAlertXml({ identifier: 'bad-9' }).replace(/<event>.*<\/event>/, ''), 400, 'info[0].event'],
      ['ack', cnAlertXml({ identifier: 'bad-10' }).replace('<msgType>Alert', '<msgType>Ack'), 422, 'msgType'],
    ];
    for (const [name, xml, status, field] of cases) {
      const res = await postXml(t, as('duty'), xml);
      expect([name, res.status, res.body.details?.[0]?.field]).toEqual([name, status, field]);
    }
    expect(await countWarnings(t)).toEqual(before);
  });

  it('lets machines with feeds:write and the commander or duty officer post, nobody else', async () => {
    const xml = cnAlertXml({ identifier: 'auth-1' });
    await postXml(t, as('admin-a'), xml).expect(403);
    await postXml(t, as('auditor'), xml).expect(403);
    const other = await request(t.http)
      .post('/api/v1/api-keys')
      .set(as('commander'))
      .send({ name: 'reader', scopes: ['registry:read'] })
      .expect(201);
    await postXml(t, { 'X-API-Key': other.body.key }, xml).expect(403);
    await postXml(t, {}, xml).expect(401);
    await request(t.http).post('/api/v1/warnings').set(as('duty')).set('Content-Type', 'text/plain').send('x').expect(415);
  });
});
