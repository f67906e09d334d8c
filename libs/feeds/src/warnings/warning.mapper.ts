import type { CapAlert } from '../cap/cap.types';
import type { WarningAreaDto, WarningDto } from './warning.dto';
import type { AreaRow, WarningRow } from './warning.repository';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toWarningDto(r: WarningRow, refIds: Array<string | null> = [], areas?: AreaRow[]): WarningDto {
  const info = r.infos.find((i) => /^zh/i.test(i.language)) ?? r.infos[0];
  return {
    id: r.id,
    identifier: r.identifier,
    sender: r.sender,
    sent: new Date(r.sent).toISOString(),
    status: r.status,
    msgType: r.msgType,
    scope: r.scope,
    references: r.refs.map((ref, i) => ({ ...ref, warningId: refIds[i] ?? null })),
    origin: r.origin,
    state: r.state,
    kind: r.kind,
    level: r.level,
    issuer: r.issuer,
    event: info?.event ?? '',
    headline: info?.headline ?? null,
    onset: iso(r.onset),
    effective: iso(r.effective),
    expires: iso(r.expires),
    gbt: r.gbt ? { ...r.gbt, divisionFound: r.gbtDivisionId !== null } : null,
    unknownGeocodes: r.unknownGeocodes,
    areaMode: r.areaMode,
    replacedById: r.replacedById,
    info: r.infos,
    areas: areas?.map(toAreaDto),
    createdAt: new Date(r.createdAt).toISOString(),
    stateChangedAt: new Date(r.stateChangedAt).toISOString(),
  };
}

function toAreaDto(a: AreaRow): WarningAreaDto {
  return {
    infoIndex: a.infoIndex,
    areaIndex: a.areaIndex,
    areaDesc: a.areaDesc,
    geometry: a.geometry ? (JSON.parse(a.geometry) as Record<string, unknown>) : null,
    countedGeometry: a.reach ? (JSON.parse(a.reach) as Record<string, unknown>) : null,
    divisionCodes: a.divisionCodes,
  };
}

/** The stored warning as the CAP alert it was (or, for our own, is). */
export function toCapAlert(r: WarningRow): CapAlert {
  return {
    identifier: r.identifier,
    sender: r.sender,
    sent: new Date(r.sent).toISOString(),
    status: r.status,
    msgType: r.msgType,
    scope: r.scope,
    ...r.header,
    code: r.header.code ?? [],
    references: r.refs,
    info: r.infos,
  };
}
