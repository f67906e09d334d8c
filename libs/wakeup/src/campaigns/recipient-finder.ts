import { Injectable } from '@nestjs/common';
import { AppError, CommonErrors, Principal } from '@fangxun/common';
import type { WakeupReasonKind } from '@fangxun/config';
import { AnswerablePersonDto, AreaDto, GroundArea, WhoMustAnswerService } from '@fangxun/geo';
import { HolderService } from '@fangxun/registry';
import type { CallReason, Recipient } from '../wakeup.types';
import { recipientOf } from '../wakeup.types';
import { selectByReasons } from './recipient-rules';

export interface Recipients {
  recipients: Recipient[];
  unreachable: Array<{ holderId: string; name: string; reason: string }>;
}

/**
 * Turns an area (or a named list) into the people to call, through the geo lib's "who must
 * answer" and the registry: each person once, with every included reason, and the division
 * path the board groups by.
 */
@Injectable()
export class RecipientFinder {
  constructor(
    private readonly who: WhoMustAnswerService,
    private readonly holders: HolderService,
  ) {}

  /**
   * A warning's ground (all its areas at once, as stored: `WarningService.areasOf`) → the people
   * to call under the rule, each once with his division path: one read of the registry.
   */
  async forGround(areas: readonly GroundArea[], include: readonly WakeupReasonKind[]): Promise<Recipients> {
    const answer = await this.who.forAreas(areas);
    const chosen = selectByReasons(
      answer.people.map((p) => ({ ...p, reasons: p.reasons.map((r) => ({ kind: r.kind, text: r.text, via: { ...r.via } })) })),
      include,
    );
    return {
      recipients: chosen.map((p) => ({
        holderId: p.holderId,
        name: p.name,
        role: p.role,
        divisionCode: p.divisionCode,
        divisionPath: p.divisionPath,
        mobile: p.mobile,
        reasons: p.kept,
      })),
      unreachable: answer.unreachable.map((u) => ({ holderId: u.holderId, name: u.name, reason: 'inactive in the registry' })),
    };
  }

  /** Several areas (an order's polygon, circle or divisions) are one set of people. */
  async forAreas(areas: AreaDto[], include: readonly WakeupReasonKind[], principal?: Principal): Promise<Recipients> {
    const people = new Map<string, AnswerablePersonDto>();
    const unreachable = new Map<string, { holderId: string; name: string; reason: string }>();
    for (const area of areas) {
      const answer = await this.who.resolve(area, principal);
      for (const p of answer.people) {
        const seen = people.get(p.holderId);
        if (!seen) people.set(p.holderId, { ...p, reasons: [...p.reasons] });
        else for (const r of p.reasons) if (!seen.reasons.some((s) => s.text === r.text)) seen.reasons.push(r);
      }
      for (const u of answer.unreachable) unreachable.set(u.holderId, { holderId: u.holderId, name: u.name, reason: u.unreachableReason });
    }
    const chosen = selectByReasons(
      [...people.values()].map((p) => ({ ...p, reasons: p.reasons.map((r) => ({ kind: r.kind, text: r.text, via: { ...r.via } })) })),
      include,
    );
    const rows = new Map((await this.holders.findRows(chosen.map((p) => p.holderId))).map((h) => [h.id, h]));
    const recipients = chosen.filter((p) => rows.has(p.holderId)).map((p) => recipientOf(rows.get(p.holderId)!, p.kept));
    return { recipients, unreachable: [...unreachable.values()] };
  }

  /** A duty officer's named list: every id must exist (422 names the bad one); inactive ones are reported, not called. */
  async named(holderIds: string[], principal: Principal, isInScope: (path: string) => boolean): Promise<Recipients> {
    const rows = await this.holders.findRows(holderIds);
    const byId = new Map(rows.map((h) => [h.id, h]));
    holderIds.forEach((id, i) => {
      if (!byId.has(id))
        throw new AppError(CommonErrors.Unprocessable, `no holder ${id}`, [
          { field: `holderIds[${i}]`, problem: 'no such responsibility holder' },
        ]);
      if (!isInScope(byId.get(id)!.divisionPath))
        throw new AppError(CommonErrors.OutOfScope, `holder ${id} is outside your area`, [
          { field: `holderIds[${i}]`, problem: 'outside the area you are responsible for' },
        ]);
    });
    const reason: CallReason = { kind: 'named', text: principal.kind === 'user' ? `${principal.username} 点名叫应` : '指挥部点名叫应' };
    const active = rows.filter((h) => h.active);
    return {
      recipients: active.map((h) => recipientOf(h, [reason])),
      unreachable: rows.filter((h) => !h.active).map((h) => ({ holderId: h.id, name: h.name, reason: 'inactive in the registry' })),
    };
  }
}
