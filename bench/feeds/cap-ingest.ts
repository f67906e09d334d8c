/**
 * Bench: parse and ingest 1,000 CAP 1.2 alerts (GB/T-style identifiers, a polygon, a 5 km
 * geodesic circle and two geocodes each). Prints alerts/s for parsing alone (safe-XML checks,
 * fast-xml-parser, validation) and end to end through WarningService.ingestXml (one
 * transaction per alert: warning, area geometry, outbox event), with the core count.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/feeds/cap-ingest.ts
 *
 * Database: `fangxun_bench_cap` on the server of DATABASE_URL / .data/db.env, created afresh
 * and dropped at the end (KEEP_BENCH_DB=1 keeps it); dev data is untouched.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { validateCapAlert } from '../../libs/feeds/src/cap/cap-validate';
import { readCapXml } from '../../libs/feeds/src/cap/cap-xml.reader';
import { onServer, serverUrl, withDatabase } from '../support/bench-db';

const DB = 'fangxun_bench_cap';
const N = 1000;

function alertXml(i: number): Buffer {
  const lat = 28.7 + (i % 20) * 0.01;
  const lon = 121.0 + (i % 30) * 0.01;
  const sec = String(i % 60).padStart(2, '0');
  const min = String(Math.floor(i / 60) % 60).padStart(2, '0');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>331082000QXT00_20270620${min}${sec}00_${i}</identifier>
  <sender>linhai-qx@zjmb.gov.cn</sender>
  <sent>2027-06-20T08:${min}:${sec}+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info>
    <language>zh-CN</language><category>Met</category><event>暴雨${['蓝', '黄', '橙', '红'][i % 4]}色预警信号</event>
    <urgency>Expected</urgency><severity>Moderate</severity><certainty>Likely</certainty>
    <expires>${new Date(Date.now() + 86_400_000).toISOString().slice(0, 19)}Z</expires><senderName>临海市气象台</senderName>
    <headline>暴雨预警 ${i}</headline><description>预计未来6小时降雨量50毫米以上 &amp; 持续</description>
    <area>
      <areaDesc>区域 ${i}</areaDesc>
      <polygon>${lat},${lon} ${lat},${lon + 0.05} ${lat + 0.05},${lon + 0.05} ${lat + 0.05},${lon} ${lat},${lon}</polygon>
      <circle>${lat},${lon} 5</circle>
      <geocode><valueName>ADCODE</valueName><value>331082</value></geocode>
      <geocode><valueName>ADCODE</valueName><value>331082001</value></geocode>
    </area>
  </info>
</alert>`);
}

async function main(): Promise<void> {
  const url = withDatabase(serverUrl(), DB);
  await onServer(url, `drop database if exists ${DB} with (force)`);
  await onServer(url, `create database ${DB}`);
  process.env.DATABASE_URL = url;
  process.env.DATABASE_MIGRATE_ON_BOOT = 'true';
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.LOG_LEVEL ??= 'error';
  const { createHttpApp } = await import('@fangxun/platform');
  const { WarningService } = await import('@fangxun/feeds');
  const { ApiModule } = await import('../../apps/api/src/api.module');
  const { getDataSourceToken } = await import('@nestjs/typeorm');
  const app = await createHttpApp(ApiModule);
  await app.init();
  try {
    const ds = app.get(getDataSourceToken());
    await ds.query(`insert into divisions (code, name, level, path) values ('331082', '临海市', 'city', '331082')`);
    await ds.query(
      `insert into divisions (code, name, level, parent_id, path) select '331082001', '古城街道', 'town', id, '331082.331082001' from divisions where code = '331082'`,
    );
    const bodies = Array.from({ length: N }, (_, i) => alertXml(i));
    const limits = { maxBytes: 1024 * 1024, maxDepth: 32 };

    let t0 = performance.now();
    for (const b of bodies) validateCapAlert(readCapXml(b, limits).json);
    const parseMs = performance.now() - t0;

    const service = app.get(WarningService);
    const principal = { kind: 'api_key' as const, keyId: 'bench', name: 'bench', scopes: ['feeds:write'] };
    t0 = performance.now();
    for (const b of bodies) await service.ingestXml(principal, b);
    const ingestMs = performance.now() - t0;
    const [{ n }] = await ds.query(`select count(*)::int as n from warnings`);

    console.log(`cores: ${cpus().length}, node ${process.version}, ${N} alerts of ~${bodies[0].length} bytes`);
    console.log(
      `parse + validate:          ${((N / parseMs) * 1000).toFixed(0).padStart(7)} alerts/s (${(parseMs / N).toFixed(3)} ms each)`,
    );
    console.log(
      `ingest end to end (1 tx):  ${((N / ingestMs) * 1000).toFixed(0).padStart(7)} alerts/s (${(ingestMs / N).toFixed(2)} ms each), ${n} stored`,
    );
  } finally {
    await app.close();
    if (!process.env.KEEP_BENCH_DB) await onServer(url, `drop database if exists ${DB} with (force)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
