import type { Fields } from '@fangxun/audit';
import type { HolderWrite } from './holder.repository';

/** The fields of an appointment the audit log compares (phones are masked by libs/audit). */
export function holderAuditFields(h: Omit<HolderWrite, 'divisionId'> & { divisionId: string; divisionCode: string }): Fields {
  return {
    name: h.name,
    role: h.role,
    divisionCode: h.divisionCode,
    mobile: h.mobile,
    otherPhones: h.otherPhones,
    superiorId: h.superiorId,
    backupId: h.backupId,
    active: h.active,
    appointedYear: h.appointedYear,
  };
}
