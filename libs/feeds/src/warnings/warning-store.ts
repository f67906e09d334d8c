import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxService } from '@fangxun/database';
import { DivisionService } from '@fangxun/registry';
import type { CapAlert } from '../cap/cap.types';
import { polygonWkt } from '../cap/cap-geometry';
import { parseGbtIdentifier } from '../cap/gbt-identifier';
import { AreaRow, WarningRepository, WarningRow } from './warning.repository';
import { WARNING_TOPICS, WarningEvent, WarningOrigin } from './warning.types';
import { classify, primaryInfo } from './warning-classify';

/** Codes that may name a division of ours: statistical codes in any form (6, 9, 12 digits) and our grid codes. */
const DIVISION_CODE = /^[0-9A-Za-z]{6,24}$/;

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

/** What every warning event carries (`WarningEvent`), so a consumer need not read the warning back. */
export function warningEventPayload(w: WarningRow, extra: Partial<WarningEvent> = {}): Record<string, unknown> {
  const info = primaryInfo(w.infos);
  const e: WarningEvent = {
    warningId: w.id,
    identifier: w.identifier,
    sender: w.sender,
    kind: w.kind,
    level: w.level,
    issuer: w.issuer,
    state: w.state,
    origin: w.origin,
    status: w.status,
    expires: w.expires ? new Date(w.expires).toISOString() : null,
    event: info?.event ?? '',
    headline: info?.headline ?? null,
    description: info?.description ?? null,
    instruction: info?.instruction ?? null,
    ...extra,
  };
  return { ...e };
}

/** Why a Cancel or lift ended a warning, in the words people will be told. */
function endReason(alert: CapAlert): string {
  const info = primaryInfo(alert.info);
  const text = alert.note ?? info?.headline ?? info?.description ?? (alert.msgType === 'Cancel' ? '预警已取消' : '预警已解除');
  return text.slice(0, 200);
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async store(alert: CapAlert, ctx: StoreContext, m: EntityManager): Promise<StoreResult> {
    const gbt = parseGbtIdentifier(alert.identifier) ?? null;
    const codes = alert.info.flatMap((i) => i.area.flatMap((a) => a.geocode.map((g) => g.value.trim()).filter(Boolean)));
    // CPEAS / statistical geocodes in their 12-digit form (331082004000) name our town 331082004.
    const refs = await this.divisions.findRefsByGeocodes([...codes.filter((c) => DIVISION_CODE.test(c)), ...(gbt ? [gbt.adminCode] : [])]);
    const unknown = [...new Set(codes.filter((c) => !refs.has(c)))];
    const info = primaryInfo(alert.info);
    const { kind, level, issuer, lifted } = classify(info, alert.sender);
    const expires = maxTime(alert.info.map((i) => i.expires));
    // A lift (解除 / AllClear) is an end, like a Cancel: it wakes nobody and ends what it names.
    const ends = alert.msgType === 'Cancel' || lifted;
    const state = ends ? 'cancelled' : expires && new Date(expires) <= this.clock.now() ? 'expired' : 'active';
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
    const named = areas.some((a) => a.divisionIds.length);
    const areaMode = !named ? 'drawn' : this.config.feeds.cap.areaMode === 'union' ? 'union' : 'geocodes';
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
        areaMode,
        rawXml: ctx.rawXml,
        createdBy: ctx.createdBy,
      },
      areas,
      areaMode === 'geocodes' && areas.some((a) => a.polygons.length || a.circles.length) ? await this.divisions.landGeojson() : null,
      m,
    );
    if (!inserted) {
      const existing = (await this.warnings.findByIdentifier(alert.identifier, alert.sender, m))!;
      return { id: existing.id, created: false, row: existing };
    }
    const { row, parked, areas: stored } = inserted;
    await this.applyReferences(row, alert, ends ? { lifted, reason: endReason(alert) } : undefined, m);
    const after = await this.applyParked(row, parked, m);
    return { id: row.id, created: true, row: after ?? row, areas: stored };
  }

  /** An Update or Cancel changes the (still active) warnings it names; the event says which. */
  private async applyReferences(
    row: WarningRow,
    alert: CapAlert,
    end: { lifted: boolean; reason: string } | undefined,
    m: EntityManager,
  ): Promise<void> {
    const named = await this.warnings.lockReferenced(alert.references, m);
    const live = named.filter((w) => w.state === 'active').map((w) => w.id);
    if (end) {
      await this.warnings.setState(live, 'cancelled', row.id, m);
      for (const id of live) {
        const w = (await this.warnings.findById(id, m))!;
        await this.outbox.append(m, {
          topic: WARNING_TOPICS.cancelled,
          key: id,
          payload: warningEventPayload(w, { cancelledById: row.id, lifted: end.lifted || undefined, reason: end.reason }),
        });
      }
      // A Cancel or lift naming nothing we hold (or only ended warnings) ends nothing and wakes nobody.
      return;
    }
    if (alert.msgType === 'Update' && live.length) {
      await this.warnings.setState(live, 'updated', row.id, m);
      await this.outbox.append(m, { topic: WARNING_TOPICS.updated, key: row.id, payload: warningEventPayload(row, { replacesIds: live }) });
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
      payload: warningEventPayload(after, cancel ? { cancelledById: by.id, reason: '预警已取消' } : { replacedById: by.id }),
    });
    return after;
  }
}

function maxTime(times: Array<string | undefined>): string | undefined {
  const set = times.filter((t): t is string => t !== undefined);
  return set.length ? set.reduce((a, b) => (new Date(a) >= new Date(b) ? a : b)) : undefined;
}
