import type { Principal } from '@fangxun/common';
import { CITY_WIDE_ROLES, isWithin } from '@fangxun/common';
import type { AppConfig } from '@fangxun/config';
import type { MeasureRow } from '../levels/measure.repository';
import type { IncidentDto, LevelChangeDto, MeasureDto } from './incident.dto';
import type { Incident, LevelChange } from './incident.types';

/** The towns of the incident a principal may see: all for city-wide roles, else those over or under his division. */
export function visibleTowns(p: Principal | null, i: Pick<Incident, 'townCodes' | 'townPaths'>): string[] {
  if (!p || p.kind === 'api_key' || CITY_WIDE_ROLES.includes(p.role)) return i.townCodes;
  return i.townCodes.filter((_, k) => isWithin(p.divisionPath, i.townPaths[k]) || isWithin(i.townPaths[k], p.divisionPath));
}

export function toIncidentDto(i: Incident, config: AppConfig, p: Principal | null, onlyTown?: string): IncidentDto {
  const policy = config.response.levels[i.level];
  const townView = !!onlyTown || (!!p && p.kind === 'user' && !CITY_WIDE_ROLES.includes(p.role));
  return {
    id: i.id,
    kind: i.kind,
    level: i.level,
    levelLabel: policy.label,
    cityWide: i.cityWide,
    townCodes: onlyTown ? [onlyTown] : visibleTowns(p, i),
    view: townView ? 'town' : 'city',
    orderNo: i.orderNo,
    title: i.title,
    status: i.status,
    source: i.source,
    proposal: i.proposal,
    suggestion: i.suggestion,
    reportIntervalMinutes: i.reportIntervalMinutes,
    nextReportDueAt: i.nextReportDueAt?.toISOString() ?? null,
    duty: { ...policy.duty },
    campaignId: i.campaignId,
    createdBy: i.createdBy,
    createdAt: i.createdAt.toISOString(),
    startedAt: i.startedAt?.toISOString() ?? null,
    endedAt: i.endedAt?.toISOString() ?? null,
    endReason: i.endReason,
    version: i.version,
  };
}

export function toLevelChangeDto(c: LevelChange): LevelChangeDto {
  return { ...c, at: c.at.toISOString() };
}

export function toMeasureDto(r: MeasureRow): MeasureDto {
  return {
    id: r.id,
    code: r.code,
    domain: r.domain,
    text: r.text,
    level: r.level,
    townCode: r.townCode,
    addedAt: r.addedAt.toISOString(),
    doneAt: r.doneAt?.toISOString() ?? null,
    doneBy: r.doneBy,
    note: r.note,
  };
}
