import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@fangxun/common';
import { OutboxService } from '@fangxun/database';
import { DivisionService } from '@fangxun/registry';
import { polygonWkt } from '../cap/cap-geometry';
import type { CapAlert } from '../cap/cap.types';
import { parseGbtIdentifier } from '../cap/gbt-identifier';
import { classify, primaryInfo } from './warning-classify';
import { AreaRow, WarningRepository, WarningRow } from './warning.repository';
import { WARNING_TOPICS, WarningOrigin } from './warning.types';

/** Chinese statistical division codes: county 6, town 9, village 12 digits. */
const ADMIN_CODE = /^\d{6}(\d{3}){0,2}$/;

export interface StoreContext {
  origin: WarningOrigin;
  rawXml: string | null;
  createdBy: string;
}

export interface StoreResult {
  id: string;
  created: boolean;
  /** The stored warning as it stands at the end of the transaction. */
  row: WarningRow;
  /** Its areas, when this call wrote them (a repeat reads them back). */
  areas?: AreaRow[];
}

/** What every warning event carries, so a consumer need not read the warning back. */
export function warningEventPayload(w: WarningRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    warningId: w.id,
    identifier: w.identifier,
    kind: w.kind,
    level: w.level,
    issuer: w.issuer,
    state: w.state,
    origin: w.origin,
    status: w.status,
    expires: w.expires,
    ...extra,
  };
}

/**
 * Writes one CAP message as a warning, inside the caller's transaction: its areas (geometry
 * and the divisions its geocodes name), the state change of the warnings it references, and
 * the outbox events — all or nothing.
 *
 * Update/Cancel naming an alert we do not hold is accepted and PARKED (CAP's own example A.3 is
 * such an Update): its references are stored, and when the referenced alert arrives later it is
 * at once marked updated/cancelled by the parked message (see `applyParked`).
 */
@Injectable()
export class WarningStore {
  constructor(
    private readonly warnings: WarningRepository,
    private readonly divisions: DivisionService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async store(alert: CapAlert, ctx: StoreContext, m: EntityManager): Promise<StoreResult> {
    const gbt = parseGbtIdentifier(alert.identifier) ?? null;
    const codes = alert.info.flatMap((i) => i.area.flatMap((a) => a.geocode.map((g) => g.value.trim())));
    const refs = await this.divisions.findRefsByCodes([...codes.filter((c) => ADMIN_CODE.test(c)), ...(gbt ? [gbt.adminCode] : [])]);
    const unknown = [...new Set(codes.filter((c) => !refs.has(c)))];
    const info = primaryInfo(alert.info);
    const { kind, level, issuer } = classify(info, alert.sender);
    const expires = maxTime(alert.info.map((i) => i.expires));
    const state = alert.msgType === 'Cancel' ? 'cancelled' : expires && new Date(expires) <= this.clock.now() ? 'expired' : 'active';
    const { identifier, sender, sent, status, msgType, scope, references } = alert;
    const areas = alert.info.flatMap((i, infoIndex) =>
      i.area.map((a, areaIndex) => {
        const named = a.geocode.map((g) => refs.get(g.value.trim())).filter((r) => r !== undefined);
        return {
          infoIndex,
          areaIndex,
          areaDesc: a.areaDesc,
          polygons: a.polygon.map(polygonWkt),
          circles: a.circle,
          divisionIds: named.map((r) => r.id),
          divisionPaths: named.map((r) => r.path),
        };
      }),
    );
    // One statement: the warning, its areas and the parked messages naming it; nothing if the
    // identifier is already held (a repeat).
    const inserted = await this.warnings.insertWithAreas(
      {
        identifier,
        sender,
        sent,
        status,
        msgType,
        scope,
        header: {
          source: alert.source,
          restriction: alert.restriction,
          addresses: alert.addresses,
          code: alert.code,
          note: alert.note,
          incidents: alert.incidents,
        },
        refs: references,
        infos: alert.info,
        origin: ctx.origin,
        state,
        kind,
        level,
        issuer,
        onset: info?.onset,
        effective: info?.effective,
        expires,
        gbt,
        gbtDivisionId: gbt ? (refs.get(gbt.adminCode)?.id ?? null) : null,
        unknownGeocodes: unknown,
        rawXml: ctx.rawXml,
        createdBy: ctx.createdBy,
      },
      areas,
      m,
    );
    if (!inserted) {
      const existing = (await this.warnings.findByIdentifier(alert.identifier, m))!;
      return { id: existing.id, created: false, row: existing };
    }
    const { row, parked, areas: stored } = inserted;
    await this.applyReferences(row, alert, m);
    const after = await this.applyParked(row, parked, m);
    return { id: row.id, created: true, row: after ?? row, areas: stored };
  }

  /** An Update or Cancel changes the (still active) warnings it names; the event says which. */
  private async applyReferences(row: WarningRow, alert: CapAlert, m: EntityManager): Promise<void> {
    const named = await this.warnings.lockReferenced(alert.references, m);
    const live = named.filter((w) => w.state === 'active').map((w) => w.id);
    if (alert.msgType === 'Update' && live.length) {
      await this.warnings.setState(live, 'updated', row.id, m);
      await this.outbox.append(m, { topic: WARNING_TOPICS.updated, key: row.id, payload: warningEventPayload(row, { replacesIds: live }) });
    } else if (alert.msgType === 'Cancel') {
      await this.warnings.setState(live, 'cancelled', row.id, m);
      for (const id of live) {
        const w = (await this.warnings.findById(id, m))!;
        await this.outbox.append(m, {
          topic: WARNING_TOPICS.cancelled,
          key: id,
          payload: warningEventPayload(w, { cancelledById: row.id }),
        });
      }
    } else {
      // An Alert, or an Update whose original we never saw (parked): news to us either way.
      await this.outbox.append(m, { topic: WARNING_TOPICS.raised, key: row.id, payload: warningEventPayload(row) });
    }
  }

  /** Messages that referenced this alert before it arrived now take effect: a Cancel wins. */
  private async applyParked(
    row: WarningRow,
    parked: Array<{ id: string; msgType: string }>,
    m: EntityManager,
  ): Promise<WarningRow | undefined> {
    if (row.state !== 'active' || !parked.length) return undefined;
    const cancel = parked.find((p) => p.msgType === 'Cancel');
    const by = cancel ?? parked[parked.length - 1];
    const state = cancel ? 'cancelled' : 'updated';
    await this.warnings.setState([row.id], state, by.id, m);
    const after = (await this.warnings.findById(row.id, m))!;
    await this.outbox.append(m, {
      topic: cancel ? WARNING_TOPICS.cancelled : WARNING_TOPICS.updated,
      key: row.id,
      payload: warningEventPayload(after, cancel ? { cancelledById: by.id } : { replacedById: by.id }),
    });
    return after;
  }
}

function maxTime(times: Array<string | undefined>): string | undefined {
  const set = times.filter((t): t is string => t !== undefined);
  return set.length ? set.reduce((a, b) => (new Date(a) >= new Date(b) ? a : b)) : undefined;
}
