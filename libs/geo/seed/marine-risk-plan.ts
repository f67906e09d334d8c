import type { CoastStretch, PortSeed, RiskSeed } from './geo-seed.model';
import { GEO_TARGETS } from './geo-seed.targets';
import { Coder, pair, PlanContext } from './people-plan';
import { stem } from './seed-frame';
import { apportion, chineseNumber, skewedInt } from './seed-random';

/** Stretches shorter than this carry no seawall section. */
const MIN_STRETCH_M = 800;

/**
 * Fishing ports: the middle of the longest mainland stretches (islands only if the mainland has
 * too few), in different villages, at most two per town, four in all. The boats of a port are
 * filed at its village.
 */
export function planPorts(ctx: PlanContext, coast: CoastStretch[]): PortSeed[] {
  const ports: PortSeed[] = [];
  const order = (a: CoastStretch, b: CoastStretch) =>
    Number(b.mainland) - Number(a.mainland) || b.lengthM - a.lengthM || a.villageCode.localeCompare(b.villageCode) || a.k - b.k;
  for (const s of [...coast].sort(order)) {
    if (ports.length === 4) break;
    if (ports.some((p) => p.villageCode === s.villageCode) || ports.filter((p) => p.townCode === s.townCode).length >= 2) continue;
    const village = ctx.frame.division(s.villageCode);
    ports.push({
      key: `port${ports.length + 1}`,
      name: `${stem(village.name)}渔港`,
      villageCode: s.villageCode,
      townCode: s.townCode,
      k: s.k,
    });
  }
  if (ports.length < 2) throw new Error(`the coast has too few stretches for fishing ports (${coast.length})`);
  return ports;
}

/** Seawall sections along the coast, shared out by stretch length; each 40 m inland of the outline, inside its village. */
export function planSeawalls(ctx: PlanContext, coder: Coder, coast: CoastStretch[]): RiskSeed[] {
  const { faker, frame } = ctx;
  const stretches = coast.filter((s) => s.lengthM >= MIN_STRETCH_M).sort((a, b) => a.villageCode.localeCompare(b.villageCode) || a.k - b.k);
  // A long stretch may carry several sections (one per 1.5 km at most); the total stays exact.
  // Most standard seawalls guard the mainland plain; the islands get a few.
  const counts = apportion(
    GEO_TARGETS.counts.seawalls,
    stretches.map((s) => Math.sqrt(s.lengthM) * (s.mainland ? 3 : 1)),
    0,
    stretches.map((s) => Math.max(1, Math.floor(s.lengthM / 1500))),
  );
  const perVillage = new Map<string, number>();
  const out: RiskSeed[] = [];
  stretches.forEach((s, j) => {
    const village = frame.division(s.villageCode);
    const grids = frame.gridsWith(village.code, 'patroller');
    for (let n = 0; n < counts[j]; n++) {
      const part = 1 / counts[j];
      const length = Math.min(faker.number.int({ min: 1200, max: 4200 }), s.lengthM * part * 0.85);
      const span = length / s.lengthM;
      const from = n * part + faker.number.float({ min: 0, max: part - span });
      const patroller = grids.length ? frame.holders(grids[(out.length + n) % grids.length].code, 'patroller')[0] : undefined;
      const [primary, backup] = pair(`seawall in ${village.code}`, patroller, frame.villageLead(village.code));
      const section = (perVillage.get(village.code) ?? 0) + 1;
      perVillage.set(village.code, section);
      out.push({
        code: coder.code('HT', village.code),
        name: `${stem(village.name)}海塘${chineseNumber(section)}段`,
        type: 'seawall',
        divisionCode: village.code,
        anchor: null,
        shape: { kind: 'seawall', villageCode: village.code, k: s.k, from: round6(from), to: round6(from + span) },
        attributes: {
          kind: 'seawall',
          standardYears: faker.helpers.arrayElement([20, 50, 50, 50, 100]),
          lengthM: Math.round(length),
          gapsToClose: skewedInt(faker, 0, 6, 1.5),
          patroller: primary.name,
        },
        households: 0,
        people: 0,
        primaryId: primary.id,
        backupId: backup.id,
        shelters: 0,
        vulnerable: [],
        indicators: [],
        reportedAt: null,
      });
    }
  });
  return out;
}

/**
 * 782 fishing boats (浙临渔 + five digits), shared out over the ports; most lie in their port's
 * water, the rest are out at sea east of the coast. Each answers to a cadre of the port's
 * village (干部包船), with the town's flood liaison as backup.
 */
export function planBoats(ctx: PlanContext, ports: PortSeed[]): RiskSeed[] {
  const { faker, frame } = ctx;
  const perPort = apportion(
    GEO_TARGETS.counts.fishingBoats,
    ports.map((_, i) => [35, 25, 22, 18][i] ?? 15),
    1,
  );
  const numbers = new Set<number>();
  const out: RiskSeed[] = [];
  ports.forEach((port, p) => {
    const cadres = [...frame.holders(port.villageCode, 'village_cadre'), ...frame.holders(port.villageCode, 'village_head')];
    for (let i = 0; i < perPort[p]; i++) {
      let no: number;
      do no = faker.number.int({ min: 1, max: 99_999 });
      while (numbers.has(no));
      numbers.add(no);
      const vesselNo = `浙临渔${String(no).padStart(5, '0')}`;
      const inPort = faker.datatype.boolean({ probability: GEO_TARGETS.boatsInPortShare });
      const crew = skewedInt(faker, 3, 16, 1.6);
      const [primary, backup] = pair(
        `boat of ${port.name}`,
        cadres[i % Math.max(1, cadres.length)],
        frame.townHolder(port.townCode, 'town_liaison'),
      );
      out.push({
        code: `YC-${String(no).padStart(5, '0')}`,
        name: vesselNo,
        type: 'fishing_boat',
        divisionCode: port.villageCode,
        anchor: { area: inPort ? port.key : 'open_sea', group: 'fishing_boat', marginM: 0 },
        shape: { kind: 'point' },
        attributes: { vesselNo, homePort: port.name, crew, lengthM: faker.number.float({ min: 12, max: 48, fractionDigits: 1 }), inPort },
        households: 0,
        people: crew,
        primaryId: primary.id,
        backupId: backup.id,
        shelters: 0,
        vulnerable: [],
        indicators: [],
        reportedAt: GEO_TARGETS.boatsReportedAt,
      });
    }
  });
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

const PROJECTS = [
  {
    name: '临海东部海上风电场工程',
    kind: 'wind_farm',
    operator: '浙江东海新能源有限公司',
    form: 'box',
    dist: [14_000, 18_000],
    bearing: [85, 105],
    len: 6000,
    wid: 2500,
  },
  {
    name: '深远海养殖平台工程',
    kind: 'aquaculture',
    operator: '临海市海洋渔业发展有限公司',
    form: 'box',
    dist: [3500, 5000],
    bearing: [50, 80],
    len: 2000,
    wid: 1200,
  },
  {
    name: '港区码头扩建工程',
    kind: 'port_works',
    operator: '台州湾港务建设有限公司',
    form: 'basin',
    dist: [0, 0],
    bearing: [0, 0],
    len: 900,
    wid: 0,
  },
  {
    name: '跨海海缆敷设工程',
    kind: 'other',
    operator: '浙江海缆工程有限公司',
    form: 'point',
    dist: [6000, 9000],
    bearing: [95, 125],
    len: 0,
    wid: 0,
  },
] as const;

/** Four offshore projects off the ports (GEO_TARGETS.counts.offshoreProjects), filed at the port's town. */
export function planOffshore(ctx: PlanContext, coder: Coder, ports: PortSeed[]): RiskSeed[] {
  const { faker, frame } = ctx;
  return PROJECTS.slice(0, GEO_TARGETS.counts.offshoreProjects).map((p, i): RiskSeed => {
    const port = ports[i % ports.length];
    const [primary, backup] = pair(
      `offshore project off ${port.townCode}`,
      frame.townHolder(port.townCode, 'town_deputy', i),
      frame.townHolder(port.townCode, 'town_liaison'),
    );
    const staff = faker.number.int({ min: 30, max: 180 });
    return {
      code: coder.code('HS', port.townCode),
      name: p.kind === 'port_works' ? `${port.name}${p.name}` : p.name,
      type: 'offshore_project',
      divisionCode: port.townCode,
      anchor: null,
      shape: {
        kind: 'offshore',
        port: port.key,
        form: p.form,
        distanceM: faker.number.int({ min: p.dist[0], max: p.dist[1] }),
        bearingDeg: faker.number.int({ min: p.bearing[0], max: p.bearing[1] }),
        lengthM: p.len,
        widthM: p.wid,
      },
      attributes: { kind: p.kind, staff, operator: p.operator },
      households: 0,
      people: staff,
      primaryId: primary.id,
      backupId: backup.id,
      shelters: 1,
      vulnerable: [],
      indicators: [],
      reportedAt: null,
    };
  });
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
