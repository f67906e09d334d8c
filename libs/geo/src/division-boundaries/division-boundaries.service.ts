import { Injectable } from '@nestjs/common';
import { AppError, Principal } from '@fangxun/common';
import { DivisionService } from '@fangxun/registry';
import type { FeatureCollection } from '../geojson/geojson.types';
import { GeoJsonChecker } from '../geojson/geojson-checker.service';
import { BoundaryExportQuery, BoundaryImportReportDto } from './division-boundaries.dto';

/**
 * Division boundaries (towns, villages, grids) as RFC 7946 FeatureCollections. The registry
 * owns the divisions; this is only the GeoJSON door to their boundaries: an import sets the
 * boundary of divisions that exist (matched by `properties.code`), it never creates or moves one.
 */
@Injectable()
export class DivisionBoundariesService {
  constructor(
    private readonly divisions: DivisionService,
    private readonly checker: GeoJsonChecker,
  ) {}

  async export(principal: Principal, q: BoundaryExportQuery): Promise<FeatureCollection> {
    const rows = await this.divisions.boundaries(principal, q);
    return {
      type: 'FeatureCollection',
      features: rows
        .filter((r) => r.geojson)
        .map((r) => ({
          type: 'Feature',
          id: r.code,
          geometry: JSON.parse(r.geojson as string),
          properties: { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, boundarySynthetic: r.boundarySynthetic },
        })),
    };
  }

  async import(principal: Principal, body: unknown, opts: { repair: boolean; dryRun: boolean }): Promise<BoundaryImportReportDto> {
    const checked = await this.checker.check(body, { repair: opts.repair });
    const errors: BoundaryImportReportDto['errors'] = checked.rejected.map((r) => ({
      index: r.index,
      field: `features[${r.index}].${r.field}`,
      problem: r.problem,
    }));
    const updates: Array<{ id: string; geojson: string; index: number; code: string; notes: string[] }> = [];
    const seen = new Set<string>();
    for (const f of checked.features) {
      const code = f.properties.code;
      const fail = (field: string, problem: string) =>
        errors.push({ index: f.index, code: typeof code === 'string' ? code : undefined, field: `features[${f.index}].${field}`, problem });
      if (typeof code !== 'string' || !code) {
        fail('properties.code', 'the division code is required');
        continue;
      }
      if (!['POLYGON', 'MULTIPOLYGON'].includes(f.geometryType)) {
        fail('geometry', `a boundary is a Polygon or MultiPolygon, not ${f.geometryType}`);
        continue;
      }
      if (seen.has(code)) {
        fail('properties.code', 'this code appears twice in the file');
        continue;
      }
      seen.add(code);
      try {
        const division = await this.divisions.getInScope(principal, code, 'code');
        updates.push({ id: division.id, geojson: f.geometry, index: f.index, code, notes: f.changes });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        fail('properties.code', err.details[0]?.problem ?? err.message);
      }
    }
    const changed = new Set(updates.length ? await this.divisions.setBoundaries(principal, updates, opts.dryRun) : []);
    errors.sort((a, b) => a.index - b.index);
    return {
      dryRun: opts.dryRun,
      crs: checked.crs,
      crsDeclared: checked.crsDeclared,
      total: Array.isArray((body as { features?: unknown }).features) ? (body as { features: unknown[] }).features.length : 0,
      updated: changed.size,
      unchanged: updates.length - changed.size,
      rejected: new Set(errors.map((e) => e.index)).size,
      changes: updates.filter((u) => changed.has(u.id)).map((u) => ({ index: u.index, code: u.code, geometry: u.notes })),
      errors,
    };
  }
}
