import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import {
  AppError,
  assertInScope,
  CommonErrors,
  decodeCursor,
  defaultScopePath,
  encodeCursor,
  isWithin,
  Page,
  Principal,
} from '@fangxun/common';
import {
  checkStructure,
  GeometryCheckRepository,
  inTransaction,
  PG_FOREIGN_KEY_VIOLATION,
  PG_UNIQUE_VIOLATION,
  pgError,
} from '@fangxun/database';
import { RegistryErrors } from '../registry.errors';
import { CreateDivisionDto, DivisionDto, ListDivisionsQuery, UpdateDivisionDto } from './division.dto';
import { toDivisionDto } from './division.mapper';
import { DivisionArea, DivisionHitRow, DivisionRepository, DivisionRow } from './division.repository';
import { divisionCodeOf } from './division-codes';
import type { DivisionLevel } from './division-level';
import { CHILD_LEVEL } from './division-rules';

export type { AreaRelation, DivisionArea, DivisionHitRow as DivisionHit } from './division.repository';

/** A division as other modules see it: enough to scope and to name. */
export interface DivisionRef {
  id: string;
  code: string;
  name: string;
  level: DivisionRow['level'];
  path: string;
}

@Injectable()
export class DivisionService {
  constructor(
    private readonly divisions: DivisionRepository,
    private readonly geometries: GeometryCheckRepository,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** Looks a division up by code for a caller, refusing (403) what lies outside its area. */
  async getInScope(principal: Principal, code: string, field = 'divisionCode', withBoundary = false): Promise<DivisionRow> {
    const row = await this.divisions.findByCode(code, withBoundary);
    if (!row) {
      throw new AppError(RegistryErrors.DivisionNotFound, `division ${code} not found`, [{ field, problem: 'no such division' }]);
    }
    assertInScope(principal, row.path, field);
    return row;
  }

  async findRefById(id: string): Promise<DivisionRef | undefined> {
    const row = await this.divisions.findById(id);
    return row && toRef(row);
  }

  async findRefByCode(code: string): Promise<DivisionRef | undefined> {
    const row = await this.divisions.findByCode(code);
    return row && toRef(row);
  }

  async findRefsByCodes(codes: string[]): Promise<Map<string, DivisionRef>> {
    const rows = await this.divisions.findManyByCodes([...new Set(codes)]);
    return new Map(rows.map((r) => [r.code, toRef(r)]));
  }

  /**
   * Divisions named by statistical codes in any of their forms (12-digit CPEAS geocodes, 9, 6;
   * see `divisionCodeOf`), keyed by the code as given. Codes naming no division are absent.
   */
  async findRefsByGeocodes(codes: string[]): Promise<Map<string, DivisionRef>> {
    const ours = await this.findRefsByCodes(codes.map(divisionCodeOf));
    const out = new Map<string, DivisionRef>();
    for (const c of codes) {
      const ref = ours.get(divisionCodeOf(c));
      if (ref) out.set(c, ref);
    }
    return out;
  }

  /** ltree path of the city (the tree's root); '' before the registry is seeded. */
  async rootPath(): Promise<string> {
    return (await this.divisions.root())?.path ?? '';
  }

  /** The city (the tree's root); undefined before the registry is seeded. */
  async rootRef(): Promise<DivisionRef | undefined> {
    const row = await this.divisions.root();
    return row && toRef(row);
  }

  async get(principal: Principal, code: string): Promise<DivisionDto> {
    return toDivisionDto(await this.getInScope(principal, code, 'code', true));
  }

  async list(principal: Principal, query: ListDivisionsQuery, pageSize: number): Promise<Page<DivisionDto>> {
    const root = await this.rootPath();
    if (!root) return { items: [], nextCursor: null };
    let withinPath = defaultScopePath(principal, root);
    let parentId: string | undefined;
    if (query.withinCode) withinPath = (await this.getInScope(principal, query.withinCode, 'withinCode')).path;
    if (query.parentCode) {
      const parent = await this.getInScope(principal, query.parentCode, 'parentCode');
      parentId = parent.id;
      if (!isWithin(parent.path, withinPath) && !isWithin(withinPath, parent.path)) return { items: [], nextCursor: null };
    }
    const sort = query.sort ?? 'code';
    const limit = query.limit ?? pageSize;
    const after = query.cursor ? (decodeCursor(query.cursor, sort, 2) as [string, string]) : undefined;
    const rows = await this.divisions.list({
      withinPath,
      parentId,
      level: query.level,
      q: query.q,
      sort,
      desc: query.order === 'desc',
      after,
      limit: limit + 1,
      withBoundary: query.withBoundary ?? false,
    });
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDivisionDto),
      nextCursor: more && last ? encodeCursor(sort, [sort === 'name' ? last.name : last.code, last.id]) : null,
    };
  }

  async create(principal: Principal, dto: CreateDivisionDto): Promise<DivisionDto> {
    const parent = await this.getInScope(principal, dto.parentCode, 'parentCode');
    if (CHILD_LEVEL[parent.level] !== dto.level) {
      throw new AppError(RegistryErrors.BadParent, `a ${dto.level} cannot sit under a ${parent.level}`, [
        { field: 'parentCode', problem: `must be a ${parentLevelOf(dto.level)} for a ${dto.level}` },
      ]);
    }
    const boundary = dto.boundary ? await this.validBoundary(dto.boundary) : null;
    try {
      await inTransaction(this.ds, async (m) => {
        const d = {
          code: dto.code,
          name: dto.name.trim(),
          level: dto.level,
          parentId: parent.id,
          path: `${parent.path}.${dto.code}`,
          boundary,
        };
        const id = await this.divisions.insert(d, m);
        const after = { code: d.code, name: d.name, level: d.level, parentCode: parent.code, boundary: boundary ? 'drawn' : null };
        await this.audit.append(m, { actor: principal, action: 'division.create', entity: 'division', entityId: dto.code, after });
        return id;
      });
    } catch (err) {
      if (pgError(err)?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(RegistryErrors.DivisionCodeTaken, `division code ${dto.code} already exists`, [
          { field: 'code', problem: 'already used' },
        ]);
      }
      throw err;
    }
    return this.get(principal, dto.code);
  }

  async update(principal: Principal, code: string, dto: UpdateDivisionDto): Promise<DivisionDto> {
    const row = await this.getInScope(principal, code, 'code');
    const boundary = dto.boundary === undefined ? undefined : dto.boundary === null ? null : await this.validBoundary(dto.boundary);
    await inTransaction(this.ds, async (m) => {
      await this.divisions.update(row.id, { name: dto.name?.trim(), boundary }, m);
      // A boundary is recorded as replaced or removed, not vertex by vertex.
      await this.audit.append(m, {
        actor: principal,
        action: 'division.update',
        entity: 'division',
        entityId: code,
        before: { name: row.name, ...(boundary !== undefined && { boundary: null }) },
        after: {
          name: dto.name?.trim() ?? row.name,
          ...(boundary !== undefined && { boundary: boundary === null ? 'removed' : 'replaced' }),
        },
      });
    });
    return this.get(principal, code);
  }

  async remove(principal: Principal, code: string): Promise<void> {
    const row = await this.getInScope(principal, code, 'code');
    if (row.level === 'city') {
      throw new AppError(RegistryErrors.DivisionInUse, 'the city itself cannot be deleted', [{ field: 'code', problem: 'root division' }]);
    }
    const usage = await this.divisions.usage(row.id);
    if (usage.children || usage.holders) {
      throw new AppError(
        RegistryErrors.DivisionInUse,
        `division ${code} still has ${usage.children} sub-divisions and ${usage.holders} holders`,
        [{ field: 'code', problem: 'still in use; move or delete what is filed under it first' }],
      );
    }
    try {
      await inTransaction(this.ds, async (m) => {
        await this.divisions.delete(row.id, m);
        const before = { code: row.code, name: row.name, level: row.level };
        await this.audit.append(m, { actor: principal, action: 'division.delete', entity: 'division', entityId: code, before });
      });
    } catch (err) {
      if (pgError(err)?.code === PG_FOREIGN_KEY_VIOLATION) {
        throw new AppError(RegistryErrors.DivisionInUse, `division ${code} is still referenced (users, rosters)`, [
          { field: 'code', problem: 'still referenced' },
        ]);
      }
      throw err;
    }
  }

  /**
   * Divisions at these levels under `withinPath` that intersect an area, each with how it relates
   * to it (inside / touching / overlapping / containing). For other modules' spatial queries;
   * the caller has already narrowed `withinPath` to what its principal may see.
   */
  async intersecting(
    area: DivisionArea,
    opts: { levels: DivisionLevel[]; withinPath: string; withBoundary?: boolean },
  ): Promise<DivisionHitRow[]> {
    if (!opts.levels.length || !opts.withinPath) return [];
    return this.divisions.intersecting(area, opts.levels, opts.withinPath, opts.withBoundary ?? false);
  }

  /** The union of these divisions' boundaries (lossless GeoJSON) and the codes without one. */
  async boundaryUnion(ids: string[]): Promise<{ geojson: string | null; withoutBoundary: string[] }> {
    return this.divisions.boundaryUnion(ids);
  }

  /** All the ground our divisions cover (lossless GeoJSON), null when no boundary is drawn; outside it is the sea. */
  async landGeojson(): Promise<string | null> {
    return this.divisions.land();
  }

  /** Divisions of these levels under the named paths or sharing ground with the polygons (GeoJSON texts), in one statement. */
  async underPathsOrIntersecting(paths: string[], geojsons: string[], levels: DivisionLevel[]): Promise<DivisionHitRow[]> {
    return this.divisions.underPathsOrIntersecting(paths, geojsons, levels);
  }

  /** Whether a division's boundary covers and/or meets an area; undefined when it has no boundary. */
  async areaCoverage(id: string, area: DivisionArea): Promise<{ covers: boolean; intersects: boolean } | undefined> {
    return this.divisions.coverage(id, area);
  }

  /** Divisions in the caller's area (optionally below a code, of one level) with boundaries as GeoJSON text. */
  async boundaries(principal: Principal, f: { withinCode?: string; level?: DivisionRow['level'] }) {
    const within = f.withinCode
      ? (await this.getInScope(principal, f.withinCode, 'withinCode')).path
      : defaultScopePath(principal, await this.rootPath());
    return this.divisions.boundariesWithin(within, f.level);
  }

  /** Writes boundaries already checked by the caller (GeoJSON text), all or nothing; returns the ids that changed. */
  setBoundaries(principal: Principal, updates: Array<{ id: string; code: string; geojson: string }>, dryRun: boolean): Promise<string[]> {
    const codeOf = new Map(updates.map((u) => [u.id, u.code]));
    return this.divisions.setBoundaries(updates, dryRun, (m, ids) =>
      this.audit.appendMany(
        m,
        ids.map((id) => ({
          actor: principal,
          action: 'division.boundary_import',
          entity: 'division',
          entityId: codeOf.get(id) ?? id,
          before: { boundary: null },
          after: { boundary: 'replaced' },
        })),
      ),
    );
  }

  /** Through the shared structural check first (types, ranges, closed rings, no empty parts), then PostGIS. */
  private async validBoundary(geojson: unknown): Promise<string> {
    const structure = checkStructure(geojson);
    const type = (geojson as { type?: unknown }).type;
    const problem = structure.problem ?? (type === 'Polygon' || type === 'MultiPolygon' ? undefined : 'must be a Polygon or MultiPolygon');
    if (problem) {
      throw new AppError(CommonErrors.InvalidGeometry, `boundary: ${problem}`, [{ field: 'boundary', problem }]);
    }
    // The import checker's PostGIS core (parse, validity, emptiness, RFC 7946 winding), then the
    // registry's own step (2-D, MultiPolygon). No repair here: a boundary is drawn with care, not fixed silently.
    const [verdict] = await this.geometries.check([JSON.stringify(geojson)], false);
    const refused = !verdict.parsed
      ? 'PostGIS could not read this geometry'
      : verdict.empty
        ? 'must not be empty'
        : !verdict.valid
          ? `invalid geometry: ${verdict.reason}`
          : undefined;
    if (refused) throw new AppError(CommonErrors.InvalidGeometry, `boundary: ${refused}`, [{ field: 'boundary', problem: refused }]);
    const check = await this.divisions.checkBoundary(JSON.parse(verdict.geojson!));
    if (!check.valid || !check.geojson) {
      throw new AppError(CommonErrors.InvalidGeometry, `boundary: ${check.reason}`, [
        { field: 'boundary', problem: check.reason ?? 'invalid geometry' },
      ]);
    }
    return check.geojson;
  }
}

function toRef(row: DivisionRow): DivisionRef {
  return { id: row.id, code: row.code, name: row.name, level: row.level, path: row.path };
}

function parentLevelOf(level: string): string {
  return level === 'town' ? 'city' : level === 'village' ? 'town' : 'village';
}
