import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CapAlert, CapInfo, CapReference } from '../cap/cap.types';
import type { GbtIdentifier } from '../cap/gbt-identifier';
import type { WarningIssuer, WarningKind, WarningLevel, WarningOrigin, WarningState } from './warning.types';

/** The header fields of a CAP alert that have no column of their own. */
export type CapHeader = Pick<CapAlert, 'source' | 'restriction' | 'addresses' | 'code' | 'note' | 'incidents'>;

export interface WarningRow {
  id: string;
  identifier: string;
  sender: string;
  sent: Date;
  status: CapAlert['status'];
  msgType: CapAlert['msgType'];
  scope: CapAlert['scope'];
  header: CapHeader;
  refs: CapReference[];
  infos: CapInfo[];
  origin: WarningOrigin;
  state: WarningState;
  kind: WarningKind;
  level: WarningLevel | null;
  issuer: WarningIssuer;
  onset: Date | null;
  effective: Date | null;
  expires: Date | null;
  gbt: GbtIdentifier | null;
  gbtDivisionId: string | null;
  unknownGeocodes: string[];
  replacedById: string | null;
  createdBy: string;
  createdAt: Date;
  stateChangedAt: Date;
}

export type WarningWrite = Omit<
  WarningRow,
  'id' | 'replacedById' | 'createdAt' | 'stateChangedAt' | 'sent' | 'onset' | 'effective' | 'expires'
> & {
  sent: string;
  onset?: string;
  effective?: string;
  expires?: string;
  rawXml: string | null;
};

export interface AreaWrite {
  infoIndex: number;
  areaIndex: number;
  areaDesc: string;
  /** WKT polygons, lon/lat order. */
  polygons: string[];
  circles: Array<{ lat: number; lon: number; radiusKm: number }>;
  divisionIds: string[];
  divisionPaths: string[];
}

export interface AreaRow {
  infoIndex: number;
  areaIndex: number;
  areaDesc: string;
  geometry: string | null;
  divisionCodes: string[];
}

export interface WarningListFilter {
  id?: string;
  states?: WarningState[];
  kinds?: WarningKind[];
  levels?: WarningLevel[];
  activeAt?: string;
  /** Area touches this division: its boundary (GeoJSON) or its place in the tree. */
  division?: { path: string; boundary: string | null };
  after?: [string, string];
  limit: number;
}

const SELECT = `
  select w.id, w.identifier, w.sender, w.sent, w.status, w.msg_type as "msgType", w.scope, w.header, w.refs, w.infos,
         w.origin, w.state, w.kind, w.level, w.issuer, w.onset, w.effective, w.expires, w.gbt,
         w.gbt_division_id as "gbtDivisionId",
         w.unknown_geocodes as "unknownGeocodes", w.replaced_by_id as "replacedById", w.created_by as "createdBy",
         w.created_at as "createdAt", w.state_changed_at as "stateChangedAt"
  from warnings w`;

/** Named queries over warnings and warning_areas. */
@Injectable()
export class WarningRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async nextSerial(manager: EntityManager): Promise<number> {
    const [row]: Array<{ n: string }> = await manager.query(`select nextval('warning_serial')::text as n`);
    return Number(row.n);
  }

  /** Our ids for the warnings these references name (null where we hold none: parked). */
  async idsForReferences(refs: CapReference[]): Promise<Array<string | null>> {
    if (!refs.length) return [];
    const rows: Array<{ id: string; sender: string; identifier: string }> = await this.ds.query(
      'select id, sender, identifier from warnings where identifier = any($1::text[])',
      [refs.map((r) => r.identifier)],
    );
    return refs.map((r) => rows.find((w) => w.sender === r.sender && w.identifier === r.identifier)?.id ?? null);
  }

  async findById(id: string, manager?: EntityManager): Promise<WarningRow | undefined> {
    const rows: WarningRow[] = await this.m(manager).query(`${SELECT} where w.id = $1`, [id]);
    return rows[0];
  }

  async findByIdentifier(identifier: string, manager?: EntityManager): Promise<WarningRow | undefined> {
    const rows: WarningRow[] = await this.m(manager).query(`${SELECT} where w.identifier = $1`, [identifier]);
    return rows[0];
  }

  async rawXml(id: string): Promise<string | null> {
    const rows: Array<{ rawXml: string | null }> = await this.ds.query('select raw_xml as "rawXml" from warnings where id = $1', [id]);
    return rows[0]?.rawXml ?? null;
  }

  /** Warnings named by these references (sender and identifier), locked for the state change. */
  async lockReferenced(
    refs: CapReference[],
    manager: EntityManager,
  ): Promise<Array<{ id: string; state: WarningState; identifier: string }>> {
    if (!refs.length) return [];
    return manager.query(
      `select w.id, w.state, w.identifier from warnings w
       join unnest($1::text[], $2::text[]) r(sender, identifier) on r.sender = w.sender and r.identifier = w.identifier
       order by w.id for update of w`,
      [refs.map((r) => r.sender), refs.map((r) => r.identifier)],
    );
  }

  /** Updates and Cancels that arrived before the alert they reference (parked), oldest first. */
  async findReferencing(sender: string, identifier: string, manager: EntityManager): Promise<Array<{ id: string; msgType: string }>> {
    return manager.query(`select id, msg_type as "msgType" from warnings where refs @> $1::jsonb order by sent, created_at`, [
      JSON.stringify([{ sender, identifier }]),
    ]);
  }

  async insert(w: WarningWrite, manager: EntityManager): Promise<string> {
    const [row]: Array<{ id: string }> = await manager.query(
      `insert into warnings (identifier, sender, sent, status, msg_type, scope, header, refs, infos, origin, state, kind, level,
         issuer, onset, effective, expires, gbt, gbt_division_id, unknown_geocodes, raw_xml, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
       returning id`,
      [
        w.identifier,
        w.sender,
        w.sent,
        w.status,
        w.msgType,
        w.scope,
        JSON.stringify(w.header),
        JSON.stringify(w.refs),
        JSON.stringify(w.infos),
        w.origin,
        w.state,
        w.kind,
        w.level,
        w.issuer,
        w.onset ?? null,
        w.effective ?? null,
        w.expires ?? null,
        w.gbt && JSON.stringify(w.gbt),
        w.gbtDivisionId,
        w.unknownGeocodes,
        w.rawXml,
        w.createdBy,
      ],
    );
    return row.id;
  }

  /**
   * One area: CAP polygons made valid, circles buffered on the spheroid (geography, metres)
   * so a 10 km circle is 10 km at Linhai's latitude, all united into one MultiPolygon. A
   * radius of 0 (a point, as in CAP's own earthquake example) becomes a 1 m disc.
   */
  async insertArea(warningId: string, a: AreaWrite, manager: EntityManager): Promise<void> {
    await manager.query(
      `insert into warning_areas (warning_id, info_index, area_index, area_desc, geom, division_ids, division_paths)
       select $1, $2, $3, $4, (
         select ST_Multi(ST_CollectionExtract(ST_Union(g), 3)) from (
           select ST_CollectionExtract(ST_MakeValid(ST_GeomFromText(w, 4326)), 3) as g from unnest($5::text[]) w
           union all
           select ST_Buffer(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)::geography, greatest(c.r * 1000, 1))::geometry
           from unnest($6::float8[], $7::float8[], $8::float8[]) c(lat, lon, r)) parts),
         $9::uuid[], $10::ltree[]`,
      [
        warningId,
        a.infoIndex,
        a.areaIndex,
        a.areaDesc,
        a.polygons,
        a.circles.map((c) => c.lat),
        a.circles.map((c) => c.lon),
        a.circles.map((c) => c.radiusKm),
        a.divisionIds,
        a.divisionPaths,
      ],
    );
  }

  async areas(warningId: string): Promise<AreaRow[]> {
    return this.ds.query(
      `select a.info_index as "infoIndex", a.area_index as "areaIndex", a.area_desc as "areaDesc",
              ST_AsGeoJSON(a.geom, 7) as geometry,
              coalesce((select array_agg(subpath(p, nlevel(p) - 1)::text order by p) from unnest(a.division_paths) p), '{}') as "divisionCodes"
       from warning_areas a where a.warning_id = $1 order by a.info_index, a.area_index`,
      [warningId],
    );
  }

  async setState(ids: string[], state: WarningState, replacedById: string | null, manager: EntityManager): Promise<void> {
    if (!ids.length) return;
    await manager.query(
      `update warnings set state = $2, replaced_by_id = coalesce($3, replaced_by_id), state_changed_at = now()
       where id = any($1::uuid[])`,
      [ids, state, replacedById],
    );
  }

  async list(f: WarningListFilter): Promise<WarningRow[]> {
    const params: unknown[] = [];
    const where: string[] = ['true'];
    if (f.id) where.push(`w.id = $${params.push(f.id)}::uuid`);
    if (f.states) where.push(`w.state = any($${params.push(f.states)}::text[])`);
    if (f.kinds) where.push(`w.kind = any($${params.push(f.kinds)}::text[])`);
    if (f.levels) where.push(`w.level = any($${params.push(f.levels)}::text[])`);
    if (f.activeAt) {
      const i = params.push(f.activeAt);
      where.push(`coalesce(w.onset, w.effective, w.sent) <= $${i}::timestamptz and (w.expires is null or w.expires > $${i}::timestamptz)`);
    }
    if (f.division) {
      const p = params.push(f.division.path);
      const b = params.push(f.division.boundary);
      where.push(`exists (select 1 from warning_areas a where a.warning_id = w.id and (
        a.division_paths <@ $${p}::ltree or a.division_paths @> $${p}::ltree
        or ($${b}::text is not null and ST_Intersects(a.geom, ST_GeomFromGeoJSON($${b}::text)))))`);
    }
    if (f.after) where.push(`(w.sent, w.id) < ($${params.push(f.after[0])}::timestamptz, $${params.push(f.after[1])}::uuid)`);
    return this.ds.query(`${SELECT} where ${where.join(' and ')} order by w.sent desc, w.id desc limit $${params.push(f.limit)}`, params);
  }

  /** Active warnings past their expiry, claimed so two workers never expire the same one. */
  async claimExpired(now: Date, limit: number, manager: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `select id from warnings where state = 'active' and expires <= $1 order by expires limit $2 for update skip locked`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }
}
