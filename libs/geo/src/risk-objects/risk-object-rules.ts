import { plainToInstance } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { ErrorDetail, isWithin } from '@fangxun/common';
import { flattenValidationErrors } from '@fangxun/platform';
import { ATTRIBUTE_CLASSES } from './dto/risk-attributes.dto';
import { RiskObjectPropertiesDto } from './dto/risk-object-input.dto';
import { GEOMETRY_TYPES, RiskType } from './risk-object.types';

/**
 * Rules of one risk object, pure so that single writes and GeoJSON imports apply exactly the
 * same ones. Each returns problems naming the field (relative to the object), or nothing.
 */

/** The global ValidationPipe's options (unknown keys are errors, nothing is coerced), one problem per field. */
export const STRICT: ValidatorOptions = {
  stopAtFirstError: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/** Reads a feature's `properties` as the create DTO would, then applies the per-type rules. */
export function parseProperties(plain: unknown): { dto?: RiskObjectPropertiesDto; problems: ErrorDetail[] } {
  const dto = plainToInstance(RiskObjectPropertiesDto, plain ?? {});
  const problems = flattenValidationErrors(validateSync(dto, STRICT));
  if (problems.length) {
    // Attributes are still worth checking when their type is known: one report, every mistake.
    if (typeof dto.type === 'string' && dto.type in ATTRIBUTE_CLASSES && isPlainObject(dto.attributes)) {
      problems.push(...attributeProblems(dto.type, dto.attributes));
    }
    return { problems };
  }
  return { dto, problems: shapeProblems(dto) };
}

/** Everything that depends on more than one field of an already well-formed entry. */
export function shapeProblems(p: RiskObjectPropertiesDto): ErrorDetail[] {
  const out = attributeProblems(p.type, p.attributes);
  const indicators = p.indicators ?? [];
  if (indicators.length && p.type !== 'flash_flood_zone') {
    out.push({ field: 'indicators', problem: 'only flash_flood_zone objects carry 准备转移/立即转移 rainfall indicators' });
  }
  const windows = new Set<number>();
  indicators.forEach((ind, i) => {
    if (windows.has(ind.windowHours)) out.push({ field: `indicators[${i}].windowHours`, problem: `${ind.windowHours} h is given twice` });
    windows.add(ind.windowHours);
    if (!(ind.immediateMm > ind.prepareMm)) {
      out.push({
        field: `indicators[${i}].immediateMm`,
        problem: `立即转移 (${ind.immediateMm} mm) must be above 准备转移 (${ind.prepareMm} mm)`,
      });
    }
  });
  const shelters = p.shelters ?? [];
  shelters.forEach((code, i) => {
    if (shelters.indexOf(code) !== i) out.push({ field: `shelters[${i}]`, problem: `shelter ${code} is listed twice` });
  });
  (p.vulnerablePeople ?? []).forEach((v, i) => {
    if (v.helperHolderId) return;
    if (!v.helperName) out.push({ field: `vulnerablePeople[${i}].helperName`, problem: 'name the helper, or give helperHolderId' });
    if (!v.helperPhone) out.push({ field: `vulnerablePeople[${i}].helperPhone`, problem: 'give the helper’s phone, or helperHolderId' });
  });
  if (p.backupHolderId && !p.primaryHolderId) out.push({ field: 'backupHolderId', problem: 'a backup (AB岗) needs a primary holder' });
  if (p.backupHolderId && p.backupHolderId === p.primaryHolderId) {
    out.push({ field: 'backupHolderId', problem: 'the backup must be another person than the primary holder' });
  }
  return out;
}

/** Validates attributes against the class of the type; unknown keys come back as `attributes.<key>`. */
export function attributeProblems(type: RiskType, attributes: Record<string, unknown>): ErrorDetail[] {
  const instance = plainToInstance(ATTRIBUTE_CLASSES[type], attributes);
  const problems = flattenValidationErrors(validateSync(instance, STRICT), 'attributes');
  return problems.map((p) => (/should not exist$/.test(p.problem) ? { field: p.field, problem: `not an attribute of a ${type}` } : p));
}

/**
 * The stored form of valid attributes: transformed values (trimmed text), keys the caller left
 * out or set to null dropped, so that "absent" has one spelling and exports round-trip.
 */
export function normaliseAttributes(type: RiskType, attributes: Record<string, unknown>): Record<string, unknown> {
  const instance = plainToInstance(ATTRIBUTE_CLASSES[type], attributes) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(instance).filter(([, v]) => v !== undefined && v !== null));
}

/** PostGIS geometry type (e.g. POLYGON) against what the risk type allows. */
export function geometryTypeProblem(type: RiskType, geometryType: string): string | undefined {
  const allowed = GEOMETRY_TYPES[type];
  if (allowed.includes(geometryType)) return undefined;
  return `a ${type} is drawn as ${allowed.map(geoJsonName).join(' or ')}, not ${geoJsonName(geometryType)}`;
}

/** Risk objects are filed under a town (镇街) or a village (村/社区), never the city or a grid. */
export function divisionLevelProblem(level: string): string | undefined {
  return level === 'town' || level === 'village' ? undefined : `must be a town or a village, not a ${level}`;
}

/** ltree path of the town an object belongs to (its division, or the village's parent). */
export function townPathOf(division: { level: string; path: string }): string {
  return division.level === 'town' ? division.path : division.path.slice(0, division.path.lastIndexOf('.'));
}

/**
 * A responsible holder must exist, be active, and work in the object's town or below it: the
 * person who answers for a zone is one the town can reach and replace. City leaders (包镇)
 * answer through the town's own holders, so they are not accepted here.
 */
export function holderProblem(holder: { active: boolean; divisionPath: string } | undefined, townPath: string): string | undefined {
  if (!holder) return 'no such holder';
  if (!holder.active) return 'this holder is not active';
  if (!isWithin(holder.divisionPath, townPath)) return 'must work in the object’s town (its division or below)';
  return undefined;
}

function geoJsonName(pg: string): string {
  const names: Record<string, string> = {
    POINT: 'Point',
    MULTIPOINT: 'MultiPoint',
    LINESTRING: 'LineString',
    MULTILINESTRING: 'MultiLineString',
    POLYGON: 'Polygon',
    MULTIPOLYGON: 'MultiPolygon',
  };
  return names[pg] ?? pg;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
