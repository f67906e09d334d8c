import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { NearestSheltersService, ShelterService } from '@fangxun/geo';
import type { HouseholdRow } from '../households/household.types';
import type { TaskWrite } from './transfer-order.types';

export interface Candidate {
  code: string;
  name: string;
  distanceM: number | null;
}

/** What the command room is told about a task that did not go where it was planned. */
export interface RouteNotice {
  kind: 'rerouted' | 'flagged';
  householdCode: string;
  divisionPath: string;
  people: number;
  fromShelter: string | null;
  toShelter: string | null;
  note: string;
}

/**
 * Places at dispatch. Each household goes to its assigned shelter, else (or when that is full or
 * closed) to the nearest open shelter with room for all its members (geo's KNN from its risk
 * object, geodesic metres, at most evacuation.maxShelterDistanceM away). The places are held by
 * geo's guarded UPDATE in the caller's transaction, so the shelter's hard limit decides, not
 * this code: a shelter that filled up meanwhile refuses and the next one is tried. With none
 * left, the task is kept without a shelter and flagged for the command room.
 */
@Injectable()
export class TaskRouter {
  constructor(
    private readonly shelters: ShelterService,
    private readonly nearest: NearestSheltersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Candidate shelters per risk object, nearest first, read BEFORE the order's transaction opens:
   * the KNN runs on a pool connection of its own, and a transaction waiting for one while holding
   * another could starve the pool when many orders arrive together.
   */
  async nearby(riskObjectCodes: Map<string, string>): Promise<Map<string, Candidate[]>> {
    const out = new Map<string, Candidate[]>();
    for (const [id, code] of riskObjectCodes) out.set(id, await this.nearestWithRoom(code));
    return out;
  }

  async route(
    m: EntityManager,
    households: HouseholdRow[],
    near: Map<string, Candidate[]>,
  ): Promise<{ tasks: TaskWrite[]; notices: RouteNotice[] }> {
    const assigned = new Map(
      (await this.shelters.refs({ ids: households.flatMap((h) => (h.shelterId ? [h.shelterId] : [])) }, m)).map((s) => [s.id, s]),
    );
    const tasks: TaskWrite[] = [];
    const notices: RouteNotice[] = [];
    const maxKm = this.config.evacuation.maxShelterDistanceM / 1000;
    for (const h of households) {
      const planned = h.shelterId ? assigned.get(h.shelterId) : undefined;
      const knn = near.get(h.riskObjectId) ?? [];
      const candidates: Candidate[] = [
        ...(planned
          ? [{ code: planned.code, name: planned.name, distanceM: knn.find((k) => k.code === planned.code)?.distanceM ?? null }]
          : []),
        ...knn.filter((k) => k.code !== planned?.code),
      ];
      let chosen: (Candidate & { id: string }) | undefined;
      for (const c of candidates) {
        const held = await this.shelters.tryReserveIn(m, c.code, h.members);
        if (held) {
          chosen = { ...c, id: held.id };
          break;
        }
      }
      const firstId = candidates[0] && (candidates[0].code === planned?.code ? planned.id : undefined);
      const first = candidates[0];
      let note: string | null = null;
      if (!chosen) {
        note = `${maxKm}公里内无有空位的开放安置点，请指挥部调度 (no open shelter with ${h.members} free places within ${maxKm} km)`;
        notices.push({
          kind: 'flagged',
          householdCode: h.code,
          divisionPath: h.divisionPath,
          people: h.members,
          fromShelter: first?.code ?? null,
          toShelter: null,
          note,
        });
      } else if (first && chosen.code !== first.code) {
        const km = chosen.distanceM === null ? '' : `，距风险点${(chosen.distanceM / 1000).toFixed(1)}公里`;
        note = `${first.name}(${first.code})已满，改派${chosen.name}(${chosen.code})${km}`;
        notices.push({
          kind: 'rerouted',
          householdCode: h.code,
          divisionPath: h.divisionPath,
          people: h.members,
          fromShelter: first.code,
          toShelter: chosen.code,
          note,
        });
      }
      tasks.push({
        householdId: h.id,
        householdCode: h.code,
        headName: h.headName,
        people: h.members,
        riskObjectId: h.riskObjectId,
        divisionId: h.divisionId,
        holderId: h.responsibleHolderId,
        shelterId: chosen?.id ?? null,
        reserved: chosen ? h.members : 0,
        reroutedFromShelterId: chosen && first && chosen.code !== first.code ? (firstId ?? (await this.idOf(m, first.code))) : null,
        distanceM: chosen && chosen.distanceM !== null ? Math.round(chosen.distanceM) : null,
        routeNote: note ?? h.routeNote,
      });
    }
    return { tasks, notices };
  }

  /** Open shelters with a free place, nearest first, within the configured distance (too small ones refuse the reservation). */
  private async nearestWithRoom(riskObjectCode: string): Promise<Candidate[]> {
    const { maxShelterDistanceM, shelterCandidates } = this.config.evacuation;
    const found = await this.nearest.find(undefined, { riskObjectCode, limit: shelterCandidates, minFree: 1 });
    return found.shelters
      .filter((s) => s.distanceM <= maxShelterDistanceM)
      .map((s) => ({ code: s.code, name: s.name, distanceM: s.distanceM }));
  }

  private async idOf(m: EntityManager, code: string): Promise<string | null> {
    return (await this.shelters.refs({ codes: [code] }, m))[0]?.id ?? null;
  }
}
