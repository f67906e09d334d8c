import type { HolderRole } from '@fangxun/registry';
import type { SeedDivision, SeedHolder } from './geo-seed.model';

/**
 * The registry as the geo seed reads it: the division tree under the city and the active
 * holders, indexed for "the flash-flood warner of this grid", "the head of this village".
 * Lists are sorted (codes; holders by name then mobile) so picks never depend on row order.
 */
export class SeedFrame {
  readonly towns: SeedDivision[];
  private readonly byCode = new Map<string, SeedDivision>();
  private readonly children = new Map<string, SeedDivision[]>();
  private readonly holdersAt = new Map<string, SeedHolder[]>();

  constructor(
    readonly city: SeedDivision,
    divisions: SeedDivision[],
    holders: SeedHolder[],
  ) {
    for (const d of [...divisions].sort((a, b) => a.code.localeCompare(b.code))) {
      this.byCode.set(d.code, d);
      if (d.parentCode) this.children.set(d.parentCode, [...(this.children.get(d.parentCode) ?? []), d]);
    }
    this.towns = this.childrenOf(city.code);
    const sorted = [...holders].sort((a, b) => a.name.localeCompare(b.name) || a.mobile.localeCompare(b.mobile));
    for (const h of sorted) {
      const key = `${h.divisionCode}/${h.role}`;
      this.holdersAt.set(key, [...(this.holdersAt.get(key) ?? []), h]);
    }
  }

  division(code: string): SeedDivision {
    const d = this.byCode.get(code);
    if (!d) throw new Error(`division ${code} is not in the registry; run the registry seed first`);
    return d;
  }

  childrenOf(code: string): SeedDivision[] {
    return this.children.get(code) ?? [];
  }

  villages(): SeedDivision[] {
    return this.towns.flatMap((t) => this.childrenOf(t.code));
  }

  townOf(villageCode: string): SeedDivision {
    return this.division(this.division(villageCode).parentCode!);
  }

  holders(divisionCode: string, role: HolderRole): SeedHolder[] {
    return this.holdersAt.get(`${divisionCode}/${role}`) ?? [];
  }

  /** Grids of a village where someone holds `role`. */
  gridsWith(villageCode: string, role: HolderRole): SeedDivision[] {
    return this.childrenOf(villageCode).filter((g) => this.holders(g.code, role).length > 0);
  }

  /** The village head, or failing that a cadre: every village object needs someone to answer. */
  villageLead(villageCode: string): SeedHolder | undefined {
    return this.holders(villageCode, 'village_head')[0] ?? this.holders(villageCode, 'village_cadre')[0];
  }

  /** Backup (AB岗) in the village: a cadre when there is one (taking turns by `turn`), else the head; never `primary`. */
  villageBackup(villageCode: string, primary: SeedHolder, turn: number): SeedHolder | undefined {
    const pool = [...this.holders(villageCode, 'village_cadre'), ...this.holders(villageCode, 'village_head')].filter(
      (h) => h.id !== primary.id,
    );
    return pool.length ? pool[turn % pool.length] : undefined;
  }

  townHolder(townCode: string, role: 'town_head' | 'town_deputy' | 'town_liaison', turn = 0): SeedHolder | undefined {
    const pool = this.holders(townCode, role);
    return pool.length ? pool[turn % pool.length] : undefined;
  }
}

/** 东岙村 → 东岙, 城东社区 → 城东: the stem names of places and works are built from. */
export function stem(name: string): string {
  return name.replace(/(村|社区|街道|镇)$/u, '');
}
