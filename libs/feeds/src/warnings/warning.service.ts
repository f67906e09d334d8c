import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor, AuditService, systemActor } from '@fangxun/audit';
import { AppError, CITY_WIDE_ROLES, Clock, CommonErrors, decodeCursor, encodeCursor, ErrorDetail, Page, Principal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService } from '@fangxun/registry';
import { CapErrors } from '../cap/cap.errors';
import type { CapAlert } from '../cap/cap.types';
import { checkCapAlert, ValidatedCap } from '../cap/cap-validate';
import { readCapXml } from '../cap/cap-xml.reader';
import { writeCapXml } from '../cap/cap-xml.writer';
import { parseGbtIdentifier } from '../cap/gbt-identifier';
import { ListWarningsQuery, RaiseWarningInput, UpdateWarningInput, WarningDto } from './warning.dto';
import { WarningErrors } from './warning.errors';
import { toCapAlert, toWarningDto } from './warning.mapper';
import { AreaReachRow, WarningRepository, WarningRow } from './warning.repository';
import { WARNING_TOPICS } from './warning.types';
import { buildUpdateAlert, buildWarningAlert } from './warning-builder';
import { warningEventPayload, WarningStore } from './warning-store';

/** One area of a warning as it counts: named divisions (ids, ltree paths, codes) and the drawn ground beside them (GeoJSON). */
export type WarningAreaReach = AreaReachRow;

export interface IngestResult {
  created: boolean;
  warning: WarningDto;
  /** Accepted but ignored (an empty `<polygon/>`), each with its path. */
  notices: ErrorDetail[];
}

/** Official warnings in (CAP XML / JSON), out (CAP XML), our own (raise/update/cancel), expiry. */
@Injectable()
export class WarningService {
  constructor(
    private readonly warnings: WarningRepository,
    private readonly store: WarningStore,
    private readonly divisions: DivisionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** CAP 1.2 XML in: safe-XML checks, then the same path as JSON. Same identifier again → created false. */
  async ingestXml(principal: Principal, raw: Buffer): Promise<IngestResult> {
    const limits = { maxBytes: this.config.feeds.capMaxBytes, maxDepth: this.config.feeds.capMaxDepth };
    const { json, text } = readCapXml(raw, limits);
    return this.ingest(principal, checkCapAlert(json), 'cap', text);
  }

  async ingestJson(principal: Principal, body: unknown): Promise<IngestResult> {
    return this.ingest(principal, checkCapAlert(body), 'json', null);
  }

  private async ingest(principal: Principal, checked: ValidatedCap, origin: 'cap' | 'json', rawXml: string | null): Promise<IngestResult> {
    const { alert, notices } = checked;
    this.refuseFarFuture(alert);
    if (alert.msgType === 'Ack' || alert.msgType === 'Error') {
      throw new AppError(WarningErrors.NotAWarning, `a CAP ${alert.msgType} is not a warning`, [
        { field: 'msgType', problem: 'only Alert, Update and Cancel are accepted' },
      ]);
    }
    const createdBy = principal.kind === 'user' ? principal.username : `api-key:${principal.name}`;
    try {
      const { id, created, row, areas } = await inTransaction(this.ds, async (m) => {
        const stored = await this.store.store(alert, { origin, rawXml, createdBy }, m);
        // A repeat of a stored alert changes nothing and records nothing.
        if (stored.created) await this.recordStored(m, principal, 'warning.ingest', stored.id, alert);
        return stored;
      });
      // A city-wide caller may read any warning: answer from what the store wrote, no read-back.
      if (!(await this.divisionFilter(principal, undefined))) {
        const refIds = await this.warnings.idsForReferences(row.refs);
        return { created, warning: toWarningDto(row, refIds, areas ?? (await this.warnings.areas(id))), notices };
      }
      return { created, warning: await this.get(principal, id), notices };
    } catch (err) {
      // Two copies of one alert racing: the loser's insert hits the unique identifier; answer as a repeat.
      const existing = pgError(err)?.code === PG_UNIQUE_VIOLATION && (await this.warnings.findByIdentifier(alert.identifier, alert.sender));
      if (!existing) throw err;
      return { created: false, warning: await this.get(principal, existing.id), notices };
    }
  }

  /**
   * Times further ahead than `feeds.cap.maxFutureDays` are a typo or a Buddhist-era year (2568 for
   * 2025): a warning "sent" or "expiring" then would sort, expire and scope wrongly. Every such
   * field is named (400 CAP_INVALID).
   */
  private refuseFarFuture(alert: CapAlert): void {
    const limit = this.clock.now().getTime() + this.config.feeds.cap.maxFutureDays * 86_400_000;
    const times: Array<[string, string | undefined]> = [
      ['sent', alert.sent],
      ...alert.info.flatMap((i, n): Array<[string, string | undefined]> => [
        [`info[${n}].effective`, i.effective],
        [`info[${n}].onset`, i.onset],
        [`info[${n}].expires`, i.expires],
      ]),
    ];
    const gbt = parseGbtIdentifier(alert.identifier);
    if (gbt) times.push(['identifier', gbt.issuedAt]);
    const far = times.filter(([, t]) => t !== undefined && new Date(t).getTime() > limit);
    if (far.length) {
      const problem = (t: string) =>
        `${t.slice(0, 10)} is more than ${this.config.feeds.cap.maxFutureDays} days ahead (a Buddhist-era year?)`;
      throw new AppError(
        CapErrors.Invalid,
        far.map(([f, t]) => `${f}: ${problem(t!)}`).join('; '),
        far.map(([field, t]) => ({ field, problem: problem(t!) })),
      );
    }
  }

  async list(principal: Principal, q: ListWarningsQuery): Promise<Page<WarningDto>> {
    const limit = q.limit ?? 50;
    const division = await this.divisionFilter(principal, q.division);
    const after = q.cursor ? (decodeCursor(q.cursor, 'sent', 2) as [string, string]) : undefined;
    const rows = await this.warnings.list({
      states: q.state,
      kinds: q.kind,
      levels: q.level,
      activeAt: q.activeAt,
      division,
      after,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const refIds = await this.warnings.idsForReferenceLists(items.map((r) => r.refs));
    return {
      items: items.map((r, i) => toWarningDto(r, refIds[i])),
      nextCursor: rows.length > limit && last ? encodeCursor('sent', [new Date(last.sent).toISOString(), last.id]) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<WarningDto> {
    const row = await this.visible(principal, id);
    return toWarningDto(row, await this.warnings.idsForReferences(row.refs), await this.warnings.areas(id));
  }

  /**
   * The ground a warning covers, for other modules (wake-up, public warnings) — no caller
   * identity: this is not a read on anyone's behalf. Per area: the divisions its geocodes named
   * and the drawn geometry that counts beside them (full precision, already valid), as
   * `feeds.cap.areaMode` decided when it was stored. Undefined for an unknown id.
   */
  async areasOf(id: string): Promise<WarningAreaReach[] | undefined> {
    return this.warnings.reachOf(id);
  }

  /** CAP 1.2 XML of any warning, ours included (the stored message, written anew). */
  async capXml(principal: Principal, id: string): Promise<string> {
    return writeCapXml(toCapAlert(await this.visible(principal, id)));
  }

  /** The CAP XML as it was received; 404 for a warning that came as JSON or was raised here (none is stored). */
  async originalXml(principal: Principal, id: string): Promise<string> {
    await this.visible(principal, id);
    const xml = await this.warnings.rawXml(id);
    if (xml === null) {
      throw new AppError(WarningErrors.NotFound, `warning ${id} has no original XML`, [
        { field: 'id', problem: 'it came as JSON or was raised here; GET /warnings/{id}/cap writes it as CAP' },
      ]);
    }
    return xml;
  }

  /** Raises a warning of our own and its `warning.raised` event, in one transaction (the caller's if given). */
  async raise(input: RaiseWarningInput, manager?: EntityManager): Promise<string> {
    const work = async (m: EntityManager) => {
      const root = await this.divisions.rootRef();
      const alert = buildWarningAlert(input, {
        adminCode: root?.code ?? '000000',
        sender: this.config.feeds.warningSender,
        now: this.clock.now(),
        serial: await this.warnings.nextSerial(m),
      });
      const stored = await this.store.store(alert, { origin: input.origin, rawXml: null, createdBy: input.createdBy }, m);
      if (stored.created) await this.recordStored(m, systemActor(input.createdBy), 'warning.raise', stored.id, alert);
      return stored.id;
    };
    return manager ? work(manager) : inTransaction(this.ds, work);
  }

  /** Issues a CAP Update replacing warning `id`; returns the new warning's id. */
  async update(id: string, changes: UpdateWarningInput, manager?: EntityManager): Promise<string> {
    return this.follow(id, 'Update', changes, manager);
  }

  /** Issues a CAP Cancel of warning `id`; returns the Cancel message's id. */
  async cancel(id: string, reason: string, createdBy: string, manager?: EntityManager): Promise<string> {
    return this.follow(id, 'Cancel', { description: reason, createdBy }, manager);
  }

  private async follow(id: string, msgType: 'Update' | 'Cancel', changes: UpdateWarningInput, manager?: EntityManager): Promise<string> {
    const work = async (m: EntityManager) => {
      const prev = await this.warnings.findById(id, m);
      if (!prev) throw new AppError(WarningErrors.NotFound, `warning ${id} not found`, [{ field: 'id', problem: 'no such warning' }]);
      if (prev.origin !== 'threshold' && prev.origin !== 'manual') {
        throw new AppError(WarningErrors.NotOurs, `warning ${id} was issued by ${prev.sender}`, [
          { field: 'id', problem: 'not one of our own warnings' },
        ]);
      }
      if (prev.state !== 'active') {
        throw new AppError(WarningErrors.NotActive, `warning ${id} is ${prev.state}`, [
          { field: 'id', problem: `is ${prev.state}, not active` },
        ]);
      }
      const alert = buildUpdateAlert(toCapAlert(prev), msgType, changes, {
        now: this.clock.now(),
        serial: await this.warnings.nextSerial(m),
      });
      const stored = await this.store.store(alert, { origin: prev.origin, rawXml: null, createdBy: changes.createdBy }, m);
      const action = msgType === 'Update' ? 'warning.update' : 'warning.cancel';
      if (stored.created) await this.recordStored(m, systemActor(changes.createdBy), action, stored.id, alert, { replaces: id });
      return stored.id;
    };
    return manager ? work(manager) : inTransaction(this.ds, work);
  }

  /** Moves active warnings past `expires` to expired, each with its event; returns how many. */
  async expireDue(limit = 100): Promise<number> {
    return inTransaction(this.ds, async (m) => {
      const ids = await this.warnings.claimExpired(this.clock.now(), limit, m);
      await this.warnings.setState(ids, 'expired', null, m);
      await this.audit.appendMany(
        m,
        ids.map((wid) => ({
          actor: systemActor('warning-expiry'),
          action: 'warning.expire',
          entity: 'warning',
          entityId: wid,
          before: { state: 'active' },
          after: { state: 'expired' },
        })),
      );
      for (const id of ids) {
        const w = (await this.warnings.findById(id, m))!;
        await this.outbox.append(m, { topic: WARNING_TOPICS.expired, key: id, payload: warningEventPayload(w) });
      }
      return ids.length;
    });
  }

  /** A warning stored from a CAP message: who sent it in (a key, a user, or our own job) and what it is. */
  private recordStored(
    m: EntityManager,
    actor: AuditActor,
    action: string,
    id: string,
    alert: CapAlert,
    extra: Record<string, unknown> = {},
  ) {
    const after = { identifier: alert.identifier, sender: alert.sender, msgType: alert.msgType, sent: alert.sent, ...extra };
    return this.audit.append(m, { actor, action, entity: 'warning', entityId: id, after });
  }

  /**
   * The warning, if the principal may read it: city-wide roles and keys all, others those touching
   * their area. One that exists but lies wholly outside it is 403 OUT_OF_SCOPE (the README's rule
   * for naming something outside one's area), one that does not exist 404.
   */
  private async visible(principal: Principal, id: string): Promise<WarningRow> {
    const division = await this.divisionFilter(principal, undefined);
    const row = division ? (await this.warnings.list({ id, division, limit: 1 }))[0] : await this.warnings.findById(id);
    if (row) return row;
    if (division && (await this.warnings.findById(id))) {
      throw new AppError(CommonErrors.OutOfScope, `warning ${id} is outside your area`, [
        { field: 'id', problem: 'outside the area you are responsible for' },
      ]);
    }
    throw new AppError(WarningErrors.NotFound, `warning ${id} not found`, [{ field: 'id', problem: 'no such warning' }]);
  }

  private async divisionFilter(principal: Principal, code: string | undefined) {
    const own = principal.kind === 'user' && !CITY_WIDE_ROLES.includes(principal.role) ? principal.divisionCode : undefined;
    const wanted = code ?? own;
    if (!wanted) return undefined;
    const d = await this.divisions.getInScope(principal, wanted, code ? 'division' : 'divisionCode', true);
    return { path: d.path, boundary: d.boundary ? JSON.stringify(d.boundary) : null };
  }
}
