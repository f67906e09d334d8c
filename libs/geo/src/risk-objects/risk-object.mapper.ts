import type { RiskHolderRefDto, RiskObjectDto, RiskObjectSummaryDto, StatusChangeDto } from './dto/risk-object-view.dto';
import type { VesselPositionDto } from './dto/vessel-position.dto';
import type { RiskObjectRow, StatusChangeRow } from './risk-object.repository';
import type { RiskObjectProps } from './risk-object.types';
import type { RiskObjectDetails } from './risk-object-details.repository';
import { sortIndicators, sortPeople } from './risk-object-diff';
import type { VesselPositionRow } from './vessel-position.repository';

/** What the detail view shows of a holder (looked up through the registry's HolderService). */
export interface HolderLabel {
  id: string;
  name: string;
  role: string;
  divisionCode: string;
  mobile: string;
  active: boolean;
}

/** The register entry as export writes it and import reads it back (see RiskObjectProps). */
export function toProps(row: RiskObjectRow, details: RiskObjectDetails): RiskObjectProps {
  return {
    code: row.code,
    name: row.name,
    type: row.type,
    divisionCode: row.divisionCode,
    attributes: row.attributes,
    threatenedHouseholds: row.threatenedHouseholds,
    threatenedPeople: row.threatenedPeople,
    primaryHolderId: row.primaryHolderId,
    backupHolderId: row.backupHolderId,
    shelters: (details.shelters.get(row.id) ?? []).map((s) => s.code),
    vulnerablePeople: sortPeople(details.people.get(row.id) ?? []),
    indicators: sortIndicators(details.indicators.get(row.id) ?? []),
  };
}

export function toSummaryDto(row: RiskObjectRow): RiskObjectSummaryDto {
  const dto: RiskObjectSummaryDto = {
    code: row.code,
    name: row.name,
    type: row.type,
    divisionCode: row.divisionCode,
    divisionName: row.divisionName,
    attributes: row.attributes,
    threatenedHouseholds: row.threatenedHouseholds,
    threatenedPeople: row.threatenedPeople,
    status: row.status,
    statusChangedAt: iso(row.statusChangedAt),
    statusReason: row.statusReason,
    primaryHolderId: row.primaryHolderId,
    backupHolderId: row.backupHolderId,
    positionReportedAt: row.positionReportedAt ? iso(row.positionReportedAt) : null,
    updatedAt: iso(row.updatedAt),
  };
  if (row.geometry) dto.geometry = JSON.parse(row.geometry) as Record<string, unknown>;
  return dto;
}

export function toDetailDto(
  row: RiskObjectRow,
  details: RiskObjectDetails,
  holders: Map<string, HolderLabel>,
  history: StatusChangeRow[],
): RiskObjectDto {
  const props = toProps(row, details);
  const holder = (id: string | null): RiskHolderRefDto | null => {
    const h = id ? holders.get(id) : undefined;
    return h ? { id: h.id, name: h.name, role: h.role, divisionCode: h.divisionCode, mobile: h.mobile, active: h.active } : null;
  };
  return {
    ...toSummaryDto(row),
    geometry: JSON.parse(row.geometry ?? 'null') as Record<string, unknown>,
    primaryHolder: holder(row.primaryHolderId),
    backupHolder: holder(row.backupHolderId),
    shelters: (details.shelters.get(row.id) ?? []).map(({ preference, code, name, tier, capacity, open }) => ({
      preference,
      code,
      name,
      tier,
      capacity,
      open,
    })),
    vulnerablePeople: props.vulnerablePeople,
    indicators: props.indicators,
    statusHistory: history.map((h): StatusChangeDto => ({ from: h.from, to: h.to, reason: h.reason, by: h.by, at: iso(h.at) })),
    createdAt: iso(row.createdAt),
  };
}

export function toVesselPositionDto(r: VesselPositionRow): VesselPositionDto {
  return { reportedAt: iso(r.reportedAt), lon: r.lon, lat: r.lat, inPort: r.inPort, receivedAt: iso(r.receivedAt) };
}

function iso(d: Date | string): string {
  return new Date(d).toISOString();
}
