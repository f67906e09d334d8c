import { Injectable } from '@nestjs/common';
import { AppError, assertInScope, decodeCursor, defaultScopePath, encodeCursor, Page, Principal } from '@fangxun/common';
import { RiskObjectService, ShelterService } from '@fangxun/geo';
import { DivisionService, HolderService } from '@fangxun/registry';
import { EvacuationErrors } from '../evacuation.errors';
import type { HouseholdDto, ListHouseholdsQuery } from './household.dto';
import { toHouseholdDto } from './household.mapper';
import { HouseholdRepository } from './household.repository';
import type { HouseholdRow } from './household.types';

/** The household register (一户一策): reads in the caller's area. Writes come by import (and the seed). */
@Injectable()
export class HouseholdService {
  constructor(
    private readonly households: HouseholdRepository,
    private readonly divisions: DivisionService,
    private readonly riskObjects: RiskObjectService,
    private readonly shelters: ShelterService,
    private readonly holders: HolderService,
  ) {}

  async list(principal: Principal, q: ListHouseholdsQuery, pageSize: number): Promise<Page<HouseholdDto>> {
    const limit = q.limit ?? pageSize;
    const withinPath = q.divisionCode
      ? (await this.divisions.getInScope(principal, q.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    let riskObjectIds: string[] | undefined;
    if (q.riskObjectCode) {
      const [ref] = await this.riskObjects.refsByCodes([q.riskObjectCode]);
      if (!ref) return { items: [], nextCursor: null };
      assertInScope(principal, ref.divisionPath, 'riskObjectCode');
      riskObjectIds = [ref.id];
    }
    const afterCode = q.cursor ? String(decodeCursor(q.cursor, 'code', 1)[0]) : undefined;
    const rows = await this.households.list({ withinPath, riskObjectIds, afterCode, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: await this.toDtos(principal, items),
      nextCursor: rows.length > limit && last ? encodeCursor('code', [last.code]) : null,
    };
  }

  async get(principal: Principal, code: string): Promise<HouseholdDto> {
    const row = await this.households.findByCode(code);
    if (!row) {
      throw new AppError(EvacuationErrors.HouseholdNotFound, `household ${code} not found`, [
        { field: 'code', problem: 'no such household' },
      ]);
    }
    assertInScope(principal, row.divisionPath, 'code');
    return (await this.toDtos(principal, [row]))[0];
  }

  /** DTOs with their risk objects, holders and shelters labelled: one call per owner, whatever the page size. */
  async toDtos(principal: Principal, rows: HouseholdRow[]): Promise<HouseholdDto[]> {
    const [objects, holders, shelters] = await Promise.all([
      this.riskObjects.refsByIds(rows.map((r) => r.riskObjectId)),
      this.holders.findRows([...new Set(rows.flatMap((r) => (r.responsibleHolderId ? [r.responsibleHolderId] : [])))]),
      this.shelters.refs({ ids: rows.flatMap((r) => (r.shelterId ? [r.shelterId] : [])) }),
    ]);
    const objectById = new Map(objects.map((o) => [o.id, o]));
    const holderById = new Map(holders.map((h) => [h.id, h]));
    const shelterById = new Map(shelters.map((s) => [s.id, s]));
    return rows.map((r) =>
      toHouseholdDto(principal, r, {
        riskObject: objectById.get(r.riskObjectId),
        holder: r.responsibleHolderId ? holderById.get(r.responsibleHolderId) : undefined,
        shelter: r.shelterId ? shelterById.get(r.shelterId) : undefined,
      }),
    );
  }
}
