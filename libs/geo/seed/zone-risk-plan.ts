import type { GeoHazardZoneAttributes, ReservoirAttributes } from '@fangxun/geo';
import type { RiskSeed, SeedDivision } from './geo-seed.model';
import { GEO_TARGETS, TownClass, townClass } from './geo-seed.targets';
import { Coder, flashFloodIndicators, pair, PlanContext, vulnerablePeople } from './people-plan';
import { stem } from './seed-frame';
import { skewedInt, weightedSample } from './seed-random';

/** How dense each hillside list is per kind of town (relative weights per village). */
const FLASH_FLOOD_WEIGHT: Record<TownClass, number> = { mountain: 6, urban: 0.4, plain: 1, coastal: 1 };
const GEO_HAZARD_WEIGHT: Record<TownClass, number> = { mountain: 5, urban: 0.8, plain: 1, coastal: 2 };
const RESERVOIR_WEIGHT: Record<TownClass, number> = { mountain: 4, urban: 1, plain: 1, coastal: 2 };

const SLOPES = ['后山', '岭头', '坑口', '山脚', '东坡', '西坡', '南山', '北山', '老屋基', '水口', '岩下', '溪坑'];
const HAZARDS: Array<{ value: { kind: GeoHazardZoneAttributes['hazardKind']; zh: string }; weight: number }> = [
  { value: { kind: 'landslide', zh: '滑坡' }, weight: 60 },
  { value: { kind: 'collapse', zh: '崩塌' }, weight: 25 },
  { value: { kind: 'debris_flow', zh: '泥石流' }, weight: 12 },
  { value: { kind: 'subsidence', zh: '地面塌陷' }, weight: 3 },
];
const DIRECTIONS = ['东', '南', '西', '北', '东南', '西北'];

/**
 * Flash-flood key villages (81, one zone each, all in different villages), geological-hazard
 * risk prevention zones (149, up to three in a village) and reservoirs/ponds (~60), mostly in
 * the mountain towns. Each zone grows from a point in the grid of the holder who answers for
 * it (the grid's 山洪预警员, 地灾群测群防员 or 巡查员) and is clipped to its village.
 */
export function planZones(ctx: PlanContext, coder: Coder): RiskSeed[] {
  return [...flashFloodZones(ctx, coder), ...geoHazardZones(ctx, coder), ...reservoirs(ctx, coder)];
}

function flashFloodZones(ctx: PlanContext, coder: Coder): RiskSeed[] {
  const { faker, frame } = ctx;
  const eligible = frame.villages().filter((v) => frame.gridsWith(v.code, 'flash_flood_warner').length && frame.villageLead(v.code));
  const chosen = weightedSample(faker, eligible, (v) => FLASH_FLOOD_WEIGHT[townClass(v.parentCode!)], GEO_TARGETS.counts.flashFloodZones);
  return chosen
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((v): RiskSeed => {
      const grid = faker.helpers.arrayElement(frame.gridsWith(v.code, 'flash_flood_warner'));
      const [primary, backup] = pair(
        `flash-flood zone in ${v.code}`,
        frame.holders(grid.code, 'flash_flood_warner')[0],
        frame.villageLead(v.code),
      );
      const households = skewedInt(faker, 4, 40, 1.6);
      const people = Math.round(households * faker.number.float({ min: 2.3, max: 3.1 }));
      const keyVillage = faker.number.int({ min: 1, max: 4 }) > 1;
      return {
        code: coder.code('SH', v.code),
        name: keyVillage ? `${v.name}山洪灾害重点村危险区` : `${v.name}${faker.helpers.arrayElement(SLOPES)}山洪危险区`,
        type: 'flash_flood_zone',
        divisionCode: v.code,
        anchor: { area: grid.code, group: 'flash_flood_zone', marginM: 60 },
        shape: capsule(ctx, 500, 1500, 150, 350),
        attributes: {
          villageKind: keyVillage ? 'key_village' : 'danger_zone',
          households,
          transferRoute: `沿${faker.helpers.arrayElement(['村道', '溪边路', '机耕路', '山脚小路'])}向${faker.helpers.arrayElement(DIRECTIONS)}转移至避灾安置点`,
          warner: primary.name,
          catchmentKm2: faker.number.float({ min: 1.5, max: 40, fractionDigits: 1 }),
        },
        households,
        people,
        primaryId: primary.id,
        backupId: backup.id,
        shelters: faker.number.int({ min: 1, max: 3 }),
        vulnerable: faker.datatype.boolean({ probability: 0.55 })
          ? vulnerablePeople(ctx, v.code, primary, faker.number.int({ min: 1, max: 3 }))
          : [],
        indicators: flashFloodIndicators(faker),
        reportedAt: null,
      };
    });
}

function geoHazardZones(ctx: PlanContext, coder: Coder): RiskSeed[] {
  const { faker, frame } = ctx;
  const eligible = frame.villages().filter((v) => frame.gridsWith(v.code, 'geo_hazard_observer').length && frame.villageLead(v.code));
  // Up to three zones in one village: sample "slots" of villages, each village offered three times.
  const slots = eligible.flatMap((v) => [0, 1, 2].map((k) => ({ v, k })));
  const chosen = weightedSample(
    faker,
    slots,
    (s) => GEO_HAZARD_WEIGHT[townClass(s.v.parentCode!)] / (1 + 2 * s.k),
    GEO_TARGETS.counts.geoHazardZones,
  );
  const names = new Set<string>();
  return chosen
    .map((s) => s.v)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((v, i): RiskSeed => {
      const grid = faker.helpers.arrayElement(frame.gridsWith(v.code, 'geo_hazard_observer'));
      const observer = frame.holders(grid.code, 'geo_hazard_observer')[0];
      const [primary, backup] = pair(`geo-hazard zone in ${v.code}`, observer, observer && frame.villageBackup(v.code, observer, i));
      const hazard = faker.helpers.weightedArrayElement(HAZARDS);
      const grade = faker.helpers.weightedArrayElement([
        { value: 'low', weight: 20 },
        { value: 'medium', weight: 45 },
        { value: 'high', weight: 28 },
        { value: 'very_high', weight: 7 },
      ] as const);
      const households = skewedInt(faker, 1, 14, 1.8);
      return {
        code: coder.code('DZ', v.code),
        name: uniqueName(names, `${stem(v.name)}${faker.helpers.arrayElement(SLOPES)}${hazard.zh}风险防范区`),
        type: 'geo_hazard_zone',
        divisionCode: v.code,
        anchor: { area: grid.code, group: 'geo_hazard_zone', marginM: 40 },
        shape: capsule(ctx, 80, 350, 60, 180),
        attributes: {
          hazardKind: hazard.kind,
          riskGrade: grade,
          observer: primary.name,
          monitored: grade === 'high' || grade === 'very_high' ? faker.datatype.boolean({ probability: 0.6 }) : false,
          surveyYear: faker.number.int({ min: 2021, max: 2025 }),
        },
        households,
        people: Math.round(households * faker.number.float({ min: 2.2, max: 3.2 })),
        primaryId: primary.id,
        backupId: backup.id,
        shelters: faker.number.int({ min: 1, max: 2 }),
        vulnerable: faker.datatype.boolean({ probability: 0.3 })
          ? vulnerablePeople(ctx, v.code, primary, faker.number.int({ min: 1, max: 2 }))
          : [],
        indicators: [],
        reportedAt: null,
      };
    });
}

type Range = [number, number];
interface ReservoirClass {
  cls: ReservoirAttributes['capacityClass'];
  zh: string;
  len: Range;
  wid: Range;
  dam: Range;
  people: Range;
}
const RESERVOIR_CLASSES: Array<{ value: ReservoirClass; weight: number }> = [
  { value: { cls: 'pond', zh: '山塘', len: [60, 160], wid: [40, 90], dam: [5, 15], people: [0, 30] }, weight: 50 },
  { value: { cls: 'small_ii', zh: '水库', len: [150, 420], wid: [80, 200], dam: [10, 25], people: [10, 120] }, weight: 33 },
  { value: { cls: 'small_i', zh: '水库', len: [400, 900], wid: [150, 350], dam: [15, 40], people: [50, 300] }, weight: 15 },
  { value: { cls: 'medium', zh: '水库', len: [1200, 2400], wid: [300, 700], dam: [30, 60], people: [300, 900] }, weight: 2 },
];

function reservoirs(ctx: PlanContext, coder: Coder): RiskSeed[] {
  const { faker, frame } = ctx;
  const eligible = frame.villages().filter((v) => frame.gridsWith(v.code, 'patroller').length && frame.villageLead(v.code));
  const chosen = weightedSample(faker, eligible, (v) => RESERVOIR_WEIGHT[townClass(v.parentCode!)], GEO_TARGETS.counts.reservoirs);
  return chosen
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((v: SeedDivision, i): RiskSeed => {
      const c = faker.helpers.weightedArrayElement(RESERVOIR_CLASSES);
      const grid = faker.helpers.arrayElement(frame.gridsWith(v.code, 'patroller'));
      const patroller = frame.holders(grid.code, 'patroller')[0];
      const [primary, backup] = pair(`reservoir in ${v.code}`, patroller, patroller && frame.villageBackup(v.code, patroller, i));
      const unsafe = faker.datatype.boolean({ probability: 0.15 });
      const downstream = faker.number.int({ min: c.people[0], max: c.people[1] });
      const crest = faker.number.float({ min: 20, max: 380, fractionDigits: 1 });
      return {
        code: coder.code('SK', v.code),
        name: `${stem(v.name)}${faker.helpers.arrayElement(['', '上', '下', '后', '里'])}${c.zh}`,
        type: 'reservoir',
        divisionCode: v.code,
        anchor: { area: grid.code, group: 'reservoir', marginM: 40 },
        shape: capsule(ctx, c.len[0], c.len[1], c.wid[0], c.wid[1]),
        attributes: {
          capacityClass: c.cls,
          floodLimitLevelM: crest,
          damHeightM: faker.number.float({ min: c.dam[0], max: c.dam[1], fractionDigits: 1 }),
          unsafe,
          downstreamPeople: downstream,
        },
        // Only an unsafe (病险) reservoir puts its downstream people on the threatened list.
        households: unsafe ? Math.ceil(downstream / 2.8) : 0,
        people: unsafe ? downstream : 0,
        primaryId: primary.id,
        backupId: backup.id,
        shelters: unsafe ? faker.number.int({ min: 1, max: 3 }) : 0,
        vulnerable: [],
        indicators: [],
        reportedAt: null,
      };
    });
}

function capsule(ctx: PlanContext, minLen: number, maxLen: number, minWid: number, maxWid: number): RiskSeed['shape'] {
  const { faker } = ctx;
  return {
    kind: 'capsule',
    lengthM: faker.number.int({ min: minLen, max: maxLen }),
    widthM: faker.number.int({ min: minWid, max: maxWid }),
    azimuthDeg: faker.number.int({ min: 0, max: 179 }),
  };
}

/** Two zones on the same slope of a village are told apart as (二), (三). */
export function uniqueName(used: Set<string>, name: string): string {
  let out = name;
  for (let n = 2; used.has(out); n++) out = `${name}（${'一二三四五六七八九十'[n - 1] ?? n}）`;
  used.add(out);
  return out;
}
