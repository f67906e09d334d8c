import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { divisionColumns, pointParam } from '../point-features/place-sql';
import type { StoredPoint } from '../point-features/point-feature-importer';

/** A depot row labelled with its division; `location` is RFC 7946 GeoJSON text (15 digits: lossless). */
export interface DepotRow {
  id: string;
  code: string;
  name: string;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionPath: string;
  location: string;
  managerHolderId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DepotWrite {
  code: string;
  name: string;
  divisionId: string;
  location: string;
  managerHolderId: string | null;
}

const COLUMNS = `s.id, s.code, s.name, s.division_id as "divisionId", ${divisionColumns('d')}, st_asgeojson(s.location, 15) as location, s.manager_holder_id as "managerHolderId",
  s.created_at as "createdAt", s.updated_at as "updatedAt"`;
const FROM = 'from supply_depots s join registry_divisions d on d.id = s.division_id';

/** Named queries over supply_depots (their stock: StockRepository). */
@Injectable()
export class DepotRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findByCode(code: string): Promise<DepotRow | undefined> {
    const rows: DepotRow[] = await this.ds.query(`select ${COLUMNS} ${FROM} where s.code = $1`, [code]);
    return rows[0];
  }

  async list(f: { withinPath: string; desc?: boolean; afterCode?: string; limit?: number }): Promise<DepotRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['d.path <@ $1::ltree'];
    if (f.afterCode !== undefined) where.push(`s.code ${f.desc ? '<' : '>'} $${params.push(f.afterCode)}`);
    const limit = f.limit ? ` limit $${params.push(f.limit)}` : '';
    return this.ds.query(
      `select ${COLUMNS} ${FROM} where ${where.join(' and ')} order by s.code ${f.desc ? 'desc' : 'asc'}${limit}`,
      params,
    );
  }

  async insert(w: DepotWrite, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `insert into supply_depots (code, name, division_id, location, manager_holder_id) values ($1, $2, $3, ${pointParam(4)}, $5)`,
      [w.code, w.name, w.divisionId, w.location, w.managerHolderId],
    );
  }

  async update(id: string, w: DepotWrite, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `update supply_depots set name = $2, division_id = $3, location = ${pointParam(4)}, manager_holder_id = $5, updated_at = now() where id = $1`,
      [id, w.name, w.divisionId, w.location, w.managerHolderId],
    );
  }

  /** Stored depots with these codes, locked until the import's transaction ends. */
  async lockByCodes(codes: string[], m: EntityManager): Promise<Map<string, StoredPoint<DepotWrite>>> {
    if (!codes.length) return new Map();
    const rows: DepotRow[] = await m.query(`select ${COLUMNS} ${FROM} where s.code = any($1::text[]) order by s.code for update of s`, [
      codes,
    ]);
    return new Map(
      rows.map((r) => [
        r.code,
        {
          id: r.id,
          divisionPath: r.divisionPath,
          code: r.code,
          name: r.name,
          divisionId: r.divisionId,
          location: r.location,
          managerHolderId: r.managerHolderId,
        },
      ]),
    );
  }

  /** Deletes a depot that holds nothing (its zero-quantity items and their history go with it); answers whether it went. */
  async deleteIfEmpty(id: string, manager?: EntityManager): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.m(manager).query(
      `delete from supply_depots s where s.id = $1 and not exists (select 1 from supply_stock st where st.depot_id = s.id and st.quantity > 0)`,
      [id],
    );
    return count > 0;
  }
}
