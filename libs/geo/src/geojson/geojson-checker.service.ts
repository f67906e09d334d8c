import { Inject, Injectable } from '@nestjs/common';
import { AppError, CommonErrors } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { GeoErrors } from '../geo.errors';
import { readCrs } from './crs';
import type { AcceptedCrs, FeatureProblem } from './geojson.types';
import { checkStructure } from './geojson-structure';
import { GeometryCheckRepository } from './geometry-check.repository';

/** One feature that passed every geometry check, ready for its resource's own property checks. */
export interface CheckedFeature {
  index: number;
  id?: string | number;
  /** Normalised GeoJSON geometry text (winding fixed, repaired if asked), to store as is. */
  geometry: string;
  geometryType: string;
  properties: Record<string, unknown>;
  /** What we changed, in words, e.g. "rings rewound to RFC 7946 winding". Empty when stored as sent. */
  changes: string[];
}

export interface CheckedCollection {
  crs: AcceptedCrs;
  crsDeclared: boolean;
  features: CheckedFeature[];
  rejected: FeatureProblem[];
}

/**
 * The shared first half of every GeoJSON import (RFC 7946 FeatureCollection): CRS, size and
 * vertex limits (413), per-feature structure, then PostGIS validity with ST_IsValidReason, and
 * ST_MakeValid only when the caller asks for repair, reporting what changed.
 */
@Injectable()
export class GeoJsonChecker {
  constructor(
    private readonly geometries: GeometryCheckRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(body: unknown, opts: { repair: boolean }): Promise<CheckedCollection> {
    const fc = body as { type?: unknown; features?: unknown };
    if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      throw new AppError(CommonErrors.Validation, 'body must be a GeoJSON FeatureCollection', [
        { field: 'type', problem: 'must be "FeatureCollection" with a features array' },
      ]);
    }
    const crs = readCrs(fc as Record<string, unknown>);
    if (!crs.ok) throw new AppError(GeoErrors.UnsupportedCrs, crs.problem, [{ field: 'crs', problem: crs.problem }]);
    const limits = this.config.geo;
    const features = fc.features as unknown[];
    if (features.length > limits.importMaxFeatures) {
      throw new AppError(CommonErrors.PayloadTooLarge, `${features.length} features; at most ${limits.importMaxFeatures} per file`, [
        { field: 'features', problem: `more than ${limits.importMaxFeatures} features: split the file` },
      ]);
    }
    const rejected: FeatureProblem[] = [];
    const candidates: Array<{ index: number; id?: string | number; geometry: unknown; properties: Record<string, unknown> }> = [];
    let totalVertices = 0;
    features.forEach((f, index) => {
      const feature = f as { type?: unknown; id?: unknown; geometry?: unknown; properties?: unknown };
      const id = typeof feature?.id === 'string' || typeof feature?.id === 'number' ? feature.id : undefined;
      if (!feature || feature.type !== 'Feature') return rejected.push({ index, id, field: 'type', problem: 'must be "Feature"' });
      if (
        feature.properties !== null &&
        feature.properties !== undefined &&
        (typeof feature.properties !== 'object' || Array.isArray(feature.properties))
      ) {
        return rejected.push({ index, id, field: 'properties', problem: 'must be an object' });
      }
      const s = checkStructure(feature.geometry);
      totalVertices += s.vertices;
      if (s.problem) return rejected.push({ index, id, field: 'geometry', problem: s.problem });
      if (s.vertices > limits.maxVerticesPerFeature) {
        return rejected.push({
          index,
          id,
          field: 'geometry',
          problem: `${s.vertices} vertices; at most ${limits.maxVerticesPerFeature} per feature`,
        });
      }
      candidates.push({ index, id, geometry: feature.geometry, properties: (feature.properties ?? {}) as Record<string, unknown> });
    });
    if (totalVertices > limits.importMaxVertices) {
      throw new AppError(CommonErrors.PayloadTooLarge, `${totalVertices} vertices; at most ${limits.importMaxVertices} per file`, [
        { field: 'features', problem: `more than ${limits.importMaxVertices} vertices in all: split the file or simplify` },
      ]);
    }
    const verdicts = await this.geometries.check(
      candidates.map((c) => JSON.stringify(c.geometry)),
      opts.repair,
    );
    const accepted: CheckedFeature[] = [];
    candidates.forEach((c, i) => {
      const v = verdicts[i];
      const reject = (problem: string) => rejected.push({ index: c.index, id: c.id, field: 'geometry', problem });
      if (!v.parsed || !v.geojson || !v.type) return reject('PostGIS could not read this geometry');
      if (v.empty) return reject('geometry is empty');
      const changes: string[] = [];
      let geometry = v.geojson;
      let geometryType = v.type;
      if (!v.valid) {
        if (!v.repaired) return reject(`invalid geometry: ${v.reason} (send ?repair=true to have it repaired with ST_MakeValid)`);
        if (!v.repaired.valid) return reject(`invalid geometry that ST_MakeValid could not repair: ${v.reason}`);
        geometry = v.repaired.geojson;
        geometryType = v.repaired.type;
        changes.push(`repaired with ST_MakeValid (was: ${v.reason})`);
        if (v.repaired.type !== v.type) changes.push(`type ${v.type} became ${v.repaired.type}`);
        if (v.repaired.areaChangePercent) changes.push(`area changed by ${v.repaired.areaChangePercent}%`);
      } else if (v.rewound) {
        changes.push('rings rewound to the RFC 7946 right-hand rule');
      }
      accepted.push({ index: c.index, id: c.id, geometry, geometryType, properties: c.properties, changes });
    });
    rejected.sort((a, b) => a.index - b.index);
    return { crs: crs.crs, crsDeclared: crs.declared, features: accepted, rejected };
  }
}
