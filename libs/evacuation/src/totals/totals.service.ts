import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { defaultScopePath, Principal } from '@fangxun/common';
import { ShelterService, ShelterTownTotals } from '@fangxun/geo';
import { RealtimeService, Rooms } from '@fangxun/notify';
import { DivisionService } from '@fangxun/registry';
import { townOf } from '../orders/transfer-order.types';
import { TaskTownTotals, TotalsRepository } from './totals.repository';

export interface TownTotals extends Omit<TaskTownTotals, 'town'> {
  town: string;
  shelters: Omit<ShelterTownTotals, 'town'>;
}

const ZERO: Omit<TaskTownTotals, 'town'> = {
  households: 0,
  people: 0,
  notified: 0,
  moving: 0,
  moved: 0,
  inShelters: 0,
  refused: 0,
  unreachable: 0,
  trapped: 0,
  returned: 0,
  flagged: 0,
};
const NO_SHELTERS = { shelters: 0, capacity: 0, occupancy: 0, reserved: 0 };

/**
 * Live transfer totals per town and for the city (or the caller's area): queryable, and pushed to
 * `/command` (`evacuation.totals`, room of the town, which the city's screens see too) in the
 * transaction of every change, so a screen never shows a figure the database does not hold.
 */
@Injectable()
export class TotalsService {
  constructor(
    private readonly totals: TotalsRepository,
    private readonly shelters: ShelterService,
    private readonly divisions: DivisionService,
    private readonly realtime: RealtimeService,
  ) {}

  async forPrincipal(principal: Principal): Promise<{ towns: TownTotals[]; total: Omit<TownTotals, 'town'> }> {
    const path = defaultScopePath(principal, await this.divisions.rootPath());
    const towns = await this.byTown([path]);
    const total = towns.reduce((acc, t) => add(acc, t), { ...ZERO, shelters: { ...NO_SHELTERS } });
    return { towns, total };
  }

  /**
   * Pushes the current totals of the towns of these division paths, in the caller's transaction
   * (and only on its connection: no second pool connection is taken while the transaction holds one).
   */
  async publish(m: EntityManager, divisionPaths: string[]): Promise<void> {
    const townPaths = [...new Set(divisionPaths.map((p) => p.split('.').slice(0, 2).join('.')))];
    if (!townPaths.length) return;
    const rows = await this.byTown(townPaths, m);
    await this.realtime.publish(
      m,
      townPaths.map((path) => {
        const town = townOf(path);
        return {
          room: Rooms.division(town),
          event: 'evacuation.totals',
          payload: { ...(rows.find((r) => r.town === town) ?? { town, ...ZERO, shelters: { ...NO_SHELTERS } }) },
        };
      }),
    );
  }

  private async byTown(paths: string[], m?: EntityManager): Promise<TownTotals[]> {
    // One after the other: inside a transaction both run on its one connection.
    const tasks = await this.totals.byTown(paths, m);
    const shelters = await this.shelters.totalsByTown(paths, m);
    const towns = [...new Set([...tasks.map((t) => t.town), ...shelters.map((s) => s.town)])].sort();
    return towns.map((town) => {
      const t = tasks.find((x) => x.town === town);
      const s = shelters.find((x) => x.town === town);
      const figures = t ? { ...ZERO, ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v ?? 0])) } : ZERO;
      const { town: _t, ...counts } = figures as TaskTownTotals;
      const { town: _s, ...places } = s ?? { town, ...NO_SHELTERS };
      return { town, ...counts, shelters: places };
    });
  }
}

function add(a: Omit<TownTotals, 'town'>, b: TownTotals): Omit<TownTotals, 'town'> {
  const out = { ...a, shelters: { ...a.shelters } };
  for (const k of Object.keys(ZERO) as Array<keyof typeof ZERO>) out[k] += b[k];
  for (const k of Object.keys(NO_SHELTERS) as Array<keyof typeof NO_SHELTERS>) out.shelters[k] += b.shelters[k];
  return out;
}
