import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, AuditService, sameFieldsAs } from '@fangxun/audit';
import { AppError, CommonErrors, ErrorDetail, inScope, Principal } from '@fangxun/common';
import { inTransaction, PG_CHECK_VIOLATION, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { flattenValidationErrors } from '@fangxun/platform';
import { GeoJsonChecker } from '../geojson/geojson-checker.service';
import type { FeatureChangeDto, FeatureErrorDto, FeatureImportReportDto } from './feature-import.dto';

/** What a point resource writes: at least its code and its location as GeoJSON text. */
export interface PointWrite {
  code: string;
  location: string;
}

/** A stored row as a write, plus what scoping needs. */
export type StoredPoint<W extends PointWrite> = W & { id: string; divisionPath: string };

/** The outcome of a resource's own rules for one feature: a write, or problems (fields relative to properties). */
export interface Resolved<W> {
  write?: W;
  problems: ErrorDetail[];
}

/** What one resource (shelters, teams, depots) plugs into the shared import. */
export interface PointImportSpec<P extends { code: string }, W extends PointWrite> {
  /** Entity name in the audit log (`shelter`, `team`, `supply_depot`). */
  entity: string;
  /** Its create DTO without the geometry: what each feature's properties must satisfy. */
  properties: ClassConstructor<P>;
  /** Properties its export adds for readers (occupancy, names …); ignored on import. */
  outputOnly: readonly string[];
  /** The rules of single writes (division, scope, level, manager …), for all features at once. */
  resolve(principal: Principal, items: Array<{ properties: P; location: string }>): Promise<Array<Resolved<W>>>;
  /** Stored rows with these codes, locked for the rest of the transaction. */
  lockByCodes(codes: string[], m: EntityManager): Promise<Map<string, StoredPoint<W>>>;
  /** Problems with replacing a stored row (e.g. capacity below its occupancy); fields relative to properties. */
  conflicts?(write: W, stored: StoredPoint<W>): ErrorDetail[];
  insert(write: W, m: EntityManager): Promise<void>;
  update(id: string, write: W, m: EntityManager): Promise<void>;
}

interface Candidate<P, W> {
  index: number;
  code: string;
  properties: P;
  location: string;
  geometry: string[];
  write?: W;
}

const VALIDATE = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * GeoJSON import of Point resources, shared by shelters, teams and depots: the shared checker
 * (CRS, limits, validity), per-feature property validation naming `features[i].properties.x`,
 * the resource's own rules, then an upsert by code of every good feature in ONE transaction
 * (rolled back for a dry run). Bad features are reported, never half-written; importing the
 * same file twice changes nothing.
 */
@Injectable()
export class PointFeatureImporter {
  constructor(
    private readonly checker: GeoJsonChecker,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async run<P extends { code: string }, W extends PointWrite>(
    principal: Principal,
    body: unknown,
    opts: { repair: boolean; dryRun: boolean },
    spec: PointImportSpec<P, W>,
  ): Promise<FeatureImportReportDto> {
    const checked = await this.checker.check(body, { repair: opts.repair });
    const errors: FeatureErrorDto[] = checked.rejected.map((r) => ({
      index: r.index,
      field: `features[${r.index}].${r.field}`,
      problem: r.problem,
    }));
    const candidates = await this.readProperties(checked.features, spec, errors);
    const resolved = await spec.resolve(principal, candidates);
    const accepted = candidates.filter((c, i) => {
      const r = resolved[i];
      r.problems.forEach((p) =>
        errors.push({ index: c.index, code: c.code, field: `features[${c.index}].properties.${p.field}`, problem: p.problem }),
      );
      c.write = r.write;
      return !r.problems.length && !!r.write;
    });
    const changes = await this.write(principal, accepted, spec, opts.dryRun, errors);
    errors.sort((a, b) => a.index - b.index);
    const count = (action: FeatureChangeDto['action']) => changes.filter((c) => c.action === action).length;
    return {
      dryRun: opts.dryRun,
      crs: checked.crs,
      crsDeclared: checked.crsDeclared,
      total: (body as { features: unknown[] }).features.length,
      inserted: count('insert'),
      updated: count('update'),
      unchanged: count('unchanged'),
      rejected: new Set(errors.map((e) => e.index)).size,
      changes,
      errors,
    };
  }

  /** Point geometry, then the properties against the resource's DTO; duplicates within the file are refused. */
  private async readProperties<P extends { code: string }, W extends PointWrite>(
    features: Array<{ index: number; geometry: string; geometryType: string; properties: Record<string, unknown>; changes: string[] }>,
    spec: PointImportSpec<P, W>,
    errors: FeatureErrorDto[],
  ): Promise<Array<Candidate<P, W>>> {
    const out: Array<Candidate<P, W>> = [];
    const seen = new Map<string, number>();
    for (const f of features) {
      const at = `features[${f.index}]`;
      const rawCode = typeof f.properties.code === 'string' ? f.properties.code : undefined;
      if (f.geometryType !== 'POINT') {
        errors.push({ index: f.index, code: rawCode, field: `${at}.geometry`, problem: `must be a Point, not ${f.geometryType}` });
        continue;
      }
      const props = Object.fromEntries(Object.entries(f.properties).filter(([k]) => !spec.outputOnly.includes(k)));
      const dto = plainToInstance(spec.properties, props);
      const problems = flattenValidationErrors(await validate(dto as object, VALIDATE), `${at}.properties`);
      if (problems.length) {
        problems.forEach((p) => errors.push({ index: f.index, code: rawCode, ...p }));
        continue;
      }
      const first = seen.get(dto.code);
      if (first !== undefined) {
        errors.push({ index: f.index, code: dto.code, field: `${at}.properties.code`, problem: `same code as features[${first}]` });
        continue;
      }
      seen.set(dto.code, f.index);
      out.push({ index: f.index, code: dto.code, properties: dto, ...twoDimensional(f.geometry, f.changes) });
    }
    return out;
  }

  /** Every accepted feature in one transaction: inserted, updated (naming the fields) or left alone. */
  private async write<P extends { code: string }, W extends PointWrite>(
    principal: Principal,
    accepted: Array<Candidate<P, W>>,
    spec: PointImportSpec<P, W>,
    dryRun: boolean,
    errors: FeatureErrorDto[],
  ): Promise<FeatureChangeDto[]> {
    if (!accepted.length) return [];
    const changes: FeatureChangeDto[] = [];
    const audited: AuditEntry[] = [];
    try {
      return await inTransaction(
        this.ds,
        async (m) => {
          const stored = await spec.lockByCodes(
            accepted.map((c) => c.code),
            m,
          );
          for (const c of accepted) {
            const write = c.write as W;
            const s = stored.get(c.code);
            const reject = (p: ErrorDetail) =>
              errors.push({ index: c.index, code: c.code, field: `features[${c.index}].properties.${p.field}`, problem: p.problem });
            if (s && !inScope(principal, s.divisionPath)) {
              reject({ field: 'code', problem: 'this code belongs to a record outside your area' });
              continue;
            }
            const conflicts = s && spec.conflicts ? spec.conflicts(write, s) : [];
            if (conflicts.length) {
              conflicts.forEach(reject);
              continue;
            }
            const fields = s ? changedFields(write, s) : [];
            if (!s) await spec.insert(write, m);
            else if (fields.length) await spec.update(s.id, write, m);
            if (!s || fields.length) {
              const after = { ...write } as Record<string, unknown>;
              audited.push({
                actor: principal,
                action: `${spec.entity}.import_${s ? 'update' : 'create'}`,
                entity: spec.entity,
                entityId: c.code,
                before: s ? sameFieldsAs(s, after) : null,
                after,
              });
            }
            changes.push({
              index: c.index,
              code: c.code,
              action: !s ? 'insert' : fields.length ? 'update' : 'unchanged',
              fields,
              geometry: c.geometry,
            });
          }
          // One audit row per created or changed record, one INSERT for the file.
          await this.audit.appendMany(m, audited);
          return changes;
        },
        { rollback: dryRun },
      );
    } catch (err) {
      throw raceOr(err);
    }
  }
}

/** Points are stored in 2D: an altitude is dropped, and the report says so. */
function twoDimensional(geometry: string, changes: string[]): { location: string; geometry: string[] } {
  const g = JSON.parse(geometry) as { type: string; coordinates: number[] };
  if (g.coordinates.length <= 2) return { location: geometry, geometry: changes };
  return {
    location: JSON.stringify({ type: 'Point', coordinates: g.coordinates.slice(0, 2) }),
    geometry: [...changes, 'altitude dropped: points are stored as longitude, latitude'],
  };
}

/** Names of the fields that differ ("geometry" for the point, compared by its numbers, not its text). */
function changedFields<W extends PointWrite>(write: W, stored: W): string[] {
  const fields = Object.keys(write).filter(
    (k) => k !== 'code' && k !== 'location' && JSON.stringify(write[k as keyof W]) !== JSON.stringify(stored[k as keyof W]),
  );
  const [a, b] = [write.location, stored.location].map((t) => (JSON.parse(t) as { coordinates: number[] }).coordinates);
  // Writes hold the division's id; the file (and the report) speak of its code.
  const named = fields.map((k) => (k === 'divisionId' ? 'divisionCode' : k));
  return a[0] !== b[0] || a[1] !== b[1] ? ['geometry', ...named] : named;
}

/** The checks ran on rows locked a moment ago; a concurrent insert of the same code is a race: nothing is written. */
function raceOr(err: unknown): unknown {
  const pg = pgError(err);
  if (!pg || ![PG_UNIQUE_VIOLATION, PG_FOREIGN_KEY_VIOLATION, PG_CHECK_VIOLATION].includes(pg.code)) return err;
  return new AppError(CommonErrors.Conflict, 'the data changed while the file was being imported; nothing was written: import it again', [
    { field: 'features', problem: 'changed meanwhile; nothing was written' },
  ]);
}
