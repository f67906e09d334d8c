import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CapAlert, CapInfo, CapReference } from '../cap/cap.types';
import type { GbtIdentifier } from '../cap/gbt-identifier';
import type { WarningAreaMode, WarningIssuer, WarningKind, WarningLevel, WarningOrigin, WarningState } from './warning.types';

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
  /** Which ground counts: geocodes (named divisions + drawn parts at sea), drawn (no geocode of ours), union. */
  areaMode: WarningAreaMode;
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
  /** The drawn part that counts beside the named divisions (GeoJSON), null when none does. */
  reach: string | null;
  divisionCodes: string[];
}

/** An area as the wake-up and public warnings take it: named divisions and the drawn ground that counts, full precision. */
export interface AreaReachRow {
  areaDesc: string;
  divisionIds: string[];
  divisionPaths: string[];
  divisionCodes: string[];
  geojson: string | null;
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

const COLUMNS = `w.id, w.identifier, w.sender, w.sent, w.status, w.msg_type as "msgType", w.scope, w.header, w.refs, w.infos,
         w.origin, w.state, w.kind, w.level, w.issuer, w.onset, w.effective, w.expires, w.gbt,
         w.gbt_division_id as "gbtDivisionId",
         w.unknown_geocodes as "unknownGeocodes", w.area_mode as "areaMode", w.replaced_by_id as "replacedById", w.created_by as "createdBy",
         w.created_at as "createdAt", w.state_changed_at as "stateChangedAt"`;
const SELECT = `select ${COLUMNS} from warnings w`;

const INSERT_COLUMNS = `identifier, sender, sent, status, msg_type, scope, header, refs, infos, origin, state, kind, level,
         issuer, onset, effective, expires, gbt, gbt_division_id, unknown_geocodes, raw_xml, created_by, area_mode`;

/** A new warning with every area, and the parked messages already naming it, in one statement. */
export interface InsertedWarning {
  row: WarningRow;
  parked: Array<{ id: string; msgType: string }>;
  /** As `areas(id)` reads them back. */
  areas: AreaRow[];
}

/** The division codes an area's geocodes named: the last label of each ltree path, in path order. */
const AREA_CODES = `coalesce((select array_agg(subpath(p, nlevel(p) - 1)::text order by p) from unnest(a.division_paths) p), '{}')`;

/** Named queries over warnings and warning_areas. */
@Injectable()
export class WarningRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async nextSerial(manager: EntityManager): Promise<number> {
    const [row]: Array<{ n: string }> = await manager.query(`select nextval('warning_serial')::text as n`);
    return Number(row.n);
  }

  /** Our ids for the warnings these references name (null where we hold none: parked). */
  async idsForReferences(refs: CapReference[]): Promise<Array<string | null>> {
    return (await this.idsForReferenceLists([refs]))[0];
  }

  /** idsForReferences for a page of warnings, in one query (the list and the detail answer alike). */
  async idsForReferenceLists(lists: CapReference[][]): Promise<Array<Array<string | null>>> {
    const identifiers = [...new Set(lists.flat().map((r) => r.identifier))];
    if (!identifiers.length) return lists.map(() => []);
    const rows: Array<{ id: string; sender: string; identifier: string }> = await this.ds.query(
      'select id, sender, identifier from warnings where identifier = any($1::text[])',
      [identifiers],
    );
    const ids = new Map(rows.map((w) => [`${w.sender}\n${w.identifier}`, w.id]));
    return lists.map((refs) => refs.map((r) => ids.get(`${r.sender}\n${r.identifier}`) ?? null));
  }

  async findById(id: string, manager?: EntityManager): Promise<WarningRow | undefined> {
    const rows: WarningRow[] = await this.m(manager).query(`${SELECT} where w.id = $1`, [id]);
    return rows[0];
  }

  /** CAP's rule: a message is the same message when identifier AND sender are the same. */
  async findByIdentifier(identifier: string, sender: string, manager?: EntityManager): Promise<WarningRow | undefined> {
    const rows: WarningRow[] = await this.m(manager).query(`${SELECT} where w.identifier = $1 and w.sender = $2`, [identifier, sender]);
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

  /**
   * One round trip for a received message: the warning (nothing if its identifier is already
   * held from this sender: undefined); all its areas — CAP polygons made valid, circles buffered on the spheroid
   * (geography, metres, so a 10 km circle is 10 km at Linhai's latitude), united into one
   * MultiPolygon, a radius of 0 (a point, as in CAP's earthquake example) a 1 m disc; the
   * Updates/Cancels that arrived before it and name it (parked), oldest first; and the areas as
   * `areas(id)` would read them back.
   */
  async insertWithAreas(
    w: WarningWrite,
    areas: AreaWrite[],
    land: string | null,
    manager: EntityManager,
  ): Promise<InsertedWarning | undefined> {
    const rows: Array<WarningRow & { parked: Array<{ id: string; msgType: string }>; areas: AreaRow[] }> = await manager.query(
      `with w as (
         insert into warnings (${INSERT_COLUMNS})
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $35)
         on conflict (identifier, sender) do nothing
         returning *
       ), a as (
         -- Areas flattened into arrays (area n = position in $23..$25): unnest of a bound array is
         -- estimated at its true length, so this small statement is not costed into JIT compiling.
         insert into warning_areas (warning_id, info_index, area_index, area_desc, geom, reach_geom, division_ids, division_paths)
         select w.id, x.info_index, x.area_index, x.area_desc, g.geom,
           -- geocodes: the drawn ground counts only outside the land ($36, every division's ground)
           case when $35 <> 'geocodes' or g.geom is null then g.geom
                when $36::text is null then null
                else (select case when ST_IsEmpty(d) then null else ST_ForcePolygonCCW(ST_Multi(d)) end
                      from (select ST_CollectionExtract(ST_Difference(g.geom, ST_GeomFromGeoJSON($36::text)), 3) as d) dd) end,
           coalesce((select array_agg(d.id order by d.o) from unnest($32::int[], $33::uuid[]) with ordinality d(n, id, o) where d.n = x.n), '{}'),
           coalesce((select array_agg(d.path order by d.o) from unnest($32::int[], $34::ltree[]) with ordinality d(n, path, o) where d.n = x.n), '{}')
         from w, unnest($23::int[], $24::int[], $25::text[]) with ordinality as x(info_index, area_index, area_desc, n)
         cross join lateral (
           -- RFC 7946 winding: exterior rings counter-clockwise
           select ST_ForcePolygonCCW(ST_Multi(ST_CollectionExtract(ST_Union(p), 3))) as geom from (
             select ST_CollectionExtract(ST_MakeValid(ST_GeomFromText(p.wkt, 4326)), 3) as p
             from unnest($26::int[], $27::text[]) p(n, wkt) where p.n = x.n
             union all
             select ST_Buffer(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)::geography, greatest(c.r * 1000, 1))::geometry
             from unnest($28::int[], $29::float8[], $30::float8[], $31::float8[]) c(n, lat, lon, r) where c.n = x.n) parts) g
         returning info_index, area_index, area_desc, geom, reach_geom, division_paths
       )
       select ${COLUMNS},
         (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'msgType', p.msg_type) order by p.sent, p.created_at), '[]'::jsonb)
          from warnings p where p.refs @> jsonb_build_array(jsonb_build_object('sender', w.sender, 'identifier', w.identifier))) as parked,
         (select coalesce(jsonb_agg(jsonb_build_object('infoIndex', a.info_index, 'areaIndex', a.area_index, 'areaDesc', a.area_desc,
                    'geometry', ST_AsGeoJSON(a.geom, 7), 'reach', ST_AsGeoJSON(a.reach_geom, 7), 'divisionCodes', ${AREA_CODES})
                  order by a.info_index, a.area_index), '[]'::jsonb) from a) as areas
       from w`,
      [...insertParams(w), ...areaParams(areas), w.areaMode, land],
    );
    if (!rows.length) return undefined;
    const { parked, areas: stored, ...row } = rows[0];
    return { row, parked, areas: stored };
  }

  async areas(warningId: string): Promise<AreaRow[]> {
    return this.ds.query(
      `select a.info_index as "infoIndex", a.area_index as "areaIndex", a.area_desc as "areaDesc",
              ST_AsGeoJSON(a.geom, 7) as geometry, ST_AsGeoJSON(a.reach_geom, 7) as reach,
              ${AREA_CODES} as "divisionCodes"
       from warning_areas a where a.warning_id = $1 order by a.info_index, a.area_index`,
      [warningId],
    );
  }

  /**
   * The ground each area of the warning covers, geometry at full precision (15 digits: what was
   * stored); undefined when there is no such warning.
   */
  async reachOf(warningId: string, manager?: EntityManager): Promise<AreaReachRow[] | undefined> {
    const rows: Array<AreaReachRow & { present: boolean | null }> = await this.m(manager).query(
      `select a.warning_id is not null as present, a.area_desc as "areaDesc", a.division_ids::text[] as "divisionIds",
              a.division_paths::text[] as "divisionPaths", ${AREA_CODES} as "divisionCodes", ST_AsGeoJSON(a.reach_geom, 15) as geojson
       from warnings w left join warning_areas a on a.warning_id = w.id
       where w.id = $1 order by a.info_index, a.area_index`,
      [warningId],
    );
    if (!rows.length) return undefined;
    return rows.filter((r) => r.present).map(({ present: _p, ...r }) => r);
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
        or ($${b}::text is not null and ST_Intersects(a.reach_geom, ST_GeomFromGeoJSON($${b}::text)))))`);
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

function insertParams(w: WarningWrite): unknown[] {
  return [
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
  ];
}

/** $23–$34 of insertWithAreas: areas, then their polygons, circles and divisions by area number (1-based). */
function areaParams(areas: AreaWrite[]): unknown[] {
  const polys = areas.flatMap((a, i) => a.polygons.map((wkt) => ({ n: i + 1, wkt })));
  const circles = areas.flatMap((a, i) => a.circles.map((c) => ({ n: i + 1, ...c })));
  const divs = areas.flatMap((a, i) => a.divisionIds.map((id, k) => ({ n: i + 1, id, path: a.divisionPaths[k] })));
  return [
    areas.map((a) => a.infoIndex),
    areas.map((a) => a.areaIndex),
    areas.map((a) => a.areaDesc),
    polys.map((p) => p.n),
    polys.map((p) => p.wkt),
    circles.map((c) => c.n),
    circles.map((c) => c.lat),
    circles.map((c) => c.lon),
    circles.map((c) => c.radiusKm),
    divs.map((d) => d.n),
    divs.map((d) => d.id),
    divs.map((d) => d.path),
  ];
}
