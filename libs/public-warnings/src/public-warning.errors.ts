import { AppError, ErrorKind } from '@fangxun/common';
import { GeoErrors } from '@fangxun/geo';

export const PublicWarningErrors = {
  UnknownRiskObject: { code: 'UNKNOWN_RISK_OBJECT', status: 422 },
  UnknownWarning: { code: 'UNKNOWN_WARNING', status: 422 },
  NoTargets: { code: 'PUBLIC_WARNING_NO_TARGETS', status: 422 },
  ContactNotFound: { code: 'PUBLIC_CONTACT_NOT_FOUND', status: 404 },
  CampaignNotFound: { code: 'PUBLIC_CAMPAIGN_NOT_FOUND', status: 404 },
} satisfies Record<string, ErrorKind>;

/** geo's own 404 (its code, defined once there), so a client reads one answer for "no such object". */
export function riskObjectNotFound(code: string): AppError {
  return new AppError(GeoErrors.RiskObjectNotFound, `risk object ${code} not found`, [{ field: 'code', problem: 'no such risk object' }]);
}

export function contactNotFound(id: string): AppError {
  return new AppError(PublicWarningErrors.ContactNotFound, `contact ${id} not found`, [
    { field: 'id', problem: 'no such contact of this object' },
  ]);
}

export function campaignNotFound(id: string): AppError {
  return new AppError(PublicWarningErrors.CampaignNotFound, `public warning ${id} not found`, [
    { field: 'id', problem: 'no such campaign' },
  ]);
}
