import type { DataSource } from 'typeorm';
import { truncateAll } from '../support/app';
import type { FakeClock } from '../support/fake-clock';
import { loginAll, seedUsers } from '../support/fixtures';
import { bootWakeup, WakeupApp } from './wakeup.support';

/**
 * Five towns side by side in a 0.5° × 0.3° city (synthetic squares; codes as the statistical
 * codes write them), each with one village, one grid and one flash-flood zone, and the open sea
 * east of the city with an offshore project:
 *
 *   古城 331082001 | 大田 331082004 | 邵家渡 331082005 | 江南 331082002 | 东塍 331082100 |  sea
 *   121.0–121.1      121.1–121.2     121.2–121.3        121.3–121.4     121.4–121.5       121.6
 *
 * Per town: 镇长 (town_head) ← 市长; 村书记 (village_head) ← 镇长; 网格员 (patroller, grid) and
 * 山洪预警员 (flash_flood_warner, grid, primary holder of the town's zone) ← 村书记. The zone of
 * 江南 lies in its western strip (121.31–121.33), where a rough polygon drawn for 邵家渡 spills.
 * 海上项目负责人 (city level) holds the offshore project at 121.6 E, outside every division.
 * Phones: +86137<town digit><role digit>000000.
 */
export const TOWNS = {
  gucheng: { code: '331082001', name: '古城街道', village: '331082001001', west: 121.0, digit: 1 },
  datian: { code: '331082004', name: '大田街道', village: '331082004201', west: 121.1, digit: 4 },
  shaojiadu: { code: '331082005', name: '邵家渡街道', village: '331082005201', west: 121.2, digit: 5 },
  jiangnan: { code: '331082002', name: '江南街道', village: '331082002201', west: 121.3, digit: 2 },
  dongcheng: { code: '331082100', name: '东塍镇', village: '331082100001', west: 121.4, digit: 9 },
} as const;
export type Town = keyof typeof TOWNS;

export const TOWN_ROLES = [
  { key: 'head', name: '镇长', role: 'town_head', at: 'town', digit: 1, superior: null },
  { key: 'secretary', name: '村书记', role: 'village_head', at: 'village', digit: 2, superior: 'head' },
  { key: 'grid', name: '网格员', role: 'patroller', at: 'grid', digit: 3, superior: 'secretary' },
  { key: 'warner', name: '山洪预警员', role: 'flash_flood_warner', at: 'grid', digit: 4, superior: 'secretary' },
] as const;

export interface WorldPerson {
  key: string;
  name: string;
  role: string;
  /** null: city level. */
  town: Town | null;
  phone: string;
}

/** Everyone the world seeds, as plain data the tests compute their expectations from. */
export const WORLD: WorldPerson[] = [
  { key: 'mayor', name: '市长', role: 'city_leader', town: null, phone: '+8613700000001' },
  { key: 'offshore', name: '海上项目负责人', role: 'city_leader', town: null, phone: '+8613700000002' },
  ...(Object.keys(TOWNS) as Town[]).flatMap((t) =>
    TOWN_ROLES.map((r) => ({
      key: `${t}.${r.key}`,
      name: `${r.name}${TOWNS[t].name.slice(0, 2)}`,
      role: r.role,
      town: t,
      phone: `+86137${TOWNS[t].digit}${r.digit}000000`,
    })),
  ),
];

const box = (w: number, s: number, e: number, n: number) =>
  `ST_Multi(ST_GeomFromText('POLYGON((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))', 4326))`;

async function division(ds: DataSource, code: string, name: string, level: string, parent: string | null, geom: string): Promise<void> {
  await ds.query(
    `insert into divisions (code, name, level, parent_id, path, boundary)
     select $1::varchar, $2, $3::division_level, p.id, coalesce(p.path || $1::varchar::text, $1::varchar::text::ltree), ${geom}
     from (select 1) x left join divisions p on p.code = $4`,
    [code, name, level, parent],
  );
}

/** Divisions with boundaries, holders with their 包保 chain, zones and the offshore project; holder ids by key. */
export async function seedCnWorld(ds: DataSource): Promise<Record<string, string>> {
  await division(ds, '331082', '临海市', 'city', null, box(121.0, 28.7, 121.5, 29.0));
  for (const t of Object.values(TOWNS)) {
    const [w, e] = [t.west, Math.round((t.west + 0.1) * 10) / 10];
    await division(ds, t.code, t.name, 'town', '331082', box(w, 28.7, e, 29.0));
    await division(ds, t.village, `${t.name.slice(0, 2)}村`, 'village', t.code, box(w, 28.7, e, 29.0));
    await division(ds, `${t.village}G01`, `${t.name.slice(0, 2)}村第一网格`, 'grid', t.village, box(w, 28.7, e, 29.0));
  }
  const ids: Record<string, string> = {};
  const add = async (key: string, p: WorldPerson, divisionCode: string, superior: string | null) => {
    const [row]: Array<{ id: string }> = await ds.query(
      `insert into responsibility_holders (name, role, division_id, mobile, superior_id)
       select $1, $2::holder_role, d.id, $3, $4 from divisions d where d.code = $5 returning id`,
      [p.name, p.role, p.phone, superior ? ids[superior] : null, divisionCode],
    );
    ids[key] = row.id;
  };
  for (const p of WORLD.filter((x) => !x.town)) await add(p.key, p, '331082', null);
  for (const t of Object.keys(TOWNS) as Town[]) {
    for (const r of TOWN_ROLES) {
      const p = WORLD.find((x) => x.key === `${t}.${r.key}`)!;
      const code = r.at === 'town' ? TOWNS[t].code : r.at === 'village' ? TOWNS[t].village : `${TOWNS[t].village}G01`;
      await add(p.key, p, code, r.superior ? `${t}.${r.superior}` : 'mayor');
    }
    const w = TOWNS[t].west + 0.01;
    await ds.query(
      `insert into risk_objects (code, name, type, division_id, geom, primary_holder_id)
       select $1, $2, 'flash_flood_zone', d.id, ST_GeomFromText($3, 4326), $4 from divisions d where d.code = $5`,
      [
        `FF-${t}`,
        `${TOWNS[t].name}山洪危险区`,
        `POLYGON((${w} 28.80, ${w + 0.02} 28.80, ${w + 0.02} 28.85, ${w} 28.85, ${w} 28.80))`,
        ids[`${t}.warner`],
        `${TOWNS[t].village}G01`,
      ],
    );
  }
  await ds.query(
    `insert into risk_objects (code, name, type, division_id, geom, primary_holder_id)
     select 'OP-1', '头门港海上风电项目', 'offshore_project', d.id, ST_SetSRID(ST_MakePoint(121.6, 28.8), 4326), $1
     from divisions d where d.code = '331082'`,
    [ids.offshore],
  );
  return ids;
}

/** The people the red/orange rainstorm rule wakes for these towns (config/default.yaml: primary, grid, village, town holders). */
export function wokenIn(towns: Town[], sea = false): string[] {
  return WORLD.filter((p) => (p.town && towns.includes(p.town)) || (sea && p.key === 'offshore'))
    .map((p) => p.key)
    .sort();
}

export interface CnArea {
  areaDesc: string;
  polygon?: string;
  geocodes?: string[];
}

/** A GB/T 35965.1-shaped alert from the Linhai meteorological observatory (synthetic, for tests). */
export function cnCap(a: {
  identifier: string;
  sender?: string;
  msgType?: 'Alert' | 'Update' | 'Cancel';
  references?: string;
  sent: string;
  event?: string;
  severity?: string;
  headline: string;
  note?: string;
  areas: CnArea[];
}): string {
  const areas = a.areas
    .map(
      (x) =>
        `<area><areaDesc>${x.areaDesc}</areaDesc>${x.polygon ? `<polygon>${x.polygon}</polygon>` : ''}${(x.geocodes ?? [])
          .map((g) => `<geocode><valueName>CPEAS Geographic Code</valueName><value>${g}</value></geocode>`)
          .join('')}</area>`,
    )
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${a.identifier}</identifier>
  <sender>${a.sender ?? '331082000QXT00@zjmb.gov.cn'}</sender>
  <sent>${a.sent}</sent>
  <status>Actual</status>
  <msgType>${a.msgType ?? 'Alert'}</msgType>
  <scope>Public</scope>
  ${a.note ? `<note>${a.note}</note>` : ''}
  ${a.references ? `<references>${a.references}</references>` : ''}
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>${a.event ?? '暴雨预警信号'}</event>
    <responseType>Prepare</responseType>
    <urgency>Immediate</urgency>
    <severity>${a.severity ?? 'Extreme'}</severity>
    <certainty>Likely</certainty>
    <expires>2027-06-20T20:00:00+08:00</expires>
    <senderName>临海市气象台</senderName>
    <headline>${a.headline}</headline>
    <description>预计未来3小时内上述地区降雨量将达100毫米以上，请注意防范。</description>
    ${areas}
  </info>
</alert>`;
}

/** The wake-up app on a clean database holding this world and the test users, each logged in. */
export async function bootCnWorld(clock: FakeClock): Promise<{ t: WakeupApp; ids: Record<string, string>; tok: Record<string, string> }> {
  const t = await bootWakeup(clock);
  await truncateAll(t.ds);
  const ids = await seedCnWorld(t.ds);
  await seedUsers(t.ds);
  return { t, ids, tok: await loginAll(t) };
}
