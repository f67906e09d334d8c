import { Injectable } from '@nestjs/common';
import { AuditService, sameFieldsAs } from '@fangxun/audit';
import { AppError, assertInScope, decodeCursor, defaultScopePath, encodeCursor, Page, Principal } from '@fangxun/common';
import { PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService, HolderService } from '@fangxun/registry';
import { GeoErrors } from '../geo.errors';
import { placeError, PlaceProblem, PlaceResolver } from '../point-features/place.resolver';
import { CreateDepotDto, DepotDto, DepotFilterQuery, ListDepotsQuery, UpdateDepotDto } from './depot.dto';
import { toDepotDto } from './depot.mapper';
import { DepotRepository, DepotRow, DepotWrite } from './depot.repository';
import { StockRepository } from './stock.repository';

export type DepotInput = Omit<DepotWrite, 'divisionId'> & { divisionCode: string };

/** Supply depots (物资仓库): the register. Their stock: StockService. */
@Injectable()
export class DepotService {
  constructor(
    private readonly depots: DepotRepository,
    private readonly stock: StockRepository,
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
    private readonly places: PlaceResolver,
    private readonly audit: AuditService,
  ) {}

  async get(principal: Principal, code: string): Promise<DepotDto> {
    const row = await this.rowInScope(principal, code);
    const [names, stock] = await Promise.all([this.managerNames([row.managerHolderId]), this.stock.itemsOf([row.id])]);
    return toDepotDto(row, nameOf(names, row), stock);
  }

  async list(principal: Principal, q: ListDepotsQuery, pageSize: number): Promise<Page<DepotDto>> {
    const limit = q.limit ?? pageSize;
    const afterCode = q.cursor ? String(decodeCursor(q.cursor, 'code', 1)[0]) : undefined;
    const rows = await this.rowsInScope(principal, q, { afterCode, desc: q.order === 'desc', limit: limit + 1 });
    const items = rows.slice(0, limit);
    const names = await this.managerNames(items.map((r) => r.managerHolderId));
    const last = items[items.length - 1];
    return {
      items: items.map((r) => toDepotDto(r, nameOf(names, r))),
      nextCursor: rows.length > limit && last ? encodeCursor('code', [last.code]) : null,
    };
  }

  async rowsInScope(
    principal: Principal,
    f: DepotFilterQuery,
    page: { afterCode?: string; desc?: boolean; limit?: number } = {},
  ): Promise<DepotRow[]> {
    const withinPath = await this.scopePath(principal, f.divisionCode);
    return withinPath ? this.depots.list({ withinPath, ...page }) : [];
  }

  /** The subtree a query covers: the asked division (403 outside the caller's area) or the caller's whole area. */
  async scopePath(principal: Principal, divisionCode?: string): Promise<string> {
    return divisionCode
      ? (await this.divisions.getInScope(principal, divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
  }

  async create(principal: Principal, dto: CreateDepotDto): Promise<DepotDto> {
    const input = {
      code: dto.code,
      name: dto.name,
      divisionCode: dto.divisionCode,
      location: JSON.stringify(dto.location),
      managerHolderId: dto.managerHolderId ?? null,
    };
    const write = await this.resolveOne(principal, input, true);
    try {
      await this.audit.changed(
        (m) => this.depots.insert(write, m),
        () => ({ actor: principal, action: 'supply_depot.create', entity: 'supply_depot', entityId: write.code, after: { ...write } }),
      );
    } catch (err) {
      if (pgError(err)?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(GeoErrors.DepotCodeTaken, `depot code ${dto.code} already exists`, [{ field: 'code', problem: 'already used' }]);
      }
      throw err;
    }
    return this.get(principal, dto.code);
  }

  async update(principal: Principal, code: string, dto: UpdateDepotDto): Promise<DepotDto> {
    const cur = await this.rowInScope(principal, code);
    const input: DepotInput = {
      code: cur.code,
      name: dto.name ?? cur.name,
      divisionCode: dto.divisionCode ?? cur.divisionCode,
      location: dto.location ? JSON.stringify(dto.location) : cur.location,
      managerHolderId: dto.managerHolderId !== undefined ? dto.managerHolderId : cur.managerHolderId,
    };
    const judgeManager = dto.managerHolderId !== undefined || input.divisionCode !== cur.divisionCode;
    const write = await this.resolveOne(principal, input, judgeManager);
    await this.audit.changed(
      (m) => this.depots.update(cur.id, write, m),
      () => ({
        actor: principal,
        action: 'supply_depot.update',
        entity: 'supply_depot',
        entityId: code,
        before: sameFieldsAs(cur, write),
        after: { ...write },
      }),
    );
    return this.get(principal, code);
  }

  async remove(principal: Principal, code: string): Promise<void> {
    const row = await this.rowInScope(principal, code);
    await this.audit.changed(
      async (m) => {
        if (!(await this.depots.deleteIfEmpty(row.id, m))) {
          throw new AppError(GeoErrors.DepotHasStock, `depot ${code} still holds stock`, [
            { field: 'code', problem: 'still holds stock: issue or move it first (stock/adjust)' },
          ]);
        }
      },
      () => ({
        actor: principal,
        action: 'supply_depot.delete',
        entity: 'supply_depot',
        entityId: code,
        before: { name: row.name, divisionCode: row.divisionCode },
      }),
    );
  }

  /** Division, scope and manager of many inputs at once; used by single writes and imports. */
  async resolveWrites(principal: Principal, inputs: Array<{ input: DepotInput; judgeManager: boolean }>) {
    const places = await this.places.resolve(
      principal,
      inputs.map(({ input, judgeManager }) => ({
        divisionCode: input.divisionCode,
        managerHolderId: judgeManager ? input.managerHolderId : undefined,
      })),
    );
    return inputs.map(({ input }, i): { write?: DepotWrite; problems: PlaceProblem[] } => {
      const { divisionCode: _code, ...rest } = input;
      const division = places[i].division;
      return places[i].problems.length || !division
        ? { problems: places[i].problems }
        : { write: { ...rest, divisionId: division.id }, problems: [] };
    });
  }

  async managerNames(ids: Array<string | null>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    return new Map((await this.holders.findRows(wanted)).map((h) => [h.id, h.name]));
  }

  async rowInScope(principal: Principal, code: string): Promise<DepotRow> {
    const row = await this.depots.findByCode(code);
    if (!row) throw new AppError(GeoErrors.DepotNotFound, `supply depot ${code} not found`, [{ field: 'code', problem: 'no such depot' }]);
    assertInScope(principal, row.divisionPath, 'code');
    return row;
  }

  private async resolveOne(principal: Principal, input: DepotInput, judgeManager: boolean): Promise<DepotWrite> {
    const [r] = await this.resolveWrites(principal, [{ input, judgeManager }]);
    if (!r.write) throw placeError(r.problems);
    return r.write;
  }
}

export function nameOf(names: Map<string, string>, r: { managerHolderId: string | null }): string | null {
  return r.managerHolderId ? (names.get(r.managerHolderId) ?? null) : null;
}
