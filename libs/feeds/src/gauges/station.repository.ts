import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StationKind, StationOwner } from './station.dto';

export interface StationRow {
  id: string;
  code: string;
  name: string;
  lon: number;
  lat: number;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionPath: string;
  kind: StationKind;
  owner: StationOwner;
  active: boolean;
  silentAfterMinutes: number | null;
  liveness: 'ok' | 'silent';
  lastObservedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StationWrite {
  code: string;
  name: string;
  lon: number;
  lat: number;
  divisionId: string;
  kind: StationKind;
  owner: StationOwner;
  active: boolean;
  silentAfterMinutes: number | null;
}

export interface StationFilter {
  withinPath: string;
  kind?: StationKind;
  active?: boolean;
  liveness?: 'ok' | 'silent';
}

const SELECT = `
  select s.id, s.code, s.name, st_x(s.geom) as lon, st_y(s.geom) as lat, s.division_id as "divisionId",
         d.code as "divisionCode", d.name as "divisionName", d.path::text as "divisionPath", s.kind, s.owner, s.active,
         s.silent_after_minutes as "silentAfterMinutes", s.liveness, s.last_observed_at as "lastObservedAt",
         s.created_at as "createdAt", s.updated_at as "updatedAt"
  from stations s join registry_divisions d on d.id = s.division_id`;

/** Named queries over stations. */
@Injectable()
export class StationRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findByCode(code: string, manager?: EntityManager): Promise<StationRow | undefined> {
    const rows: StationRow[] = await this.m(manager).query(`${SELECT} where s.code = $1`, [code]);
    return rows[0];
  }

  async list(f: StationFilter): Promise<StationRow[]> {
    return this.m().query(
      `${SELECT} where d.path <@ $1::ltree and ($2::station_kind is null or s.kind = $2)
         and ($3::boolean is null or s.active = $3) and ($4::station_liveness is null or s.liveness = $4)
       order by s.code`,
      [f.withinPath, f.kind ?? null, f.active ?? null, f.liveness ?? null],
    );
  }

  async insert(w: StationWrite, manager?: EntityManager): Promise<string> {
    const rows: Array<{ id: string }> = await this.m(manager).query(
      `insert into stations (code, name, geom, division_id, kind, owner, active, silent_after_minutes)
       values ($1, $2, st_setsrid(st_makepoint($3, $4), 4326), $5, $6, $7, $8, $9) returning id`,
      [w.code, w.name, w.lon, w.lat, w.divisionId, w.kind, w.owner, w.active, w.silentAfterMinutes],
    );
    return rows[0].id;
  }

  async update(id: string, w: StationWrite, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `with x as (
         update stations set code = $2, name = $3, geom = st_setsrid(st_makepoint($4, $5), 4326), division_id = $6,
           kind = $7, owner = $8, active = $9, silent_after_minutes = $10, updated_at = now()
         where id = $1 returning id)
       select * from x`,
      [id, w.code, w.name, w.lon, w.lat, w.divisionId, w.kind, w.owner, w.active, w.silentAfterMinutes],
    );
  }

  async readingCount(id: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.m().query(
      'select count(*)::int as n from (select 1 from readings where station_id = $1 limit 1) x',
      [id],
    );
    return rows[0]?.n ?? 0;
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.m(manager).query('delete from stations where id = $1', [id]);
  }
}
