import type { DataSource } from 'typeorm';
import { TREE } from '../support/fixtures';

/**
 * A small world whose answers are known by construction (TREE from test/support/fixtures):
 *
 *   city 331082            121.0–121.4 E, 28.8–29.0 N     city leader 市长 (top of the chain)
 *   ├─ town A 331082001    121.0–121.2                    镇长A ── superior: 市长
 *   │  └─ village A        121.0–121.1, 28.8–28.9         村书记A ── 镇长A;  村干部A ── 村书记A
 *   │     └─ grid A        same square                    网格员A ── 村书记A (backup 村干部A)
 *   │                                                     山洪预警员A ── 村书记A
 *   │        flash-flood zone FF-A inside grid A: primary 山洪预警员A
 *   └─ town B 331082100    121.2–121.4                    镇长B ── 市长
 *      └─ village B / grid B                              村书记B ── 镇长B;  网格员B ── 村书记B
 *
 * The city's duty roster for 2026-07-01: leader 市长, duty officer 值班员 (top of every chain's escalation).
 * The user `warden-a` is 网格员A. Phones are +86138000000NN (NN per person).
 */
export const PEOPLE = {
  mayor: { name: '市长', role: 'city_leader', division: TREE.city, phone: '+8613800000001', superior: null, backup: null },
  dutyOfficer: { name: '值班员', role: 'city_leader', division: TREE.city, phone: '+8613800000002', superior: null, backup: null },
  townHeadA: { name: '镇长A', role: 'town_head', division: TREE.townA, phone: '+8613800000011', superior: 'mayor', backup: null },
  villageHeadA: {
    name: '村书记A',
    role: 'village_head',
    division: TREE.villageA,
    phone: '+8613800000021',
    superior: 'townHeadA',
    backup: null,
  },
  cadreA: {
    name: '村干部A',
    role: 'village_cadre',
    division: TREE.villageA,
    phone: '+8613800000022',
    superior: 'villageHeadA',
    backup: null,
  },
  gridA: { name: '网格员A', role: 'patroller', division: TREE.gridA, phone: '+8613800000031', superior: 'villageHeadA', backup: 'cadreA' },
  warnerA: {
    name: '山洪预警员A',
    role: 'flash_flood_warner',
    division: TREE.gridA,
    phone: '+8613800000032',
    superior: 'villageHeadA',
    backup: null,
  },
  townHeadB: { name: '镇长B', role: 'town_head', division: TREE.townB, phone: '+8613800000012', superior: 'mayor', backup: null },
  villageHeadB: {
    name: '村书记B',
    role: 'village_head',
    division: TREE.villageB,
    phone: '+8613800000023',
    superior: 'townHeadB',
    backup: null,
  },
  gridB: { name: '网格员B', role: 'patroller', division: TREE.gridB, phone: '+8613800000033', superior: 'villageHeadB', backup: null },
} as const;
export type Person = keyof typeof PEOPLE;

const box = (w: number, s: number, e: number, n: number) =>
  `ST_Multi(ST_GeomFromText('POLYGON((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))', 4326))`;

const BOUNDARIES: Record<string, string> = {
  [TREE.city]: box(121.0, 28.8, 121.4, 29.0),
  [TREE.townA]: box(121.0, 28.8, 121.2, 29.0),
  [TREE.villageA]: box(121.0, 28.8, 121.1, 28.9),
  [TREE.gridA]: box(121.0, 28.8, 121.1, 28.9),
  [TREE.townB]: box(121.2, 28.8, 121.4, 29.0),
  [TREE.villageB]: box(121.3, 28.8, 121.4, 28.9),
  [TREE.gridB]: box(121.3, 28.8, 121.4, 28.9),
};

/** Boundaries, the holders with their chain, the flash-flood zone; returns holder ids by person. */
export async function seedWorld(ds: DataSource): Promise<Record<Person, string>> {
  for (const [code, geom] of Object.entries(BOUNDARIES)) await ds.query(`update divisions set boundary = ${geom} where code = $1`, [code]);
  const ids = {} as Record<Person, string>;
  for (const [key, p] of Object.entries(PEOPLE) as Array<[Person, (typeof PEOPLE)[Person]]>) {
    const [row]: Array<{ id: string }> = await ds.query(
      `insert into responsibility_holders (name, role, division_id, mobile, superior_id)
       select $1, $2::holder_role, d.id, $3, $4 from divisions d where d.code = $5 returning id`,
      [p.name, p.role, p.phone, p.superior ? ids[p.superior as Person] : null, p.division],
    );
    ids[key] = row.id;
  }
  for (const [key, p] of Object.entries(PEOPLE) as Array<[Person, (typeof PEOPLE)[Person]]>) {
    if (p.backup) await ds.query('update responsibility_holders set backup_id = $2 where id = $1', [ids[key], ids[p.backup as Person]]);
  }
  await ds.query(
    `insert into risk_objects (code, name, type, division_id, geom, primary_holder_id)
     select 'FF-A', '东湖村山洪危险区', 'flash_flood_zone', d.id,
            ST_GeomFromText('POLYGON((121.02 28.82, 121.05 28.82, 121.05 28.85, 121.02 28.85, 121.02 28.82))', 4326), $1
     from divisions d where d.code = $2`,
    [ids.warnerA, TREE.gridA],
  );
  await ds.query(`update users set holder_id = $1 where username = 'warden-a'`, [ids.gridA]);
  await ds.query(
    `with r as (insert into duty_rosters (duty_date, division_id, leader_id) select '2026-07-01', id, $1 from divisions where code = $3 returning id)
     insert into duty_roster_officers (roster_id, holder_id) select r.id, $2 from r`,
    [ids.mayor, ids.dutyOfficer, TREE.city],
  );
  return ids;
}

/** `n` more grid holders in grid A answering to `superiorId`, phones `<prefix><n, zero-padded to fill 13 digits>`. */
export async function addPatrollers(ds: DataSource, n: number, superiorId: string, prefix: string): Promise<void> {
  await ds.query(
    `insert into responsibility_holders (name, role, division_id, mobile, superior_id)
     select '巡查员' || i, 'patroller', d.id, $4 || lpad(i::text, 14 - length($4), '0'), $1
     from generate_series(1, $2) i, divisions d where d.code = $3`,
    [superiorId, n, TREE.gridA, prefix],
  );
}
