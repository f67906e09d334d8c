import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { TestApp } from '../support/app';

/** The four example alerts of the OASIS CAP 1.2 specification, Appendix A (see /work/shared/data/README.md). */
export const OASIS_DIR = process.env.FANGXUN_CAP_DIR ?? join(__dirname, '../fixtures/cap/oasis');
export const OASIS = [
  'cap12-a1-homeland-security.xml',
  'cap12-a2-severe-thunderstorm.xml',
  'cap12-a3-earthquake-update.xml',
  'cap12-a4-amber-alert-en-es.xml',
].map((f) => ({ name: f, xml: readFileSync(join(OASIS_DIR, f)) }));

export interface CnAlert {
  identifier: string;
  msgType?: 'Alert' | 'Update' | 'Cancel';
  references?: string;
  sent?: string;
  event?: string;
  severity?: string;
  senderName?: string;
  headline?: string;
  expires?: string;
  polygon?: string;
  circle?: string;
  geocodes?: string[];
  parameters?: Array<[string, string]>;
}

/** A GB/T 35965.1-style alert from the Linhai meteorological bureau (synthetic, for tests). */
export function cnAlertXml(a: CnAlert): string {
  const geocodes = (a.geocodes ?? []).map((g) => `<geocode><valueName>ADCODE</valueName><value>${g}</value></geocode>`).join('');
  const params = (a.parameters ?? []).map(([n, v]) => `<parameter><valueName>${n}</valueName><value>${v}</value></parameter>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${a.identifier}</identifier>
  <sender>linhai-qx@zjmb.gov.cn</sender>
  <sent>${a.sent ?? '2027-06-20T08:00:00+08:00'}</sent>
  <status>Actual</status>
  <msgType>${a.msgType ?? 'Alert'}</msgType>
  <scope>Public</scope>
  ${a.references ? `<references>${a.references}</references>` : ''}
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>${a.event ?? '暴雨蓝色预警信号'}</event>
    <responseType>Prepare</responseType>
    <urgency>Expected</urgency>
    <severity>${a.severity ?? 'Minor'}</severity>
    <certainty>Likely</certainty>
    <onset>2027-06-20T08:00:00+08:00</onset>
    <expires>${a.expires ?? '2027-06-21T08:00:00+08:00'}</expires>
    <senderName>${a.senderName ?? '临海市气象台'}</senderName>
    <headline>${a.headline ?? `临海市发布${a.event ?? '暴雨蓝色预警信号'}`}</headline>
    <description>预计未来12小时内古城街道、东塍镇降雨量将达50毫米以上 &amp; 可能持续。</description>
    <instruction>做好防暴雨准备 &lt;注意&gt;</instruction>
    ${params}
    <area>
      <areaDesc>临海市古城街道、东塍镇</areaDesc>
      ${a.polygon ? `<polygon>${a.polygon}</polygon>` : ''}
      ${a.circle ? `<circle>${a.circle}</circle>` : ''}
      ${geocodes}
    </area>
  </info>
</alert>`;
}

/** A polygon around 古城街道 in CAP order (lat,lon), closed. */
export const GUCHENG_POLYGON = '28.84,121.10 28.84,121.16 28.88,121.16 28.88,121.10 28.84,121.10';

export function postXml(t: TestApp, auth: Record<string, string>, xml: string | Buffer, type = 'application/cap+xml') {
  return request(t.http)
    .post('/api/v1/warnings')
    .set(auth)
    .set('Content-Type', type)
    .send(Buffer.isBuffer(xml) ? xml : Buffer.from(xml));
}

export async function countWarnings(t: TestApp): Promise<{ warnings: number; areas: number; events: number }> {
  const [row] = await t.ds.query(
    `select (select count(*)::int from warnings) as warnings, (select count(*)::int from warning_areas) as areas,
            (select count(*)::int from outbox_events where topic like 'warning.%') as events`,
  );
  return row;
}
