import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Clock } from '@fangxun/common';
import { FeedsModule, WarningService } from '@fangxun/feeds';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { cnAlertXml, GUCHENG_POLYGON, OASIS, postXml } from './warnings.fixtures';

const XSD = join(__dirname, '../fixtures/cap/CAP-v1.2.xsd');
const dir = mkdtempSync(join(tmpdir(), 'cap-export-'));

/** Validates with xmllint against the official OASIS schema; returns xmllint's complaint or ''. */
function schemaErrors(xml: string, name: string): string {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', XSD, file], { stdio: 'pipe' });
    return '';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

/** What must survive a round trip: everything but our ids and bookkeeping. */
function essence(w: Record<string, unknown>) {
  const { id: _id, createdAt: _c, stateChangedAt: _s, origin: _o, references, areas, ...rest } = w;
  return {
    ...rest,
    references: (references as Array<Record<string, unknown>>).map(({ warningId: _w, ...r }) => r),
    areas: (areas as Array<Record<string, unknown>>).map(({ geometry, ...a }) => ({ ...a, hasGeometry: geometry !== null })),
  };
}

describe('warnings out: CAP 1.2 export, valid against the OASIS schema; our own warnings', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  let service: WarningService;
  let clock: Clock;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    service = t.app.get(WarningService);
    // strict: other modules (sms, socket, wakeup) provide a Clock too; get() would return any of them.
    clock = t.app.select(FeedsModule).get(Clock, { strict: true });
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  it('exports every imported alert as schema-valid CAP, and import → export → import gives an equal warning', async () => {
    const inputs = [
      ...OASIS.map((f) => ({ name: f.name, xml: f.xml.toString('utf8') })),
      {
        name: 'gbt',
        xml: cnAlertXml({
          identifier: '331082000QXT00_20270620080000_7',
          polygon: GUCHENG_POLYGON,
          circle: '28.86,121.13 5',
          geocodes: [TREE.townA, '331082999'],
        }),
      },
    ];
    for (const { name, xml } of inputs) {
      const first = await postXml(t, as('duty'), xml).expect(201);
      const cap = await request(t.http).get(`/api/v1/warnings/${first.body.id}/cap`).set(as('duty')).expect(200);
      expect(cap.headers['content-type']).toMatch(/^application\/cap\+xml/);
      expect(cap.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">')).toBe(
        true,
      );
      expect([name, schemaErrors(cap.text, name)]).toEqual([name, '']);

      // Re-import under a new identifier (the same one would answer 200 with the same row).
      const copy = cap.text.replace(
        `<identifier>${first.body.identifier}</identifier>`,
        `<identifier>${first.body.identifier}-rt</identifier>`,
      );
      const second = await postXml(t, as('duty'), copy).expect(201);
      const a = await request(t.http).get(`/api/v1/warnings/${first.body.id}`).set(as('duty')).expect(200);
      const b = await request(t.http).get(`/api/v1/warnings/${second.body.id}`).set(as('duty')).expect(200);
      const gbtless = (w: Record<string, unknown>) => ({
        ...essence(w),
        identifier: undefined,
        gbt: undefined,
        state: undefined,
        replacedById: undefined,
      });
      expect([name, gbtless(b.body)]).toEqual([name, gbtless(a.body)]);
    }
  });

  it('escapes text and writes polygons back in CAP order (lat,lon)', async () => {
    const xml = cnAlertXml({ identifier: 'escape-1', polygon: GUCHENG_POLYGON, geocodes: [TREE.townA] });
    const res = await postXml(t, as('duty'), xml).expect(201);
    const cap = await request(t.http).get(`/api/v1/warnings/${res.body.id}/cap`).set(as('duty')).expect(200);
    // Numbers are written as numbers (121.10 → 121.1), still latitude first.
    expect(cap.text).toContain('<polygon>28.84,121.1 28.84,121.16 28.88,121.16 28.88,121.1 28.84,121.1</polygon>');
    expect(cap.text).toContain('<instruction>做好防暴雨准备 &lt;注意&gt;</instruction>');
    expect(cap.text).toContain('<sent>2027-06-20T08:00:00+08:00</sent>');
    expect(cap.text).toContain('<geocode>\n        <valueName>ADCODE</valueName>\n        <value>331082001</value>');
  });

  it('raises, updates and cancels a warning of our own, each with its event in the same transaction, all exportable', async () => {
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2027-06-21T02:00:00Z'));
    const id = await service.raise({
      kind: 'rainstorm',
      level: 'yellow',
      origin: 'threshold',
      event: '暴雨黄色预警',
      headline: '东湖村6小时雨量52毫米',
      divisionCodes: [TREE.villageA],
      areaDesc: '东湖村',
      expires: new Date('2027-06-21T08:00:00Z'),
      parameters: [{ valueName: 'rain6h_mm', value: '52.0' }],
      createdBy: 'thresholds',
    });
    const raised = await request(t.http).get(`/api/v1/warnings/${id}`).set(as('village-a')).expect(200);
    expect(raised.body).toMatchObject({
      origin: 'threshold',
      kind: 'rainstorm',
      level: 'yellow',
      issuer: 'hq',
      state: 'active',
      identifier: expect.stringMatching(/^331082000FXH00_20270621100000_\d+$/),
      gbt: { adminCode: '331082', divisionFound: true },
      areas: [{ areaDesc: '东湖村', divisionCodes: [TREE.villageA] }],
    });
    const newId = await service.update(id, { level: 'orange', headline: '东湖村3小时雨量55毫米', createdBy: 'thresholds' });
    const cancelId = await service.cancel(newId, '雨停，解除', 'thresholds');
    const rows = await t.ds.query('select id, state, level, replaced_by_id as "replacedById" from warnings where id = any($1::uuid[])', [
      [id, newId, cancelId],
    ]);
    const byId = Object.fromEntries(rows.map((r: { id: string }) => [r.id, r]));
    expect(byId[id]).toMatchObject({ state: 'updated', level: 'yellow', replacedById: newId });
    expect(byId[newId]).toMatchObject({ state: 'cancelled', level: 'orange', replacedById: cancelId });
    for (const w of [id, newId, cancelId]) {
      const cap = await request(t.http).get(`/api/v1/warnings/${w}/cap`).set(as('duty')).expect(200);
      expect(schemaErrors(cap.text, w)).toBe('');
    }
    const events = await t.ds.query(`select topic, key from outbox_events where key = any($1::text[]) order by id`, [
      [id, newId, cancelId],
    ]);
    expect(events).toEqual([
      { topic: 'warning.raised', key: id },
      { topic: 'warning.updated', key: newId },
      { topic: 'warning.cancelled', key: newId },
    ]);
    await expect(service.update(id, { level: 'red', createdBy: 'x' })).rejects.toMatchObject({ code: 'WARNING_NOT_ACTIVE' });
  });

  it('a raise that fails inside the caller’s transaction leaves neither warning nor event', async () => {
    const before = await t.ds.query(`select (select count(*)::int from warnings) w, (select count(*)::int from outbox_events) e`);
    await expect(
      t.ds.transaction(async (m) => {
        await service.raise(
          {
            kind: 'flash_flood',
            level: 'red',
            origin: 'threshold',
            event: '山洪',
            headline: 'x',
            divisionCodes: [TREE.villageB],
            createdBy: 't',
          },
          m,
        );
        throw new Error('threshold event insert failed');
      }),
    ).rejects.toThrow('threshold event insert failed');
    expect(await t.ds.query(`select (select count(*)::int from warnings) w, (select count(*)::int from outbox_events) e`)).toEqual(before);
  });

  it('expires warnings past `expires` (injected clock), each once, with a warning.expired event', async () => {
    const res = await postXml(
      t,
      as('duty'),
      cnAlertXml({ identifier: 'expiring-1', expires: '2027-06-22T08:00:00+08:00', geocodes: [TREE.townB] }),
    ).expect(201);
    const state = async () => (await t.ds.query('select state from warnings where id = $1', [res.body.id]))[0].state;
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2027-06-21T23:59:59Z'));
    await service.expireDue();
    expect(await state()).toBe('active');
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2027-06-22T00:00:00Z'));
    // Two workers at once: SKIP LOCKED hands each due warning to one of them.
    const [runA, runB] = await Promise.all([service.expireDue(), service.expireDue()]);
    expect(runA + runB).toBeGreaterThanOrEqual(1);
    expect(await service.expireDue()).toBe(0);
    const w = await request(t.http).get(`/api/v1/warnings/${res.body.id}`).set(as('duty')).expect(200);
    expect(w.body.state).toBe('expired');
    const events = await t.ds.query(`select topic from outbox_events where key = $1 order by id`, [res.body.id]);
    expect(events.map((e: { topic: string }) => e.topic)).toEqual(['warning.raised', 'warning.expired']);
  });
});
