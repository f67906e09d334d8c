import * as iconv from 'iconv-lite';
import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { cnAlertXml, countWarnings, postXml } from './warnings.fixtures';

/** Schema-valid CAP as real issuers send it is accepted; what is wrong is refused with every problem named. */
describe('real alerts: empty elements, GB encodings, identity by sender, far-future times, winding', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  it('an empty <polygon/> and <circle/> are ignored and reported; an empty <value/> of a parameter is kept as empty', async () => {
    const xml = cnAlertXml({
      identifier: '331082000QXT00_20270620080000_11',
      geocodes: ['331082001000'],
      parameters: [['备注', '']],
    })
      .replace('<areaDesc>', '<areaDesc>')
      .replace('</areaDesc>', '</areaDesc><polygon/><circle></circle>')
      .replace('<value></value>', '<value/>');
    const res = await postXml(t, as('duty'), xml).expect(201);
    expect(res.body.ingestWarnings).toEqual([
      { field: 'info[0].area[0].polygon[0]', problem: 'empty: ignored' },
      { field: 'info[0].area[0].circle[0]', problem: 'empty: ignored' },
    ]);
    expect(res.body.info[0].parameter).toContainEqual({ valueName: '备注', value: '' });
    expect(res.body.areas[0]).toMatchObject({ geometry: null, divisionCodes: [TREE.townA] });
  });

  it('XML declared GB18030 (and GB2312/GBK) is decoded by its declaration; an undeclared legacy encoding is refused naming it', async () => {
    const text = cnAlertXml({ identifier: '331082000QXT00_20270620080100_12', event: '暴雨黄色预警信号', geocodes: ['331082001'] });
    for (const [n, enc] of [
      ['13', 'GB18030'],
      ['14', 'GB2312'],
      ['15', 'GBK'],
    ] as const) {
      const xml = text.replace('encoding="UTF-8"', `encoding="${enc}"`).replace('_12<', `_${n}<`);
      const res = await postXml(t, as('duty'), iconv.encode(xml, enc)).expect(201);
      expect(res.body).toMatchObject({
        event: '暴雨黄色预警信号',
        level: 'yellow',
        kind: 'rainstorm',
        areas: [{ areaDesc: '临海市古城街道、东塍镇' }],
      });
    }
    const latin = await postXml(t, as('duty'), text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')).expect(400);
    expect(latin.body.details[0].problem).toMatch(/encoding iso-8859-1 is not accepted/);
    // bytes that are not what the declaration says are refused, not guessed
    await postXml(
      t,
      as('duty'),
      Buffer.concat([Buffer.from(text.replace('encoding="UTF-8"', 'encoding="GBK"').slice(0, 200)), Buffer.from([0x81, 0x20])]),
    ).expect(400);
  });

  it('every validation problem is reported in details, not only the first', async () => {
    const xml = cnAlertXml({ identifier: 'bad id', severity: 'Huge', polygon: '28.8,121.1 28.9,121.2' }).replace(
      '<urgency>Expected</urgency>',
      '<urgency>Soon</urgency>',
    );
    const before = await countWarnings(t);
    const res = await postXml(t, as('duty'), xml).expect(400);
    expect(res.body.code).toBe('CAP_INVALID');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(
      ['identifier', 'info[0].area[0].polygon[0]', 'info[0].severity', 'info[0].urgency'].sort(),
    );
    expect(await countWarnings(t)).toEqual(before);
  });

  it('a duplicate is the same identifier AND sender: the same identifier from another sender is another alert', async () => {
    const a = cnAlertXml({ identifier: '331082000QXT00_20270620080200_21', geocodes: ['331082001'] });
    const b = a.replace('<sender>linhai-qx@zjmb.gov.cn</sender>', '<sender>taizhou-qx@zjmb.gov.cn</sender>');
    const first = await postXml(t, as('duty'), a).expect(201);
    const second = await postXml(t, as('duty'), b).expect(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect((await postXml(t, as('duty'), b).expect(200)).body.id).toBe(second.body.id);
    expect((await postXml(t, as('duty'), a).expect(200)).body.id).toBe(first.body.id);
  });

  it('a time more than feeds.cap.maxFutureDays ahead (a Buddhist-era 2568) is refused naming each field', async () => {
    const xml = cnAlertXml({
      identifier: '331082000QXT00_25680620080000_31',
      sent: '2568-06-20T08:00:00+08:00',
      expires: '2568-06-21T08:00:00+08:00',
    });
    const res = await postXml(t, as('duty'), xml).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['identifier', 'info[0].expires', 'sent']);
    expect(res.body.details[0].problem).toMatch(/2568-06-\d\d is more than 366 days ahead/);
  });

  it('stored and returned polygons follow RFC 7946 winding: a clockwise CAP polygon comes back counter-clockwise', async () => {
    // lat,lon going west → north → east → south around 古城: clockwise on the map
    const cw = '28.84,121.16 28.84,121.10 28.88,121.10 28.88,121.16 28.84,121.16';
    const res = await postXml(t, as('duty'), cnAlertXml({ identifier: '331082000QXT00_20270620080300_41', polygon: cw })).expect(201);
    const ring: number[][] = res.body.areas[0].geometry.coordinates[0][0];
    const twiceArea = ring.slice(1).reduce((s, p, i) => s + (ring[i][0] * p[1] - p[0] * ring[i][1]), 0);
    expect(twiceArea).toBeGreaterThan(0); // counter-clockwise
    const again = await request(t.http).get(`/api/v1/warnings/${res.body.id}`).set(as('duty')).expect(200);
    expect(again.body.areas[0].geometry).toEqual(res.body.areas[0].geometry);
  });
});
