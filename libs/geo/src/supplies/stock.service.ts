import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { AppError, Principal } from '@fangxun/common';
import { inTransaction, PG_CHECK_VIOLATION, pgError } from '@fangxun/database';
import { GeoErrors } from '../geo.errors';
import { toStockItemDto } from './depot.mapper';
import { DepotService } from './depot.service';
import { AdjustStockDto, SetStockDto, StockItemDto, StockSummaryCategoryDto, StockSummaryDto } from './stock.dto';
import { StockRepository, StockTotalRow } from './stock.repository';
import { STOCK_CATEGORIES } from './supply-rules';

/**
 * Stock by category and item in each depot. Every change is kept with its reason and who made
 * it (supply_stock_movements); an issue that would go below zero is refused whole.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly stock: StockRepository,
    private readonly depots: DepotService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** A stock-take: the item is set to the counted quantity (created with its unit if new). */
  async set(principal: Principal, code: string, dto: SetStockDto): Promise<StockItemDto> {
    const depot = await this.depots.rowInScope(principal, code);
    await inTransaction(this.ds, async (m) => {
      const before = await this.stock.lockItem(depot.id, dto.category, dto.item, m);
      await this.stock.upsert({ depotId: depot.id, category: dto.category, item: dto.item, unit: dto.unit, quantity: dto.quantity }, m);
      const delta = round2(dto.quantity - (before?.quantity ?? 0));
      if (delta !== 0) {
        const reason = dto.reason ?? 'stock-take';
        await this.stock.record(
          {
            depotId: depot.id,
            category: dto.category,
            item: dto.item,
            delta,
            quantityAfter: dto.quantity,
            reason,
            actor: actorOf(principal),
          },
          m,
        );
        await this.audit.append(m, {
          actor: principal,
          action: 'supply_stock.set',
          entity: 'supply_depot',
          entityId: code,
          before: { [`${dto.category}/${dto.item}`]: before?.quantity ?? 0 },
          after: { [`${dto.category}/${dto.item}`]: dto.quantity, reason },
        });
      }
    });
    return this.item(depot.id, dto.category, dto.item);
  }

  /** Adds or issues `delta` atomically; 409 STOCK_WOULD_GO_NEGATIVE names what is available. */
  async adjust(principal: Principal, code: string, dto: AdjustStockDto): Promise<StockItemDto> {
    const depot = await this.depots.rowInScope(principal, code);
    let refused = false;
    try {
      await inTransaction(this.ds, async (m) => {
        const after = await this.stock.adjust(depot.id, dto.category, dto.item, dto.delta, m);
        if (after === undefined) {
          refused = true;
          return;
        }
        await this.stock.record(
          {
            depotId: depot.id,
            category: dto.category,
            item: dto.item,
            delta: dto.delta,
            quantityAfter: after,
            reason: dto.reason,
            actor: actorOf(principal),
          },
          m,
        );
        await this.audit.append(m, {
          actor: principal,
          action: 'supply_stock.adjust',
          entity: 'supply_depot',
          entityId: code,
          before: { [`${dto.category}/${dto.item}`]: round2(after - dto.delta) },
          after: { [`${dto.category}/${dto.item}`]: after, reason: dto.reason },
        });
      });
    } catch (err) {
      // The column's check (quantity >= 0) is the backstop behind the WHERE: still a 409.
      const pg = pgError(err);
      if (!(pg?.code === PG_CHECK_VIOLATION && pg.constraint === 'supply_stock_quantity_check')) throw err;
      refused = true;
    }
    if (refused) throw await this.refusal(depot.id, code, dto);
    return this.item(depot.id, dto.category, dto.item);
  }

  /** Totals by category and item over the depots in an area ("170 boats, 793 satellite phones"). */
  async summary(principal: Principal, divisionCode?: string): Promise<StockSummaryDto> {
    const withinPath = await this.depots.scopePath(principal, divisionCode);
    const { depots, rows } = withinPath ? await this.stock.totals(withinPath) : { depots: 0, rows: [] };
    const categories = STOCK_CATEGORIES.map((category) =>
      summarise(
        category,
        rows.filter((r) => r.category === category),
      ),
    ).filter((c) => c.items.length);
    return { divisionCode: divisionCode ?? withinPath.split('.').pop() ?? '', depots, categories };
  }

  private async item(depotId: string, category: string, item: string): Promise<StockItemDto> {
    const row = await this.stock.findItem(depotId, category, item);
    if (!row) throw new Error(`stock item ${category}/${item} vanished after its write`);
    return toStockItemDto(row);
  }

  private async refusal(depotId: string, code: string, dto: AdjustStockDto): Promise<AppError> {
    const row = await this.stock.findItem(depotId, dto.category, dto.item);
    if (!row) {
      return new AppError(GeoErrors.StockItemNotFound, `depot ${code} has no ${dto.category} item "${dto.item}"`, [
        { field: 'item', problem: 'no such item in this depot: set it first with PUT …/stock (it needs a unit)' },
      ]);
    }
    return new AppError(GeoErrors.StockWouldGoNegative, `only ${row.quantity} ${row.unit} of ${dto.item} available; ${-dto.delta} asked`, [
      { field: 'delta', problem: `${row.quantity} ${row.unit} available` },
    ]);
  }
}

function summarise(category: StockSummaryCategoryDto['category'], rows: StockTotalRow[]): StockSummaryCategoryDto {
  const units = new Set(rows.map((r) => r.unit));
  const oneUnit = units.size === 1 ? [...units][0] : null;
  return {
    category,
    total: oneUnit === null ? null : round2(rows.reduce((sum, r) => sum + r.quantity, 0)),
    unit: oneUnit,
    items: rows.map((r) => ({ item: r.item, unit: r.unit, quantity: r.quantity, depots: r.depots })),
  };
}

/** Two-decimal quantities: float sums are rounded back to the column's scale. */
function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function actorOf(p: Principal): string {
  return p.kind === 'user' ? p.username : `api-key:${p.name}`;
}
