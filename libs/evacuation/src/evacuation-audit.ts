import type { Fields } from '@fangxun/audit';
import type { HouseholdWrite } from './households/household.types';
import type { OrderRow, RaiseOrderInput, TaskRow } from './orders/transfer-order.types';

/*
 * The fields of the evacuation's entities the audit log compares. libs/audit keeps only the
 * fields that changed and masks phone numbers (head's and helpers' phones included); ids are kept.
 */

/** A household as imported (references by id, as stored). */
export function householdAuditFields(h: HouseholdWrite): Fields {
  return {
    riskObjectId: h.riskObjectId,
    divisionId: h.divisionId,
    headName: h.headName,
    headPhone: h.headPhone,
    members: h.members,
    responsibleHolderId: h.responsibleHolderId,
    shelterId: h.shelterId,
    routeNote: h.routeNote,
    address: h.address,
    vulnerable: h.vulnerable.map((v) => ({
      name: v.name,
      category: v.category,
      needs: v.needs,
      helperName: v.helperName,
      helperPhone: v.helperPhone,
      helperHolderId: v.helperHolderId,
    })),
  };
}

/** A transfer order as raised, with what it set in motion (tasks, people, places held). */
export function orderRaisedFields(
  input: RaiseOrderInput,
  made: { tasks: number; takenOver: number; people: number; reserved: number; campaignId: string | null },
): Fields {
  return {
    level: input.level,
    state: 'active',
    source: input.source,
    sourceKey: input.sourceKey,
    title: input.title,
    reason: input.reason,
    drill: input.drill,
    riskObjectIds: input.riskObjectIds,
    divisionCodes: input.divisionCodes,
    ...made,
  };
}

export function orderStateFields(o: Pick<OrderRow, 'state' | 'closedAt'>): Fields {
  return { state: o.state, closedAt: o.closedAt };
}

/** A task's progress: its status and people (moved, checked in, places held at which shelter). */
export function taskAuditFields(t: TaskRow): Fields {
  return {
    status: t.status,
    movedPeople: t.movedPeople,
    forced: t.forced,
    checkedIn: t.checkedIn,
    reserved: t.reserved,
    shelterId: t.shelterId,
    closedAt: t.closedAt,
  };
}
