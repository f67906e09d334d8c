import type { DivisionHit } from '@fangxun/registry';
import type { IntersectingDivisionDto, IntersectingRiskObjectDto } from './dto/intersecting.dto';
import type { AreaSummaryDto, ScopeDto } from './dto/spatial-common.dto';
import type { AnswerablePersonDto, UnreachablePersonDto } from './dto/who-must-answer.dto';
import type { IntersectingObjectRow } from './spatial.repository';
import type { ResolvedArea, SpatialScope } from './spatial.types';
import type { Person } from './who-must-answer.people';

export const INACTIVE_REASON = 'inactive: this holder is marked inactive in the registry and will not be called';

export function toScopeDto(s: SpatialScope): ScopeDto {
  return { divisionCode: s.divisionCode, divisionName: s.divisionName, clipped: s.clipped };
}

export function toAreaSummary(a: ResolvedArea): AreaSummaryDto {
  return a.divisionCodes ? { kind: a.kind, divisionCodes: a.divisionCodes } : { kind: a.kind };
}

/** Metres to the decimetre: more would pretend a precision the geometries do not have. */
export const roundM = (m: number | null): number | null => (m === null ? null : Math.round(m * 10) / 10);

export function toIntersectingObjectDto(r: IntersectingObjectRow): IntersectingRiskObjectDto {
  return {
    code: r.code,
    name: r.name,
    type: r.type,
    status: r.status,
    division: { code: r.divisionCode, name: r.divisionName, level: r.divisionLevel as IntersectingRiskObjectDto['division']['level'] },
    townCode: r.townCode,
    threatenedHouseholds: r.threatenedHouseholds,
    threatenedPeople: r.threatenedPeople,
    relation: r.relation,
    distanceM: roundM(r.distanceM),
  };
}

export function toIntersectingDivisionDto(d: DivisionHit, withBoundary: boolean): IntersectingDivisionDto {
  const dto: IntersectingDivisionDto = {
    code: d.code,
    name: d.name,
    level: d.level,
    parentCode: d.parentCode,
    relation: d.relation,
    boundarySynthetic: d.boundarySynthetic,
  };
  if (withBoundary) dto.boundary = (d.boundary as object | null | undefined) ?? null;
  return dto;
}

export function toPersonDto(p: Person): AnswerablePersonDto {
  const h = p.holder;
  return {
    holderId: h.id,
    name: h.name,
    role: h.role,
    level: h.divisionLevel,
    divisionCode: h.divisionCode,
    divisionName: h.divisionName,
    mobile: h.mobile,
    otherPhones: h.otherPhones,
    reasons: p.reasons.map((r) => ({ kind: r.kind, via: { ...r.via }, text: r.text })),
  };
}

export function toUnreachableDto(p: Person): UnreachablePersonDto {
  return { ...toPersonDto(p), unreachableReason: INACTIVE_REASON };
}
