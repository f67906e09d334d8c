import type { RiskSeed, SeedDivision } from './geo-seed.model';
import { DATIAN_CODE, GEO_TARGETS, TownClass, townClass } from './geo-seed.targets';
import { Coder, pair, PlanContext, vulnerablePeople } from './people-plan';
import { stem } from './seed-frame';
import { chineseNumber, personName, skewedInt, weightedSample } from './seed-random';
import { uniqueName } from './zone-risk-plan';

const HOUSE_WEIGHT: Record<TownClass, number> = { urban: 2, mountain: 2, plain: 1.5, coastal: 1.5 };
const SITE_WEIGHT: Record<TownClass, number> = { urban: 5, coastal: 3, plain: 2, mountain: 0.5 };
const LOW_WEIGHT: Record<TownClass, number> = { urban: 3, plain: 3, coastal: 1.5, mountain: 0.3 };

const WORKS = [
  '安置小区',
  '中学迁建',
  '污水管网改造',
  '道路提升改造',
  '农贸市场改造',
  '标准厂房',
  '卫生院迁建',
  '防洪堤加固',
  '桥梁改建',
  '商住综合体',
];
const BUILDERS = ['临海市城建', '台州宏远', '浙江东海', '临海市灵江', '台州海湾', '浙江括苍', '临海市永安', '台州东方'];
const LOW_SPOTS = ['下穿通道', '菜市场口', '村口桥头', '老街', '涵洞', '低洼农居', '学校门口', '沿河路段'];

/**
 * Dilapidated houses (~120, points, each under the grid's 危房联络员), construction sites and
 * work sheds (~40, mostly in the 街道 and by the coast), and low-lying flood-prone points:
 * the 大田平原 "1618" plan's 14 controlled roads (LineStrings across 大田街道, filed at the
 * street) and 23 control points (Points in its villages), plus ~25 other low-lying points.
 */
export function planWorks(ctx: PlanContext, coder: Coder): RiskSeed[] {
  return [...dilapidatedHouses(ctx, coder), ...constructionSites(ctx, coder), ...datianPlan(ctx, coder), ...otherLowLying(ctx, coder)];
}

function dilapidatedHouses(ctx: PlanContext, coder: Coder): RiskSeed[] {
  const { faker, frame } = ctx;
  const eligible = frame.villages().filter((v) => frame.gridsWith(v.code, 'dilapidated_house_liaison').length);
  const slots = eligible.flatMap((v) => [0, 1].map((k) => ({ v, k })));
  const chosen = weightedSample(
    faker,
    slots,
    (s) => HOUSE_WEIGHT[townClass(s.v.parentCode!)] / (1 + 2 * s.k),
    GEO_TARGETS.counts.dilapidatedHouses,
  );
  return sorted(chosen.map((s) => s.v)).map((v, i): RiskSeed => {
    const grid = faker.helpers.arrayElement(frame.gridsWith(v.code, 'dilapidated_house_liaison'));
    const liaison = frame.holders(grid.code, 'dilapidated_house_liaison')[0];
    const [primary, backup] = pair(`dilapidated house in ${v.code}`, liaison, liaison && frame.villageBackup(v.code, liaison, i));
    const householder = personName(faker);
    const occupants = skewedInt(faker, 1, 6, 1.5);
    const grade = faker.datatype.boolean({ probability: 0.7 }) ? 'C' : 'D';
    return {
      code: coder.code('WF', v.code),
      name: `${v.name}${householder}户${grade}级危房`,
      type: 'dilapidated_house',
      divisionCode: v.code,
      anchor: { area: grid.code, group: 'dilapidated_house', marginM: 15 },
      shape: { kind: 'point' },
      attributes: { grade, occupants, householder, liaison: primary.name },
      households: 1,
      people: occupants,
      primaryId: primary.id,
      backupId: backup.id,
      shelters: 1,
      vulnerable: faker.datatype.boolean({ probability: 0.4 }) ? vulnerablePeople(ctx, v.code, primary, 1) : [],
      indicators: [],
      reportedAt: null,
    };
  });
}

/** A site answers to a village cadre (属地 supervision) with the head as backup, or the head with the patroller. */
function constructionSites(ctx: PlanContext, coder: Coder): RiskSeed[] {
  const { faker, frame } = ctx;
  const eligible = frame.villages().filter((v) => frame.villageLead(v.code));
  const chosen = weightedSample(faker, eligible, (v) => SITE_WEIGHT[townClass(v.parentCode!)], GEO_TARGETS.counts.constructionSites);
  const names = new Set<string>();
  return sorted(chosen).map((v, i): RiskSeed => {
    const cadre = frame.holders(v.code, 'village_cadre')[i % Math.max(1, frame.holders(v.code, 'village_cadre').length)];
    const head = frame.villageLead(v.code);
    const patroller = frame.childrenOf(v.code).flatMap((g) => frame.holders(g.code, 'patroller'))[0];
    const [primary, backup] = pair(`construction site in ${v.code}`, cadre ?? head, cadre ? head : patroller);
    const workers = skewedInt(faker, 30, 420, 1.7);
    const sheds = faker.datatype.boolean({ probability: 0.55 });
    const drawn = faker.datatype.boolean({ probability: 0.7 });
    return {
      code: coder.code('GD', v.code),
      name: uniqueName(names, `${stem(v.name)}${faker.helpers.arrayElement(WORKS)}工程`),
      type: 'construction_site',
      divisionCode: v.code,
      anchor: { area: v.code, group: 'construction_site', marginM: 60 },
      shape: drawn
        ? {
            kind: 'box',
            lengthM: faker.number.int({ min: 100, max: 400 }),
            widthM: faker.number.int({ min: 60, max: 220 }),
            azimuthDeg: faker.number.int({ min: 0, max: 179 }),
          }
        : { kind: 'point' },
      attributes: {
        workers,
        towerCranes: skewedInt(faker, 0, 4, 1.5),
        workSheds: sheds,
        shutdown: false,
        contractor: `${faker.helpers.arrayElement(BUILDERS)}建设有限公司`,
      },
      households: 0,
      // Workers who sleep in sheds on site are the ones to move; the others go home.
      people: sheds ? Math.round(workers * faker.number.float({ min: 0.3, max: 0.7 })) : 0,
      primaryId: primary.id,
      backupId: backup.id,
      shelters: sheds ? faker.number.int({ min: 1, max: 2 }) : 0,
      vulnerable: [],
      indicators: [],
      reportedAt: null,
    };
  });
}

/** The 1618 plan: roads filed at 大田街道 (town deputy / liaison), points in its villages (patroller / head). */
function datianPlan(ctx: PlanContext, coder: Coder): RiskSeed[] {
  const { faker, frame } = ctx;
  const town = frame.division(DATIAN_CODE);
  const roads = Array.from({ length: GEO_TARGETS.counts.datianRoads }, (_, i): RiskSeed => {
    const [primary, backup] = pair(
      '大田平原 road',
      frame.townHolder(town.code, 'town_deputy', i),
      frame.townHolder(town.code, 'town_liaison'),
    );
    return {
      code: coder.code('DW', `${town.code}R`),
      name: `大田平原${chineseNumber(i + 1)}号管控道路`,
      type: 'low_lying_point',
      divisionCode: town.code,
      anchor: { area: town.code, group: 'datian_road', marginM: 300 },
      shape: {
        kind: 'road',
        lengthM: faker.number.int({ min: 1800, max: 4500 }),
        deviationDeg: faker.number.int({ min: -45, max: 45 }),
        bendDeg: faker.number.int({ min: -40, max: 40 }),
      },
      attributes: { roadClosure: true, area: '大田平原', alertDepthCm: faker.helpers.arrayElement([15, 20, 25, 30]), pumps: 0 },
      households: 0,
      people: 0,
      primaryId: primary.id,
      backupId: backup.id,
      shelters: 0,
      vulnerable: [],
      indicators: [],
      reportedAt: null,
    };
  });
  const villages = frame.childrenOf(town.code).filter((v) => frame.villageLead(v.code) && frame.gridsWith(v.code, 'patroller').length);
  const slots = villages.flatMap((v) => [0, 1, 2].map((k) => ({ v, k })));
  const picked = sorted(weightedSample(faker, slots, (s) => 1 / (1 + s.k), GEO_TARGETS.counts.datianPoints).map((s) => s.v));
  const points = picked.map((v, i): RiskSeed => {
    const grid = faker.helpers.arrayElement(frame.gridsWith(v.code, 'patroller'));
    const [primary, backup] = pair(`大田平原 point in ${v.code}`, frame.holders(grid.code, 'patroller')[0], frame.villageLead(v.code));
    return {
      code: coder.code('DW', v.code),
      name: `大田平原${chineseNumber(i + 1)}号管控点位（${v.name}）`,
      type: 'low_lying_point',
      divisionCode: v.code,
      anchor: { area: grid.code, group: 'datian_point', marginM: 15 },
      shape: { kind: 'point' },
      attributes: {
        roadClosure: true,
        area: '大田平原',
        alertDepthCm: faker.helpers.arrayElement([20, 30, 40]),
        pumps: faker.number.int({ min: 0, max: 3 }),
      },
      households: 0,
      people: 0,
      primaryId: primary.id,
      backupId: backup.id,
      shelters: 0,
      vulnerable: [],
      indicators: [],
      reportedAt: null,
    };
  });
  return [...roads, ...points];
}

function otherLowLying(ctx: PlanContext, coder: Coder): RiskSeed[] {
  const { faker, frame } = ctx;
  const eligible = frame
    .villages()
    .filter((v) => v.parentCode !== DATIAN_CODE && frame.villageLead(v.code) && frame.gridsWith(v.code, 'patroller').length);
  const chosen = weightedSample(faker, eligible, (v) => LOW_WEIGHT[townClass(v.parentCode!)], GEO_TARGETS.counts.otherLowLying);
  return sorted(chosen).map((v): RiskSeed => {
    const grid = faker.helpers.arrayElement(frame.gridsWith(v.code, 'patroller'));
    const [primary, backup] = pair(`low-lying point in ${v.code}`, frame.holders(grid.code, 'patroller')[0], frame.villageLead(v.code));
    const drawn = faker.datatype.boolean({ probability: 0.35 });
    const households = drawn ? skewedInt(faker, 5, 40, 1.5) : skewedInt(faker, 0, 8, 1.5);
    return {
      code: coder.code('DW', v.code),
      name: `${stem(v.name)}${faker.helpers.arrayElement(LOW_SPOTS)}低洼易涝点`,
      type: 'low_lying_point',
      divisionCode: v.code,
      anchor: { area: grid.code, group: 'low_lying_point', marginM: 40 },
      shape: drawn
        ? {
            kind: 'capsule',
            lengthM: faker.number.int({ min: 150, max: 450 }),
            widthM: faker.number.int({ min: 60, max: 160 }),
            azimuthDeg: faker.number.int({ min: 0, max: 179 }),
          }
        : { kind: 'point' },
      attributes: {
        roadClosure: faker.datatype.boolean({ probability: 0.4 }),
        area: `${frame.townOf(v.code).name}${drawn ? '平原' : '城区'}`,
        alertDepthCm: faker.helpers.arrayElement([15, 20, 30]),
        pumps: faker.number.int({ min: 0, max: 4 }),
      },
      households,
      people: Math.round(households * faker.number.float({ min: 2.4, max: 3 })),
      primaryId: primary.id,
      backupId: backup.id,
      shelters: households ? 1 : 0,
      vulnerable: households && faker.datatype.boolean({ probability: 0.25 }) ? vulnerablePeople(ctx, v.code, primary, 1) : [],
      indicators: [],
      reportedAt: null,
    };
  });
}

function sorted(vs: SeedDivision[]): SeedDivision[] {
  return [...vs].sort((a, b) => a.code.localeCompare(b.code));
}
