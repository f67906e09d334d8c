import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StockCategory } from './supply-rules';

export interface StockRow {
  depotId: string;
  category: StockCategory;
  item: string;
  unit: string;
  quantity: number;
  updatedAt: Date;
}

export interface StockTotalRow {
  category: StockCategory;
  item: string;
  unit: string;
  quantity: number;
  depots: number;
}

export interface Movement {
  depotId: string;
  category: string;
  item: string;
  delta: number;
  quantityAfter: number;
  reason: string;
  actor: string;
}

// numeric(12, 2) arrives as text from pg; float8 is exact enough for two decimals below a billion.
const STOCK = `depot_id as "depotId", category, item, unit, quantity::float8 as quantity, updated_at as "updatedAt"`;

/** Named queries over supply_stock and its movements. Quantities never go negative (the column's check is the backstop). */
@Injectable()
export class StockRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async itemsOf(depotIds: string[]): Promise<StockRow[]> {
    if (!depotIds.length) return [];
    return this.ds.query(`select ${STOCK} from supply_stock where depot_id = any($1::uuid[]) order by category, item`, [depotIds]);
  }

  /** The item's row, locked for the transaction (a stock-take compares against it). */
  async lockItem(depotId: string, category: string, item: string, m: EntityManager): Promise<StockRow | undefined> {
    const rows: StockRow[] = await m.query(
      `select ${STOCK} from supply_stock where depot_id = $1 and category = $2 and item = $3 for update`,
      [depotId, category, item],
    );
    return rows[0];
  }

  async upsert(s: { depotId: string; category: string; item: string; unit: string; quantity: number }, m: EntityManager): Promise<void> {
    await m.query(
      `insert into supply_stock (depot_id, category, item, unit, quantity) values ($1, $2, $3, $4, $5)
       on conflict (depot_id, category, item) do update set unit = excluded.unit, quantity = excluded.quantity, updated_at = now()`,
      [s.depotId, s.category, s.item, s.unit, s.quantity],
    );
  }

  /**
   * Adds delta in ONE statement whose WHERE refuses to go below zero, so concurrent issues
   * serialise on the row and each re-tests the committed quantity. Answers the new quantity,
   * or undefined when refused (or when there is no such item).
   */
  async adjust(depotId: string, category: string, item: string, delta: number, m: EntityManager): Promise<number | undefined> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [Array<{ quantity: number }>, number] = await m.query(
      `update supply_stock set quantity = quantity + $4, updated_at = now()
       where depot_id = $1 and category = $2 and item = $3 and quantity + $4 >= 0
       returning quantity::float8 as quantity`,
      [depotId, category, item, delta],
    );
    return rows[0]?.quantity;
  }

  async findItem(depotId: string, category: string, item: string): Promise<StockRow | undefined> {
    const rows: StockRow[] = await this.ds.query(`select ${STOCK} from supply_stock where depot_id = $1 and category = $2 and item = $3`, [
      depotId,
      category,
      item,
    ]);
    return rows[0];
  }

  async record(mv: Movement, m: EntityManager): Promise<void> {
    await m.query(
      `insert into supply_stock_movements (depot_id, category, item, delta, quantity_after, reason, actor) values ($1, $2, $3, $4, $5, $6, $7)`,
      [mv.depotId, mv.category, mv.item, mv.delta, mv.quantityAfter, mv.reason, mv.actor],
    );
  }

  /**
   * Totals by category, item and unit over the depots filed under a division (joins registry_divisions
   * for the subtree test, allowed for performance), and how many depots there are.
   */
  async totals(withinPath: string): Promise<{ depots: number; rows: StockTotalRow[] }> {
    const [rows, [count]]: [StockTotalRow[], Array<{ n: number }>] = await Promise.all([
      this.ds.query(
        `select st.category, st.item, st.unit, sum(st.quantity)::float8 as quantity, count(*)::int as depots
         from supply_stock st join supply_depots s on s.id = st.depot_id join registry_divisions d on d.id = s.division_id
         where d.path <@ $1::ltree and st.quantity > 0
         group by st.category, st.item, st.unit order by st.category, st.item, st.unit`,
        [withinPath],
      ),
      this.ds.query(
        `select count(*)::int as n from supply_depots s join registry_divisions d on d.id = s.division_id where d.path <@ $1::ltree`,
        [withinPath],
      ),
    ]);
    return { depots: count.n, rows };
  }
}
