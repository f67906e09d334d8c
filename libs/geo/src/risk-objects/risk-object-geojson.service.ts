import { Injectable, Logger } from '@nestjs/common';
import { CommonErrors, defaultScopePath, Principal } from '@fangxun/common';
import { DivisionService } from '@fangxun/registry';
import type { Feature, FeatureCollection, GeoJsonGeometry } from '../geojson/geojson.types';
import { GeoJsonChecker } from '../geojson/geojson-checker.service';
import { FeatureErrorDto, ImportedFeatureDto, RiskObjectImportReportDto } from './dto/risk-object-geojson.dto';
import { RiskObjectFilterQuery } from './dto/risk-object-view.dto';
import { toProps } from './risk-object.mapper';
import { RiskObjectRepository } from './risk-object.repository';
import type { RiskObjectProps } from './risk-object.types';
import { RiskObjectDetailsRepository } from './risk-object-details.repository';
import { Candidate, RiskObjectPlanner } from './risk-object-planner';
import { parseProperties } from './risk-object-rules';
import { RiskObjectWriter } from './risk-object-writer';

/** The report lists this many errors; a file that is wrong throughout does not need more to be fixed. */
const MAX_REPORTED_ERRORS = 1000;

/**
 * Risk lists in and out as RFC 7946 FeatureCollections. A feature's `properties` are the create
 * body without `geometry`; export writes exactly that, so export → import changes nothing.
 * Import: the shared GeoJSON checker (CRS, limits, validity, repair, winding), then each
 * feature's properties with the same DTO and rules as a single write, then every good feature
 * upserted by code in one transaction. Bad features are reported, one entry per problem.
 */
@Injectable()
export class RiskObjectGeoJsonService {
  private readonly logger = new Logger('risk-object-import');

  constructor(
    private readonly checker: GeoJsonChecker,
    private readonly planner: RiskObjectPlanner,
    private readonly writer: RiskObjectWriter,
    private readonly objects: RiskObjectRepository,
    private readonly details: RiskObjectDetailsRepository,
    private readonly divisions: DivisionService,
  ) {}

  async import(principal: Principal, body: unknown, opts: { repair: boolean; dryRun: boolean }): Promise<RiskObjectImportReportDto> {
    const checked = await this.checker.check(body, { repair: opts.repair });
    const ids = new Map<number, string | number | undefined>(checked.features.map((f) => [f.index, f.id]));
    const errors: FeatureErrorDto[] = checked.rejected.map((r) => ({
      index: r.index,
      id: r.id,
      field: `features[${r.index}].${r.field}`,
      problem: r.problem,
      code: r.field === 'geometry' ? CommonErrors.InvalidGeometry.code : CommonErrors.Validation.code,
    }));
    const report = (index: number, field: string, problem: string, code: string) =>
      errors.push({
        index,
        id: ids.get(index),
        field: field === 'geometry' ? `features[${index}].geometry` : `features[${index}].properties.${field}`,
        problem,
        code,
      });

    const candidates: Candidate[] = [];
    const notes = new Map<number, string[]>();
    for (const f of checked.features) {
      const { dto, problems } = parseProperties(f.properties);
      problems.forEach((p) => report(f.index, p.field, p.problem, CommonErrors.Validation.code));
      if (!dto || problems.length) continue;
      candidates.push({ index: f.index, dto, geometry: f.geometry, geometryType: f.geometryType });
      notes.set(f.index, f.changes);
    }
    const unique = this.dropDuplicateCodes(candidates, report);
    const { plans, problems } = await this.planner.plan(principal, unique);
    problems.forEach((p) => report(p.index, p.field, p.problem, p.kind.code));
    await this.writer.write(principal, plans, 'update', opts.dryRun);

    const features: ImportedFeatureDto[] = plans.map((p) => ({
      index: p.index,
      code: p.code,
      action: !p.existing ? 'inserted' : p.changes.length ? 'updated' : 'unchanged',
      changes: p.existing ? p.changes : [],
      geometryNotes: notes.get(p.index) ?? [],
    }));
    const count = (a: ImportedFeatureDto['action']) => features.filter((f) => f.action === a).length;
    errors.sort((a, b) => a.index - b.index);
    const rejected = new Set(errors.map((e) => e.index)).size;
    const result: RiskObjectImportReportDto = {
      dryRun: opts.dryRun,
      crs: checked.crs,
      crsDeclared: checked.crsDeclared,
      total: Array.isArray((body as { features?: unknown }).features) ? (body as { features: unknown[] }).features.length : 0,
      inserted: count('inserted'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      rejected,
      features,
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
      errorsOmitted: Math.max(0, errors.length - MAX_REPORTED_ERRORS),
    };
    const by = principal.kind === 'user' ? principal.username : principal.name;
    const { inserted, updated, unchanged, total } = result;
    this.logger.log({ by, dryRun: opts.dryRun, crs: checked.crs, total, inserted, updated, unchanged, rejected }, 'risk object import');
    return result;
  }

  /** Everything the filter matches in the caller's area, as a FeatureCollection the import reads back unchanged. */
  async export(principal: Principal, query: RiskObjectFilterQuery): Promise<FeatureCollection<RiskObjectProps>> {
    const withinPath = query.divisionCode
      ? (await this.divisions.getInScope(principal, query.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    const rows = await this.objects.list({
      withinPath,
      type: query.type,
      status: query.status,
      q: query.q,
      sort: 'code',
      desc: false,
      withGeometry: true,
    });
    const details = await this.details.load(rows.map((r) => r.id));
    const features = rows.map((r): Feature<RiskObjectProps> => ({
      type: 'Feature',
      id: r.code,
      geometry: JSON.parse(r.geometry!) as GeoJsonGeometry,
      properties: toProps(r, details),
    }));
    return { type: 'FeatureCollection', features };
  }

  /** A code twice in one file is ambiguous: neither feature is taken. */
  private dropDuplicateCodes(
    candidates: Candidate[],
    report: (index: number, field: string, problem: string, code: string) => void,
  ): Candidate[] {
    const byCode = new Map<string, number[]>();
    for (const c of candidates) byCode.set(c.dto.code, [...(byCode.get(c.dto.code) ?? []), c.index]);
    return candidates.filter((c) => {
      const same = byCode.get(c.dto.code)!;
      if (same.length === 1) return true;
      const others = same.filter((i) => i !== c.index).map((i) => `features[${i}]`);
      report(c.index, 'code', `code ${c.dto.code} is also used by ${others.join(', ')}`, CommonErrors.Validation.code);
      return false;
    });
  }
}
