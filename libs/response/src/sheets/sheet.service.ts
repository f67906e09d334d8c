import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditActor, Fields } from '@fangxun/audit';
import { AuditService, sameFieldsAs, systemActor } from '@fangxun/audit';
import type { Page } from '@fangxun/common';
import { AppError, assertInScope, Clock, CommonErrors, isWithin, Principal, validationError } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { RiskObjectService } from '@fangxun/geo';
import { RealtimeService, Rooms } from '@fangxun/notify';
import { DivisionService } from '@fangxun/registry';
import { pageOf, toPage } from '../orders/list-page';
import { OrderService, scopeOf, whoIs } from '../orders/order.service';
import { OrderIncidents } from '../orders/order-incidents';
import { townOf } from '../orders/order-targets';
import { ResponseOrderErrors } from '../orders/response-orders.errors';
import { responseEntry } from '../response-audit';
import type {
  ChainState,
  CreateInstructionDto,
  CreateRiskPromptDto,
  CreateSheetFeedbackDto,
  ListChainsQuery,
  SheetChainDto,
} from './sheet.dto';
import { toChainDto } from './sheet.mapper';
import { ChainRow, SheetRepository } from './sheet.repository';

const unprocessable = (field: string, problem: string) =>
  new AppError(CommonErrors.Unprocessable, `${field}: ${problem}`, [{ field, problem }]);

/**
 * The "1833" three sheets as one chain per risk: a risk prompt (prompted) → a control
 * instruction delivered as an order (instructed) → feedback sheets (fed_back) → closed; an
 * instruction whose deadline passes without feedback marks the chain overdue. Every change goes
 * to the outbox and to the chain's town rooms on /command.
 */
@Injectable()
export class SheetService {
  constructor(
    private readonly sheets: SheetRepository,
    private readonly orders: OrderService,
    private readonly incidents: OrderIncidents,
    private readonly riskObjects: RiskObjectService,
    private readonly divisions: DivisionService,
    private readonly realtime: RealtimeService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async prompt(principal: Principal, dto: CreateRiskPromptDto): Promise<SheetChainDto> {
    const codes = [...new Set(dto.riskObjectCodes ?? [])];
    const towns = [...new Set(dto.townCodes ?? [])];
    if (!codes.length && !towns.length) throw validationError('riskObjectCodes', 'name at least one risk object or town');
    await this.incidents.requireActive(dto.incidentId);
    const objects = new Map((await this.riskObjects.refsByCodes(codes)).map((o) => [o.code, o]));
    codes.forEach((c, i) => {
      if (!objects.has(c)) throw unprocessable(`riskObjectCodes[${i}]`, 'no such risk object');
    });
    const refs = await this.divisions.findRefsByCodes(towns);
    towns.forEach((c, i) => {
      if (refs.get(c)?.level !== 'town') throw unprocessable(`townCodes[${i}]`, 'no such town');
    });
    // No towns named: the towns the risk objects lie in.
    const townCodes = towns.length ? towns : [...new Set([...objects.values()].map((o) => townOf(o.divisionPath)))];
    const townRefs = towns.length ? refs : await this.divisions.findRefsByCodes(townCodes);
    const now = this.clock.now();
    const id = await inTransaction(this.ds, async (m) => {
      const chainId = await this.sheets.insertChain(m, {
        incidentId: dto.incidentId,
        title: dto.title,
        riskObjectCodes: codes,
        townCodes,
        townPaths: townCodes.map((c) => townRefs.get(c)?.path ?? c),
        createdBy: whoIs(principal).slice(0, 100),
        createdAt: now,
      });
      await this.sheets.insertSheet(m, chainId, {
        kind: 'risk_prompt',
        authorGroup: dto.authorGroup,
        content: { risk: dto.risk, riskObjects: [...objects.values()].map((o) => ({ code: o.code, name: o.name })) },
        townCode: null,
        createdBy: whoIs(principal).slice(0, 100),
        createdAt: now,
      });
      await this.changed(m, chainId, 'prompted', principal, null, { risk: dto.risk });
      return chainId;
    });
    return this.get(principal, id);
  }

  /** The instruction goes out as an order to the chain's towns (once: its request key is the chain's). */
  async instruct(principal: Principal, chainId: string, dto: CreateInstructionDto): Promise<SheetChainDto> {
    const chain = await this.chainInScope(principal, chainId);
    expectState(chain, ['prompted']);
    const order = await this.orders.issue(principal, {
      incidentId: chain.incidentId,
      issuerKind: 'group',
      issuerName: dto.authorGroup,
      title: `管控指令单：${chain.title}`.slice(0, 200),
      body: dto.measures,
      deadlineAt: dto.deadlineAt,
      reportItems: dto.reportItems,
      towns: chain.townCodes,
      people: dto.people,
      level: dto.level,
      requestKey: `sheet:${chain.id}`,
    });
    const now = this.clock.now();
    await inTransaction(this.ds, async (m) => {
      const locked = (await this.sheets.get(chainId, m, true))!;
      expectState(locked, ['prompted']);
      await this.sheets.insertSheet(m, chainId, {
        kind: 'control_instruction',
        authorGroup: dto.authorGroup,
        content: { measures: dto.measures, by: order.targets.map((t) => t.label), deadlineAt: order.deadlineAt, orderId: order.id },
        townCode: null,
        createdBy: whoIs(principal).slice(0, 100),
        createdAt: now,
      });
      await this.sheets.update(m, chainId, { state: 'instructed', orderId: order.id, dueAt: new Date(order.deadlineAt) }, now);
      await this.changed(m, chainId, 'instructed', principal, locked, { measures: dto.measures });
    });
    return this.get(principal, chainId);
  }

  async feedback(principal: Principal, chainId: string, dto: CreateSheetFeedbackDto): Promise<SheetChainDto> {
    const chain = await this.chainInScope(principal, chainId);
    const townCode = dto.townCode ?? (scopeOf(principal) ? undefined : null);
    if (townCode === undefined) throw validationError('townCode', 'required: the town you report for');
    if (townCode !== null) {
      const i = chain.townCodes.indexOf(townCode);
      if (i < 0) throw unprocessable('townCode', 'not a town of this chain');
      assertInScope(principal, chain.townPaths[i], 'townCode');
    }
    // With an instruction out, the counts are the ones it asked for; a town's sheet also answers its town's target.
    const counts = chain.orderId ? ((await this.orders.checkFeedbackCounts(chain.orderId, dto.counts)) ?? {}) : checkFreeCounts(dto.counts);
    const now = this.clock.now();
    await inTransaction(this.ds, async (m) => {
      const locked = (await this.sheets.get(chainId, m, true))!;
      expectState(locked, ['instructed', 'fed_back']);
      await this.sheets.insertSheet(m, chainId, {
        kind: 'feedback',
        authorGroup: dto.authorGroup ?? whoIs(principal).slice(0, 100),
        content: { done: dto.done, counts, attachments: dto.attachments ?? [] },
        townCode,
        createdBy: whoIs(principal).slice(0, 100),
        createdAt: now,
      });
      if (locked.orderId && townCode)
        await this.orders.completeTownIn(
          m,
          locked.orderId,
          townCode,
          {
            at: now,
            via: 'http',
            by: whoIs(principal),
            report: dto.done,
            counts: Object.keys(counts).length ? counts : null,
          },
          principal,
        );
      await this.sheets.update(m, chainId, { state: 'fed_back' }, now);
      await this.changed(m, chainId, 'fed_back', principal, locked, { feedback: { townCode, done: dto.done, counts } });
    });
    return this.get(principal, chainId);
  }

  async close(principal: Principal, chainId: string, note: string): Promise<SheetChainDto> {
    await this.chainInScope(principal, chainId);
    const now = this.clock.now();
    await inTransaction(this.ds, async (m) => {
      const locked = (await this.sheets.get(chainId, m, true))!;
      expectState(locked, ['fed_back']);
      await this.sheets.update(m, chainId, { state: 'closed', closedAt: now, closeNote: note }, now);
      await this.changed(m, chainId, 'closed', principal, locked);
    });
    return this.get(principal, chainId);
  }

  async get(principal: Principal, chainId: string): Promise<SheetChainDto> {
    const chain = await this.chainInScope(principal, chainId);
    return toChainDto(chain, await this.sheets.sheetsOf(chainId));
  }

  async list(principal: Principal, q: ListChainsQuery): Promise<Page<SheetChainDto>> {
    const page = pageOf(q, this.config.registry.pageSizeDefault);
    const chains = await this.sheets.list({ ...page, incidentId: q.incidentId, state: q.state }, scopeOf(principal) ?? null);
    return toPage(chains, page, async (c) => toChainDto(c, await this.sheets.sheetsOf(c.id)));
  }

  /** The worker's part: instructed chains past their deadline without feedback become overdue (once). */
  async markOverdue(): Promise<number> {
    const now = this.clock.now();
    return inTransaction(this.ds, async (m) => {
      const ids = await this.sheets.markOverdue(m, now, this.config.responseOrders.batchSize);
      for (const id of ids) await this.changed(m, id, 'overdue', SHEET_OVERDUE, { overdueAt: null });
      return ids.length;
    });
  }

  private async chainInScope(principal: Principal, chainId: string): Promise<ChainRow> {
    const chain = await this.sheets.get(chainId);
    if (!chain)
      throw new AppError(ResponseOrderErrors.SheetChainNotFound, `sheet chain ${chainId} not found`, [
        { field: 'id', problem: 'no such sheet chain' },
      ]);
    const scope = scopeOf(principal);
    if (scope && !chain.townPaths.some((p) => isWithin(p, scope) || isWithin(scope, p)))
      assertInScope(principal, chain.townPaths[0] ?? '', 'id');
    return chain;
  }

  /** Publishes the chain's change and audits it, last: the chain's fields that changed and what the sheet said (`said`). */
  private async changed(
    m: EntityManager,
    chainId: string,
    change: ChainState | 'overdue',
    actor: AuditActor,
    before: ChainRow | Fields | null,
    said: Fields = {},
  ): Promise<void> {
    const c = (await this.sheets.get(chainId, m))!;
    const payload = {
      chainId: c.id,
      incidentId: c.incidentId,
      change,
      state: c.state,
      overdue: !!c.overdueAt,
      title: c.title,
      townCodes: c.townCodes,
      orderId: c.orderId,
    };
    await this.realtime.publish(
      m,
      c.townCodes.map((town) => ({ room: Rooms.division(town), event: 'response.sheet_chain', payload })),
    );
    await this.outbox.append(m, { topic: 'response.sheet_chain_changed', key: c.id, payload });
    const after = { ...chainFields(c), ...said };
    // Before: the chain as locked (the overdue sweep: the fields it set, as they were); what a sheet says is new.
    const said0 = Object.fromEntries(Object.keys(said).map((k) => [k, null]));
    const was = before && sameFieldsAs({ ...chainFields(c), ...before, ...said0 }, after);
    await this.audit.append(
      m,
      responseEntry(actor, `sheet_chain.${VERB[change]}`, c.incidentId, { kind: 'sheet_chain', id: c.id }, was, after),
    );
  }
}

const SHEET_OVERDUE = systemActor('response.sheet_overdue');
const VERB: Record<ChainState | 'overdue', string> = {
  prompted: 'prompt',
  instructed: 'instruct',
  fed_back: 'feedback',
  closed: 'close',
  overdue: 'overdue',
};

/** The chain's fields a sheet or a close changes (the audit keeps only those that differ). */
function chainFields(c: ChainRow): Fields {
  return {
    state: c.state,
    title: c.title,
    riskObjectCodes: c.riskObjectCodes,
    townCodes: c.townCodes,
    orderId: c.orderId,
    dueAt: c.dueAt,
    overdueAt: c.overdueAt,
    closedAt: c.closedAt,
    closeNote: c.closeNote,
  };
}

function expectState(chain: ChainRow, allowed: ChainState[]): void {
  if (!allowed.includes(chain.state))
    throw new AppError(ResponseOrderErrors.SheetChainState, `the chain is ${chain.state}; this needs ${allowed.join(' or ')}`, [
      { field: 'state', problem: `is ${chain.state}, must be ${allowed.join(' or ')}` },
    ]);
}

/** A feedback sheet's counts: at most 20, camelCase keys, whole numbers 0..1,000,000. */
function checkFreeCounts(counts: Record<string, unknown> | undefined): Record<string, number> {
  const entries = Object.entries(counts ?? {});
  if (entries.length > 20) throw validationError('counts', 'at most 20 counts');
  for (const [k, v] of entries) {
    if (!/^[a-z][A-Za-z0-9]{0,39}$/.test(k)) throw validationError(`counts.${k.slice(0, 40)}`, 'must be a camelCase key');
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 1_000_000)
      throw validationError(`counts.${k}`, 'must be a whole number 0..1000000');
  }
  return Object.fromEntries(entries) as Record<string, number>;
}
