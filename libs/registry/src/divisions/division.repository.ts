import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction, type MultiPolygon } from '@fangxun/database';
import type { DivisionLevel } from './division-level';

/** A division row as the registry reads it (boundary only when asked for). */
export interface DivisionRow {
  id: string;
  code: string;
  name: string;
  level: DivisionLevel;
  parentId: string | null;
  parentCode: string | null;
  path: string;
  boundarySynthetic: boolean;
  boundary?: MultiPolygon | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DivisionListFilter {
  withinPath: string;
  level?: DivisionLevel;
  parentId?: string;
  q?: string;
  sort: 'code' | 'name';
  desc: boolean;
  after?: [string, string];
  limit: number;
  withBoundary: boolean;
}

const COLUMNS = `d.id, d.code, d.name, d.level, d.parent_id as "parentId", p.code as "parentCode", d.path::text as path,
  d.boundary_synthetic as "boundarySynthetic", d.created_at as "createdAt", d.updated_at as "updatedAt"`;
const BOUNDARY = `, st_asgeojson(d.boundary, 7)::json as boundary`;

/** An area to test divisions against: GeoJSON (Polygon/MultiPolygon, SRID 4326) or a geodesic circle. */
export type DivisionArea = { geojson: string } | { circle: { lon: number; lat: number; radiusM: number } };
export type AreaRelation = 'inside' | 'touching' | 'overlapping' | 'containing';
export interface DivisionHitRow extends DivisionRow {
  relation: AreaRelation;
}

export interface GeometryCheck {
  valid: boolean;
  reason: string | null;
  geojson: string | null;
}

/** Named queries over the divisions table; spatial SQL stays here. */
@Injectable()
export class DivisionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findByCode(code: string, withBoundary = false, manager?: EntityManager): Promise<DivisionRow | undefined> {
    const rows: DivisionRow[] = await this.m(manager).query(
      `select ${COLUMNS}${withBoundary ? BOUNDARY : ''} from divisions d left join divisions p on p.id = d.parent_id where d.code = $1`,
      [code],
    );
    return rows[0];
  }

  async findById(id: string, manager?: EntityManager): Promise<DivisionRow | undefined> {
    const rows: DivisionRow[] = await this.m(manager).query(
      `select ${COLUMNS} from divisions d left join divisions p on p.id = d.parent_id where d.id = $1`,
      [id],
    );
    return rows[0];
  }

  async findManyByCodes(codes: string[]): Promise<DivisionRow[]> {
    if (!codes.length) return [];
    return this.ds.query(`select ${COLUMNS} from divisions d left join divisions p on p.id = d.parent_id where d.code = any($1)`, [codes]);
  }

  async root(): Promise<DivisionRow | undefined> {
    const rows: DivisionRow[] = await this.ds.query(
      `select ${COLUMNS} from divisions d left join divisions p on p.id = d.parent_id where d.parent_id is null order by d.created_at limit 1`,
    );
    return rows[0];
  }

  async list(f: DivisionListFilter): Promise<DivisionRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['d.path <@ $1::ltree'];
    if (f.level) where.push(`d.level = $${params.push(f.level)}`);
    if (f.parentId) where.push(`d.parent_id = $${params.push(f.parentId)}`);
    if (f.q) where.push(`d.name like '%' || $${params.push(escapeLike(f.q))} || '%'`);
    const key = f.sort === 'name' ? 'd.name' : 'd.code';
    if (f.after) {
      const op = f.desc ? '<' : '>';
      where.push(`(${key}, d.id) ${op} ($${params.push(f.after[0])}, $${params.push(f.after[1])}::uuid)`);
    }
    const dir = f.desc ? 'desc' : 'asc';
    return this.ds.query(
      `select ${COLUMNS}${f.withBoundary ? BOUNDARY : ''} from divisions d left join divisions p on p.id = d.parent_id
       where ${where.join(' and ')} order by ${key} ${dir}, d.id ${dir} limit $${params.push(f.limit)}`,
      params,
    );
  }

  /** Parses GeoJSON in PostGIS and says whether it is a valid (Multi)Polygon, and why not. */
  async checkBoundary(geojson: unknown): Promise<GeometryCheck> {
    try {
      const [row]: Array<{ type: string; valid: boolean; reason: string; empty: boolean; geojson: string }> = await this.ds.query(
        // ST_Force2D: a boundary that arrives with altitudes is stored as longitude, latitude (2-D column).
        `with g as (select st_force2d(st_setsrid(st_geomfromgeojson($1::text), 4326)) as geom)
         select geometrytype(geom) as type, st_isvalid(geom) as valid, st_isvalidreason(geom) as reason,
                st_isempty(geom) as empty, st_asgeojson(st_multi(geom), 7) as geojson from g`,
        [JSON.stringify(geojson)],
      );
      if (row.empty) return { valid: false, reason: 'must not be empty', geojson: null };
      if (!['POLYGON', 'MULTIPOLYGON'].includes(row.type)) {
        return { valid: false, reason: `must be a Polygon or MultiPolygon, not ${row.type}`, geojson: null };
      }
      return { valid: row.valid, reason: row.valid ? null : row.reason, geojson: row.geojson };
    } catch (err) {
      return { valid: false, reason: `not valid GeoJSON geometry (${(err as Error).message})`, geojson: null };
    }
  }

  async insert(
    d: { code: string; name: string; level: DivisionLevel; parentId: string; path: string; boundary: string | null; synthetic?: boolean },
    manager?: EntityManager,
  ): Promise<string> {
    const [row]: Array<{ id: string }> = await this.m(manager).query(
      `insert into divisions (code, name, level, parent_id, path, boundary, boundary_synthetic)
       values ($1, $2, $3, $4, $5::ltree, st_setsrid(st_geomfromgeojson($6::text), 4326), $7) returning id`,
      [d.code, d.name, d.level, d.parentId, d.path, d.boundary, d.synthetic ?? false],
    );
    return row.id;
  }

  async update(id: string, patch: { name?: string; boundary?: string | null }, manager?: EntityManager): Promise<void> {
    const sets: string[] = ['updated_at = now()'];
    const params: unknown[] = [id];
    if (patch.name !== undefined) sets.push(`name = $${params.push(patch.name)}`);
    if (patch.boundary !== undefined) {
      sets.push(`boundary = st_setsrid(st_geomfromgeojson($${params.push(patch.boundary)}::text), 4326)`);
      sets.push('boundary_synthetic = false');
    }
    await this.m(manager).query(`update divisions set ${sets.join(', ')} where id = $1`, params);
  }

  /** Divisions under a path with their boundaries (GeoJSON text, 15 digits), for export. */
  async boundariesWithin(withinPath: string, level?: DivisionLevel): Promise<Array<DivisionRow & { geojson: string | null }>> {
    return this.ds.query(
      `select ${COLUMNS}, st_asgeojson(d.boundary, 15) as geojson
       from divisions d left join divisions p on p.id = d.parent_id
       where d.path <@ $1::ltree and ($2::division_level is null or d.level = $2) order by d.path`,
      [withinPath, level ?? null],
    );
  }

  /**
   * Sets boundaries (already validated GeoJSON Polygon/MultiPolygon text) in one transaction;
   * a boundary equal to the stored one is not rewritten. Returns the ids that changed.
   */
  async setBoundaries(
    updates: Array<{ id: string; geojson: string }>,
    dryRun: boolean,
    /** Runs in the same transaction with the ids that changed (the audit log). */
    onChanged?: (m: EntityManager, ids: string[]) => Promise<void>,
  ): Promise<string[]> {
    // A dry run runs the same statements (same checks and locks) and keeps nothing.
    return inTransaction(
      this.ds,
      async (m) => {
        // Wrapped in a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
        const rows: Array<{ id: string }> = await m.query(
          `with changed as (update divisions d set boundary = st_multi(st_setsrid(st_geomfromgeojson(u.g), 4326)), boundary_synthetic = false, updated_at = now()
         from unnest($1::uuid[], $2::text[]) as u(id, g)
         where d.id = u.id and (d.boundary is null or not (d.boundary = st_multi(st_setsrid(st_geomfromgeojson(u.g), 4326))))
         returning d.id) select id from changed`,
          [updates.map((u) => u.id), updates.map((u) => u.geojson)],
        );
        const changed = rows.map((r) => r.id);
        if (onChanged && changed.length) await onChanged(m, changed);
        return changed;
      },
      { rollback: dryRun },
    );
  }

  /** What still refers to a division, so it cannot be deleted. */
  async usage(id: string): Promise<{ children: number; holders: number }> {
    const [row] = await this.ds.query(
      `select (select count(*) from divisions where parent_id = $1)::int as children,
              (select count(*) from responsibility_holders where division_id = $1)::int as holders`,
      [id],
    );
    return row;
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.m(manager).query('delete from divisions where id = $1', [id]);
  }

  /**
   * Divisions at these levels intersecting an area, with how each relates to it (area_relation /
   * circle_relation, migration SpatialRelations). The GiST probe runs on division_boundary_parts
   * (boundaries cut into ≤ 256-vertex pieces) and keeps one row per division; the relation is
   * then computed once on the whole boundary.
   */
  async intersecting(area: DivisionArea, levels: DivisionLevel[], withinPath: string, withBoundary: boolean): Promise<DivisionHitRow[]> {
    const [areaSql, hitSql, relationSql, params] =
      'circle' in area
        ? [
            'select st_setsrid(st_makepoint($1, $2), 4326)::geography as g',
            'st_dwithin(bp.geom::geography, a.g, $3)',
            'circle_relation(d.boundary, a.g, $3)',
            [area.circle.lon, area.circle.lat, area.circle.radiusM],
          ]
        : [
            'select st_setsrid(st_geomfromgeojson($1::text), 4326) as g',
            'st_intersects(bp.geom, a.g)',
            'area_relation(d.boundary, a.g)',
            [area.geojson],
          ];
    const n = params.length;
    return this.ds.query(
      `with a as (${areaSql}),
       hit as (
         select distinct bp.division_id from division_boundary_parts bp, a
         where bp.level = any($${n + 1}::division_level[]) and ${hitSql})
       select ${COLUMNS}, ${relationSql} as relation${withBoundary ? ', st_asgeojson(d.boundary, 15)::json as boundary' : ''}
       from hit join divisions d on d.id = hit.division_id left join divisions p on p.id = d.parent_id cross join a
       where d.path <@ $${n + 2}::ltree
       order by d.level, d.code`,
      [...params, levels, withinPath],
    );
  }

  /**
   * All the ground our divisions cover, lossless GeoJSON: the root's boundary, else the towns'
   * united; null when neither is drawn. What lies outside it is the sea (or a neighbour county).
   */
  async land(): Promise<string | null> {
    const [row]: Array<{ g: string | null }> = await this.ds.query(
      `select st_asgeojson(coalesce(
         (select st_union(boundary) from divisions where parent_id is null and boundary is not null),
         (select st_union(boundary) from divisions where level = 'town' and boundary is not null)), 15) as g`,
    );
    return row?.g ?? null;
  }

  /**
   * Divisions of `levels` at, under or above the named paths (a village named: its town too), and
   * those whose ground the given polygons share (edge contact alone excluded) — one statement for
   * a warning's every area.
   */
  async underPathsOrIntersecting(paths: string[], geojsons: string[], levels: DivisionLevel[]): Promise<DivisionHitRow[]> {
    if (!paths.length && !geojsons.length) return [];
    return this.ds.query(
      `with a as (select st_setsrid(st_geomfromgeojson(g), 4326) as g from unnest($2::text[]) g),
       -- the named divisions, everything under them, and the ones above them (a named village's town answers too)
       named as (select d.id, 'inside'::text as relation from divisions d
                 where (d.path <@ $1::ltree[] or $1::ltree[] <@ d.path) and d.level = any($3::division_level[])),
       drawn as (
         select x.division_id as id, max(x.relation) as relation from (
           select bp.division_id, area_relation(d.boundary, a.g) as relation
           from a join division_boundary_parts bp on st_intersects(bp.geom, a.g) and bp.level = any($3::division_level[])
           join divisions d on d.id = bp.division_id) x
         where x.relation <> 'touching' and x.division_id not in (select id from named) group by x.division_id),
       hit as (select * from named union all select * from drawn)
       select ${COLUMNS}, hit.relation from hit join divisions d on d.id = hit.id left join divisions p on p.id = d.parent_id
       order by d.level, d.code`,
      [paths, geojsons, levels],
    );
  }

  /** The union of these divisions' boundaries as lossless GeoJSON, and the codes that have none. */
  async boundaryUnion(ids: string[]): Promise<{ geojson: string | null; withoutBoundary: string[] }> {
    const [row]: Array<{ geojson: string | null; withoutBoundary: string[] | null }> = await this.ds.query(
      `select st_asgeojson(st_union(boundary), 15) as geojson,
              array_agg(code order by code) filter (where boundary is null) as "withoutBoundary"
       from divisions where id = any($1::uuid[])`,
      [ids],
    );
    return { geojson: row?.geojson ?? null, withoutBoundary: row?.withoutBoundary ?? [] };
  }

  /** Whether a division's boundary covers / meets an area; undefined when it has no boundary. */
  async coverage(id: string, area: DivisionArea): Promise<{ covers: boolean; intersects: boolean } | undefined> {
    // A circle is covered when its geodesic buffer is (32 segments per quarter: centimetres at these radii).
    const [areaSql, covers, intersects, params] =
      'circle' in area
        ? [
            'select st_setsrid(st_makepoint($2, $3), 4326)::geography as g',
            "st_covers(d.boundary, st_buffer(a.g, $4, 'quad_segs=32')::geometry)",
            'st_dwithin(d.boundary::geography, a.g, $4)',
            [area.circle.lon, area.circle.lat, area.circle.radiusM],
          ]
        : [
            'select st_setsrid(st_geomfromgeojson($2::text), 4326) as g',
            'st_covers(d.boundary, a.g)',
            'st_intersects(d.boundary, a.g)',
            [area.geojson],
          ];
    const rows: Array<{ covers: boolean; intersects: boolean }> = await this.ds.query(
      `with a as (${areaSql})
       select ${covers} as covers, ${intersects} as intersects from divisions d cross join a where d.id = $1 and d.boundary is not null`,
      [id, ...params],
    );
    return rows[0];
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
