import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, sameFieldsAs } from '@fangxun/audit';
import { AppError, assertInScope, decodeCursor, defaultScopePath, encodeCursor, Page, Principal } from '@fangxun/common';
import { PG_CHECK_VIOLATION, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService, HolderService } from '@fangxun/registry';
import { GeoErrors } from '../geo.errors';
import { placeError, PlaceResolver, ResolvedPlace } from '../point-features/place.resolver';
import { CheckInDto, CreateShelterDto, ListSheltersQuery, ShelterDto, ShelterFilterQuery, UpdateShelterDto } from './shelter.dto';
import { toShelterDto } from './shelter.mapper';
import { ShelterRepository, ShelterRow, ShelterTownTotals, ShelterWrite } from './shelter.repository';
import { ShelterOccupancyService } from './shelter-occupancy.service';
import { ShelterInput, toShelterWrite } from './shelter-writes';

const HARD_LIMIT = 'shelters_capacity_is_a_hard_limit';

/**
 * Shelters (避灾安置场所): the register, and the live count of people in them. Occupancy only
 * moves through checkIn/checkOut/reserve/release, each one atomic statement (ShelterOccupancyService).
 */
@Injectable()
export class ShelterService {
  constructor(
    private readonly shelters: ShelterRepository,
    private readonly occupancy: ShelterOccupancyService,
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
    private readonly places: PlaceResolver,
    private readonly audit: AuditService,
  ) {}

  async get(principal: Principal, code: string): Promise<ShelterDto> {
    return (await this.toDtos([await this.rowInScope(principal, code)]))[0];
  }

  async list(principal: Principal, q: ListSheltersQuery, pageSize: number): Promise<Page<ShelterDto>> {
    const limit = q.limit ?? pageSize;
    const afterCode = q.cursor ? String(decodeCursor(q.cursor, 'code', 1)[0]) : undefined;
    const rows = await this.rowsInScope(principal, q, { afterCode, desc: q.order === 'desc', limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: await this.toDtos(items), nextCursor: rows.length > limit && last ? encodeCursor('code', [last.code]) : null };
  }

  /** Rows under the asked division (or the caller's whole area), for lists and exports. */
  async rowsInScope(
    principal: Principal,
    f: ShelterFilterQuery,
    page: { afterCode?: string; desc?: boolean; limit?: number } = {},
  ): Promise<ShelterRow[]> {
    const withinPath = f.divisionCode
      ? (await this.divisions.getInScope(principal, f.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    if (!withinPath) return [];
    return this.shelters.list({ withinPath, tier: f.tier, open: f.open, hasFreePlaces: f.hasFreePlaces, ...page });
  }

  async create(principal: Principal, dto: CreateShelterDto): Promise<ShelterDto> {
    const input: ShelterInput = {
      code: dto.code,
      name: dto.name,
      tier: dto.tier,
      divisionCode: dto.divisionCode,
      location: JSON.stringify(dto.location),
      capacity: dto.capacity,
      managerHolderId: dto.managerHolderId ?? null,
      facilities: dto.facilities ?? [],
      open: dto.open ?? true,
    };
    const write = await this.resolveOne(principal, input, true);
    try {
      await this.audit.changed(
        (m) => this.shelters.insert(write, m),
        () => ({ actor: principal, action: 'shelter.create', entity: 'shelter', entityId: write.code, after: { ...write } }),
      );
    } catch (err) {
      if (pgError(err)?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(GeoErrors.ShelterCodeTaken, `shelter code ${dto.code} already exists`, [
          { field: 'code', problem: 'already used' },
        ]);
      }
      throw err;
    }
    return this.get(principal, dto.code);
  }

  async update(principal: Principal, code: string, dto: UpdateShelterDto): Promise<ShelterDto> {
    const cur = await this.rowInScope(principal, code);
    const input: ShelterInput = {
      code: cur.code,
      name: dto.name ?? cur.name,
      tier: dto.tier ?? cur.tier,
      divisionCode: dto.divisionCode ?? cur.divisionCode,
      location: dto.location ? JSON.stringify(dto.location) : cur.location,
      capacity: dto.capacity ?? cur.capacity,
      managerHolderId: dto.managerHolderId !== undefined ? dto.managerHolderId : cur.managerHolderId,
      facilities: dto.facilities ?? cur.facilities,
      open: dto.open ?? cur.open,
    };
    // A manager who has since gone inactive does not block an unrelated change (capacity, facilities).
    const judgeManager = dto.managerHolderId !== undefined || input.divisionCode !== cur.divisionCode;
    const write = await this.resolveOne(principal, input, judgeManager);
    if (write.capacity < cur.occupancy + cur.reserved) throw capacityBelowUse(write.capacity, cur);
    try {
      await this.audit.changed(
        (m) => this.shelters.update(cur.id, write, m),
        () => ({
          actor: principal,
          action: 'shelter.update',
          entity: 'shelter',
          entityId: code,
          before: sameFieldsAs(cur, write),
          after: { ...write },
        }),
      );
    } catch (err) {
      const pg = pgError(err);
      if (pg?.code === PG_CHECK_VIOLATION && pg.constraint === HARD_LIMIT) {
        throw capacityBelowUse(write.capacity, (await this.shelters.findByCode(code)) ?? cur);
      }
      throw err;
    }
    return this.get(principal, code);
  }

  async remove(principal: Principal, code: string): Promise<void> {
    const row = await this.rowInScope(principal, code);
    if (row.occupancy || row.reserved) throw inUse(`${row.occupancy} people are checked in and ${row.reserved} places reserved`);
    const assigned = await this.shelters.assignedRiskObjects(row.id);
    if (assigned) throw inUse(`assigned to ${assigned} risk objects; assign them other shelters first`);
    try {
      await this.audit.changed(
        async (m) => {
          if (!(await this.shelters.deleteIfEmpty(row.id, m))) throw inUse('people were checked in meanwhile');
        },
        () => ({
          actor: principal,
          action: 'shelter.delete',
          entity: 'shelter',
          entityId: code,
          before: { name: row.name, divisionCode: row.divisionCode },
        }),
      );
    } catch (err) {
      if (pgError(err)?.code === PG_FOREIGN_KEY_VIOLATION) throw inUse('assigned to a risk object meanwhile');
      throw err;
    }
  }

  /** Check-in through the API: the caller must be responsible for the shelter's area. */
  async checkInFor(principal: Principal, code: string, dto: CheckInDto): Promise<ShelterDto> {
    await this.rowInScope(principal, code);
    const fromReserved = dto.fromReserved ?? false;
    const delta = { occupancy: dto.people, reserved: fromReserved ? -dto.people : 0 };
    return this.moved(principal, 'shelter.check_in', delta, (m) => this.occupancy.checkIn(code, dto.people, fromReserved, m));
  }

  async checkOutFor(principal: Principal, code: string, people: number): Promise<ShelterDto> {
    await this.rowInScope(principal, code);
    return this.moved(principal, 'shelter.check_out', { occupancy: -people, reserved: 0 }, (m) => this.occupancy.checkOut(code, people, m));
  }

  async reserveFor(principal: Principal, code: string, places: number): Promise<ShelterDto> {
    await this.rowInScope(principal, code);
    return this.moved(principal, 'shelter.reserve', { occupancy: 0, reserved: places }, (m) => this.occupancy.reserve(code, places, m));
  }

  async releaseFor(principal: Principal, code: string, places: number): Promise<ShelterDto> {
    await this.rowInScope(principal, code);
    return this.moved(principal, 'shelter.release', { occupancy: 0, reserved: -places }, (m) => this.occupancy.release(code, places, m));
  }

  /**
   * An occupancy move through the API and its audit row, in one transaction. The counts before
   * are the counts after minus the move: exact even when other moves land at the same moment.
   */
  private async moved(
    principal: Principal,
    action: string,
    delta: { occupancy: number; reserved: number },
    move: (m: EntityManager) => Promise<ShelterRow>,
  ): Promise<ShelterDto> {
    const after = await this.audit.changed(move, (row) => ({
      actor: principal,
      action,
      entity: 'shelter',
      entityId: row.code,
      before: { occupancy: row.occupancy - delta.occupancy, reserved: row.reserved - delta.reserved },
      after: { occupancy: row.occupancy, reserved: row.reserved },
    }));
    return this.firstDto(after);
  }

  /**
   * For other modules (evacuation): `people` arrive at the shelter. 409 SHELTER_FULL or
   * SHELTER_CLOSED; never above capacity, even under concurrent calls. The caller scopes.
   */
  async checkIn(code: string, people: number, opts: { fromReserved?: boolean } = {}): Promise<ShelterDto> {
    return this.firstDto(await this.occupancy.checkIn(code, people, opts.fromReserved ?? false));
  }

  /**
   * For other modules (evacuation): shelters by id or code, with their live counts (no area
   * check: the caller scopes).
   */
  async refs(by: { ids?: string[]; codes?: string[] }, manager?: EntityManager): Promise<ShelterRow[]> {
    if (by.ids) return this.shelters.findByIds([...new Set(by.ids)], manager);
    return this.shelters.findByCodes([...new Set(by.codes ?? [])], manager);
  }

  /**
   * For other modules (evacuation), in the caller's transaction: holds `places` at an open
   * shelter, or answers undefined when it is closed or has fewer free places. One guarded UPDATE
   * (row lock, limits in its WHERE, the table's hard-limit check behind it): concurrent callers
   * can never hold more than the free places between them.
   */
  tryReserveIn(m: EntityManager, code: string, places: number): Promise<ShelterRow | undefined> {
    return this.occupancy.tryReserve(code, places, m);
  }

  /** For other modules, in the caller's transaction: gives held places back (409 if fewer are held). */
  releaseIn(m: EntityManager, code: string, places: number): Promise<ShelterRow> {
    return this.occupancy.release(code, places, m);
  }

  /**
   * For other modules, in the caller's transaction: `people` arrive, `fromReserved` of them on
   * places held for them (those become occupied), the rest on free places. 409 SHELTER_FULL or
   * SHELTER_CLOSED, never above capacity under concurrent calls.
   */
  checkInIn(m: EntityManager, code: string, people: number, fromReserved: number): Promise<ShelterRow> {
    return this.occupancy.checkIn(code, people, fromReserved, m);
  }

  /** For other modules (evacuation's totals): shelters' capacity, occupancy and reservations per town under these paths. */
  totalsByTown(paths: string[], manager?: EntityManager): Promise<ShelterTownTotals[]> {
    return this.shelters.totalsByTown(paths, manager);
  }

  /** For other modules, in the caller's transaction: `people` leave the shelter (returning home). */
  checkOutIn(m: EntityManager, code: string, people: number): Promise<ShelterRow> {
    return this.occupancy.checkOut(code, people, m);
  }

  /** For other modules (evacuation, return home): `people` leave the shelter. */
  async checkOut(code: string, people: number): Promise<ShelterDto> {
    return this.firstDto(await this.occupancy.checkOut(code, people));
  }

  /** Resolves many shelter inputs at once (division, scope, manager, tier); used by single writes and imports. */
  async resolveWrites(principal: Principal, inputs: Array<{ input: ShelterInput; judgeManager: boolean }>) {
    const places: ResolvedPlace[] = await this.places.resolve(
      principal,
      inputs.map(({ input, judgeManager }) => ({
        divisionCode: input.divisionCode,
        managerHolderId: judgeManager ? input.managerHolderId : undefined,
      })),
    );
    return inputs.map(({ input }, i) => toShelterWrite(input, places[i]));
  }

  /** DTOs with their managers' names (one registry call per page). */
  async toDtos(rows: ShelterRow[]): Promise<ShelterDto[]> {
    const names = await this.managerNames(rows.map((r) => r.managerHolderId));
    return rows.map((r) => toShelterDto(r, r.managerHolderId ? (names.get(r.managerHolderId) ?? null) : null));
  }

  async managerNames(ids: Array<string | null>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    return new Map((await this.holders.findRows(wanted)).map((h) => [h.id, h.name]));
  }

  private async firstDto(row: ShelterRow): Promise<ShelterDto> {
    return (await this.toDtos([row]))[0];
  }

  private async resolveOne(principal: Principal, input: ShelterInput, judgeManager: boolean): Promise<ShelterWrite> {
    const [r] = await this.resolveWrites(principal, [{ input, judgeManager }]);
    if (!r.write) throw placeError(r.problems);
    return r.write;
  }

  private async rowInScope(principal: Principal, code: string): Promise<ShelterRow> {
    const row = await this.shelters.findByCode(code);
    if (!row) throw new AppError(GeoErrors.ShelterNotFound, `shelter ${code} not found`, [{ field: 'code', problem: 'no such shelter' }]);
    assertInScope(principal, row.divisionPath, 'code');
    return row;
  }
}

function capacityBelowUse(capacity: number, r: { occupancy: number; reserved: number }): AppError {
  const used = r.occupancy + r.reserved;
  return new AppError(GeoErrors.ShelterCapacityBelowUse, `capacity ${capacity} is below the ${used} places in use`, [
    { field: 'capacity', problem: `must be at least ${used}: ${r.occupancy} people checked in, ${r.reserved} places reserved` },
  ]);
}

function inUse(problem: string): AppError {
  return new AppError(GeoErrors.ShelterInUse, `shelter cannot be deleted: ${problem}`, [{ field: 'code', problem }]);
}
