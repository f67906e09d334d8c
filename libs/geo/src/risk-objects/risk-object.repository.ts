import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@fangxun/database';
import type { RiskObjectSurfacePoint, RiskStatus, RiskType } from './risk-object.types';

/** A risk object joined with its division, as the service reads it (geometry only when asked). */
export interface RiskObjectRow {
  id: string;
  code: string;
  name: string;
  type: RiskType;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionLevel: string;
  divisionPath: string;
  attributes: Record<string, unknown>;
  threatenedHouseholds: number;
  threatenedPeople: number;
  status: RiskStatus;
  statusChangedAt: Date;
  statusReason: string | null;
  primaryHolderId: string | null;
  backupHolderId: string | null;
  positionReportedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** RFC 7946 text from ST_AsGeoJSON(geom, 15): 15 decimals keep every double exactly. */
  geometry?: string;
}

export interface RiskObjectFilter {
  withinPath: string;
  type?: RiskType;
  status?: RiskStatus;
  q?: string;
  sort: 'code' | 'name';
  desc: boolean;
  after?: [string, string];
  /** No limit: the export takes everything the filter matches. */
  limit?: number;
  withGeometry: boolean;
}

export interface StatusChangeRow {
  from: RiskStatus;
  to: RiskStatus;
  reason: string;
  by: string;
  at: Date;
}

// Joining `registry_divisions` (registry's exported view of its divisions) here (path, code, name) is
// the one registry read geo allows itself in SQL:
// it scopes and labels every row in the same statement instead of a call per object.
const SELECT = `
  select ro.id, ro.code, ro.name, ro.type, ro.division_id as "divisionId", d.code as "divisionCode", d.name as "divisionName",
         d.level::text as "divisionLevel", d.path::text as "divisionPath", ro.attributes,
         ro.threatened_households as "threatenedHouseholds", ro.threatened_people as "threatenedPeople",
         ro.status, ro.status_changed_at as "statusChangedAt", ro.status_reason as "statusReason",
         ro.primary_holder_id as "primaryHolderId", ro.backup_holder_id as "backupHolderId",
         ro.position_reported_at as "positionReportedAt", ro.created_at as "createdAt", ro.updated_at as "updatedAt"`;
const GEOMETRY = `, st_asgeojson(ro.geom, 15) as geometry`;
const FROM = ` from risk_objects ro join registry_divisions d on d.id = ro.division_id`;
const SORT_KEY = { code: 'ro.code', name: 'ro.name' } as const;

/** Named queries over risk_objects and its status history. */
@Injectable()
export class RiskObjectRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findByCode(code: string, withGeometry = false, manager?: EntityManager): Promise<RiskObjectRow | undefined> {
    const rows: RiskObjectRow[] = await this.m(manager).query(`${SELECT}${withGeometry ? GEOMETRY : ''}${FROM} where ro.code = $1`, [code]);
    return rows[0];
  }

  /** By code or, when it looks like one, by id: other modules hold either. */
  async findByCodeOrId(key: string, manager?: EntityManager): Promise<RiskObjectRow | undefined> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
    const rows: RiskObjectRow[] = await this.m(manager).query(`${SELECT}${FROM} where ${byId ? 'ro.id = $1::uuid' : 'ro.code = $1'}`, [
      key,
    ]);
    return rows[0];
  }

  async findByCodes(codes: string[], withGeometry: boolean, manager?: EntityManager): Promise<RiskObjectRow[]> {
    if (!codes.length) return [];
    return this.m(manager).query(`${SELECT}${withGeometry ? GEOMETRY : ''}${FROM} where ro.code = any($1::text[])`, [codes]);
  }

  async findByIds(ids: string[], manager?: EntityManager): Promise<RiskObjectRow[]> {
    if (!ids.length) return [];
    return this.m(manager).query(`${SELECT}${FROM} where ro.id = any($1::uuid[]) order by ro.code`, [ids]);
  }

  /** Objects on land with threatened people (boats and offshore projects are counted apart), in code order. */
  async landWithPeople(manager?: EntityManager): Promise<RiskObjectRow[]> {
    return this.m(manager).query(
      `${SELECT}${FROM} where ro.threatened_people > 0 and ro.type not in ('fishing_boat', 'offshore_project') order by ro.code`,
    );
  }

  async list(f: RiskObjectFilter): Promise<RiskObjectRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['d.path <@ $1::ltree'];
    if (f.type) where.push(`ro.type = $${params.push(f.type)}::risk_type`);
    if (f.status) where.push(`ro.status = $${params.push(f.status)}::risk_status`);
    if (f.q) {
      const i = params.push(f.q);
      const like = params.push(escapeLike(f.q));
      where.push(`(ro.name like '%' || $${like} || '%' or ro.code = $${i} or ro.attributes->>'vesselNo' = $${i})`);
    }
    const key = SORT_KEY[f.sort];
    if (f.after) where.push(`(${key}, ro.id) ${f.desc ? '<' : '>'} ($${params.push(f.after[0])}, $${params.push(f.after[1])}::uuid)`);
    const dir = f.desc ? 'desc' : 'asc';
    const limit = f.limit === undefined ? '' : ` limit $${params.push(f.limit)}`;
    return this.ds.query(
      `${SELECT}${f.withGeometry ? GEOMETRY : ''}${FROM} where ${where.join(' and ')} order by ${key} ${dir}, ro.id ${dir}${limit}`,
      params,
    );
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.m(manager).query('delete from risk_objects where id = $1', [id]);
  }

  /**
   * Sets the status under a row lock, stamping the time and logging the change; the same
   * status again changes nothing (feeds repeat themselves every poll).
   */
  async setStatus(
    id: string,
    status: RiskStatus,
    reason: string,
    by: string,
    manager?: EntityManager,
  ): Promise<{ previous: RiskStatus; changed: boolean; reason: string | null; at: Date } | undefined> {
    // In the caller's transaction when given (feeds: the status change commits with its threshold event).
    const run = async (m: EntityManager) => {
      const [cur]: Array<{ status: RiskStatus; reason: string | null; at: Date }> = await m.query(
        'select status, status_reason as reason, status_changed_at as at from risk_objects where id = $1 for update',
        [id],
      );
      if (!cur) return undefined;
      if (cur.status === status) return { previous: cur.status, changed: false, reason: cur.reason, at: cur.at };
      // Wrapped in a select: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      const [upd]: Array<{ at: Date }> = await m.query(
        `with u as (update risk_objects set status = $2::risk_status, status_reason = $3, status_changed_at = now() where id = $1
                    returning status_changed_at)
         select status_changed_at as at from u`,
        [id, status, reason],
      );
      await m.query(
        `insert into risk_object_status_changes (risk_object_id, from_status, to_status, reason, changed_by, changed_at)
         values ($1, $2::risk_status, $3::risk_status, $4, $5, $6)`,
        [id, cur.status, status, reason, by, upd.at],
      );
      return { previous: cur.status, changed: true, reason, at: upd.at };
    };
    return manager ? run(manager) : inTransaction(this.ds, run);
  }

  /**
   * Flash-flood zones that have rainfall indicators, with a point to look for rain gauges
   * around (a point on the zone's surface), and who made the last status change.
   */
  async flashFloodWatch(manager?: EntityManager): Promise<FlashFloodWatchRow[]> {
    return this.m(manager).query(
      `select ro.id, ro.code, ro.name, ro.status::text as status, d.code as "divisionCode",
              st_asgeojson(st_pointonsurface(ro.geom))::json as point,
              (select c.changed_by from risk_object_status_changes c where c.risk_object_id = ro.id
                order by c.changed_at desc, c.id desc limit 1) as "statusChangedBy",
              json_agg(json_build_object('windowHours', i.window_hours, 'prepareMm', i.prepare_mm::float8,
                                         'immediateMm', i.immediate_mm::float8) order by i.window_hours) as indicators
       from risk_objects ro join registry_divisions d on d.id = ro.division_id join risk_object_indicators i on i.risk_object_id = ro.id
       where ro.type = 'flash_flood_zone'
       group by ro.id, d.code order by ro.code`,
    );
  }

  /** Objects of one type under a division (by code), each as a point on its surface, by code. */
  async surfacePoints(type: RiskType, underDivisionCode: string, manager?: EntityManager): Promise<RiskObjectSurfacePoint[]> {
    const rows: RiskObjectSurfacePoint[] = await this.m(manager).query(
      `select ro.code, ro.division_id as "divisionId", st_x(s.p) as lon, st_y(s.p) as lat
       from risk_objects ro join registry_divisions d on d.id = ro.division_id
       cross join lateral (select st_pointonsurface(ro.geom) as p) s
       where ro.type = $1 and d.path <@ (select path from registry_divisions where code = $2)
       order by ro.code`,
      [type, underDivisionCode],
    );
    return rows.map((r) => ({ ...r, lon: Number(r.lon), lat: Number(r.lat) }));
  }

  async statusHistory(id: string, limit: number): Promise<StatusChangeRow[]> {
    return this.ds.query(
      `select from_status as "from", to_status as "to", reason, changed_by as "by", changed_at as "at"
       from risk_object_status_changes where risk_object_id = $1 order by changed_at desc, id desc limit $2`,
      [id, limit],
    );
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A flash-flood zone as the thresholds read it (RiskObjectService.flashFloodWatch). */
export interface FlashFloodWatchRow {
  id: string;
  code: string;
  name: string;
  status: RiskStatus;
  divisionCode: string;
  point: { type: 'Point'; coordinates: number[] };
  statusChangedBy: string | null;
  indicators: Array<{ windowHours: number; prepareMm: number; immediateMm: number }>;
}
