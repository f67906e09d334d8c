/**
 * The holder file the registry and audit benchmarks import: 5,349 rows over a generated county
 * (or the seeded tree), superiors and backups named by mobile, fake numbers only.
 */
export interface Division {
  code: string;
  name: string;
  level: 'city' | 'town' | 'village' | 'grid';
  parent: string | null;
}

/** 1 city, 19 towns, 14 villages per town, 2 grids per village: the shape of a county like 临海. */
export function generatedTree(): Division[] {
  const out: Division[] = [{ code: '331082', name: '临海市', level: 'city', parent: null }];
  for (let t = 1; t <= 19; t++) {
    const town = `331082${String(t).padStart(3, '0')}`;
    out.push({ code: town, name: `第${t}镇`, level: 'town', parent: '331082' });
    for (let v = 1; v <= 14; v++) {
      const village = `${town}${String(v).padStart(3, '0')}`;
      out.push({ code: village, name: `${t}镇${v}村`, level: 'village', parent: town });
      for (let g = 1; g <= 2; g++) out.push({ code: `${village}G0${g}`, name: `${t}镇${v}村${g}网格`, level: 'grid', parent: village });
    }
  }
  return out;
}

const GRID_ROLES = ['patroller', 'flash_flood_warner', 'geo_hazard_observer', 'shelter_manager', 'dilapidated_house_liaison'];

/**
 * Exactly `count` rows: a city leader per town, the town's head, deputies and liaison, each
 * village's head and cadres, then grid holders round-robin. Every row names its superior by
 * mobile; cadres back up their village head, grid holders the same role in the sibling grid.
 */
export function holderRows(tree: Division[], count: number, phonePrefix: string): string[][] {
  let n = 0;
  // Fake numbers only (config.seed.fakePhonePrefix): 11 digits, the prefix then a counter.
  const phone = () => `${phonePrefix}${String(++n).padStart(11 - phonePrefix.length, '0')}`;
  const rows: string[][] = [
    ['name', 'role', 'divisionCode', 'mobile', 'otherPhones', 'superiorMobile', 'backupMobile', 'appointedYear', 'active'],
  ];
  const add = (name: string, role: string, code: string, superior = '', backup = '') => {
    const mobile = phone();
    rows.push([name, role, code, mobile, '', superior, backup, '2025', '是']);
    return mobile;
  };
  const city = tree.find((d) => d.level === 'city')!;
  const towns = tree.filter((d) => d.level === 'town');
  const villageHead = new Map<string, string>();
  for (const town of towns) {
    const leader = add(`包${town.name}领导`, 'city_leader', city.code);
    const head = add(`${town.name}镇长`, 'town_head', town.code, leader);
    const deputies = [
      add(`${town.name}副镇长甲`, 'town_deputy', town.code, head),
      add(`${town.name}副镇长乙`, 'town_deputy', town.code, head),
    ];
    add(`${town.name}联络员`, 'town_liaison', town.code, head);
    tree
      .filter((d) => d.parent === town.code)
      .forEach((village, i) => {
        const vh = add(`${village.name}书记`, 'village_head', village.code, deputies[i % 2]);
        villageHead.set(village.code, vh);
        add(`${village.name}干部甲`, 'village_cadre', village.code, vh, vh);
        add(`${village.name}干部乙`, 'village_cadre', village.code, vh, vh);
      });
  }
  const grids = tree.filter((d) => d.level === 'grid' && villageHead.has(d.parent!));
  const firstOfRole = new Map<string, string>();
  for (let i = 0; rows.length - 1 < count; i++) {
    const grid = grids[i % grids.length];
    const role = GRID_ROLES[Math.floor(i / grids.length) % GRID_ROLES.length];
    const key = `${grid.parent}|${role}`;
    const mobile = add(`${grid.name}${role}${i}`, role, grid.code, villageHead.get(grid.parent!)!, firstOfRole.get(key) ?? '');
    if (!firstOfRole.has(key)) firstOfRole.set(key, mobile);
  }
  return rows;
}
