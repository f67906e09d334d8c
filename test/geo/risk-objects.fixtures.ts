import request from 'supertest';
import type { TestApp } from '../support/app';
import { TREE } from '../support/fixtures';

/** Holders and shelters the risk-object specs assign, built through the registry API (shelters in SQL: their API is another area's). */
export interface RiskWorld {
  townHeadA: string;
  villageHeadA: string;
  inactiveA: string;
  townHeadB: string;
}

export async function seedRiskWorld(t: TestApp, commanderToken: string): Promise<RiskWorld> {
  const post = async (body: object) =>
    (
      await request(t.http)
        .post('/api/v1/holders')
        .set({ Authorization: `Bearer ${commanderToken}` })
        .send(body)
        .expect(201)
    ).body.id as string;
  const townHeadA = await post({ name: '李镇长', role: 'town_head', divisionCode: TREE.townA, mobile: '13900000102' });
  const villageHeadA = await post({ name: '王书记', role: 'village_head', divisionCode: TREE.villageA, mobile: '13900000103' });
  const inactiveA = await post({
    name: '退休的',
    role: 'village_cadre',
    divisionCode: TREE.villageA,
    mobile: '13900000104',
    active: false,
  });
  const townHeadB = await post({ name: '赵镇长', role: 'town_head', divisionCode: TREE.townB, mobile: '13900000105' });
  const shelters: Array<[string, string, string, string, number, number, number]> = [
    ['SH-A1', '东湖村文化礼堂', 'village', TREE.villageA, 121.101, 28.851, 60],
    ['SH-A2', '古城街道中心小学', 'town', TREE.townA, 121.12, 28.86, 300],
    ['SH-B1', '岭根村避灾点', 'village', TREE.villageB, 121.2, 28.9, 50],
  ];
  for (const [code, name, tier, division, lon, lat, capacity] of shelters) {
    await t.ds.query(
      `insert into shelters (code, name, tier, division_id, location, capacity)
       select $1, $2, $3::shelter_tier, id, st_setsrid(st_makepoint($4, $5), 4326), $6 from divisions where code = $7`,
      [code, name, tier, lon, lat, capacity, division],
    );
  }
  return { townHeadA, villageHeadA, inactiveA, townHeadB };
}

/** A small counter-clockwise square (RFC 7946 right-hand rule) with its lower-left corner at (x, y). */
export const square = (x: number, y: number, d = 0.01) => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];

export const attributes = {
  flash_flood_zone: { villageKind: 'key_village', households: 120, transferRoute: '沿村道向东至村文化礼堂', warner: '张预警' },
  geo_hazard_zone: { hazardKind: 'landslide', riskGrade: 'high', observer: '陈群防' },
  reservoir: { capacityClass: 'small_ii', floodLimitLevelM: 42.5, damHeightM: 18, unsafe: true, downstreamPeople: 340 },
  seawall: { kind: 'seawall', standardYears: 50, lengthM: 2300, gapsToClose: 3 },
  low_lying_point: { pumps: 2, roadClosure: true, area: '大田平原' },
  dilapidated_house: { grade: 'D', occupants: 2, householder: '周老汉' },
  construction_site: { workers: 85, towerCranes: 2, workSheds: true, shutdown: false },
  fishing_boat: { vesselNo: '浙临渔12345', homePort: '红脚岩渔港', crew: 6, lengthM: 28.5, inPort: false },
  offshore_project: { kind: 'wind_farm', staff: 40, operator: '华能' },
};
