import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditActor, AuditEntry } from '@fangxun/audit';
import { AuditService } from '@fangxun/audit';
import type { Page } from '@fangxun/common';
import { AppError, assertInScope, CITY_WIDE_ROLES, Clock, CommonErrors, Principal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import type { RealtimePrincipal } from '@fangxun/notify';
import { DivisionService } from '@fangxun/registry';
import type { OrderBoardDto, OrderBoardRowDto, OrderDto } from './dto/order.dto';
import type { CreateOrderDto, ListOrdersQuery } from './dto/order.dto';
import { pageOf, toPage } from './list-page';
import { toOrderDto } from './order.mapper';
import { Completion, OrderRepository, OrderRow } from './order.repository';
import { orderCompleted, orderIssued, targetEntries } from './order-audit';
import { checkCounts } from './order-counts';
import { OrderDelivery } from './order-delivery';
import { OrderIncidents } from './order-incidents';
import { OrderLive } from './order-live';
import { OrderTargets } from './order-targets';
import { ResponseOrderErrors } from './response-orders.errors';

export const whoIs = (p: Principal): string => (p.kind === 'user' ? p.username : `key:${p.name}`);

/** The subtree a principal sees of an order: everything for city-wide roles, else his division's. */
export function scopeOf(p: Principal): string | undefined {
  return p.kind === 'api_key' || CITY_WIDE_ROLES.includes(p.role) ? undefined : p.divisionPath;
}

/**
 * Orders (指令): issue (targets resolved, stored, delivered as a wake-up campaign), read with
 * its per-town board, and completed (反馈) by HTTP, by socket or by a "done" answer to its call.
 * Receipts (签收) and escalations come from the wake-up's outbox events (OrderReceipts).
 */
@Injectable()
export class OrderService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly incidents: OrderIncidents,
    private readonly targets: OrderTargets,
    private readonly delivery: OrderDelivery,
    private readonly live: OrderLive,
    private readonly divisions: DivisionService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** Stores the order and its targets (one transaction, with its outbox event), then delivers it. */
  async issue(principal: Principal, dto: CreateOrderDto): Promise<OrderDto> {
    const now = this.clock.now();
    const deadlineAt = new Date(dto.deadlineAt);
    if (deadlineAt <= now)
      throw new AppError(CommonErrors.Validation, 'the deadline has passed', [{ field: 'deadlineAt', problem: 'must be in the future' }]);
    const keys = (dto.reportItems ?? []).map((r) => r.key);
    const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
    if (dup >= 0)
      throw new AppError(CommonErrors.Validation, 'a count is asked twice', [{ field: `reportItems[${dup}].key`, problem: 'asked twice' }]);
    if (dto.requestKey) {
      const existing = await this.orders.findIdByRequestKey(dto.requestKey);
      if (existing) return this.get(principal, existing);
    }
    await this.incidents.requireActive(dto.incidentId);
    const targets = await this.targets.resolve(dto);
    if (!targets.some((t) => t.people.length))
      throw new AppError(ResponseOrderErrors.OrderNoRecipients, 'nobody to deliver the order to: no active holder for any target', [
        { field: dto.towns?.length ? 'towns' : dto.people?.length ? 'people' : 'groups', problem: 'names no active responsibility holder' },
      ]);
    const id = await inTransaction(this.ds, async (m) => {
      const orderId = await this.orders.insert(m, {
        incidentId: dto.incidentId,
        issuerKind: dto.issuerKind,
        issuerName: dto.issuerName,
        issuerGroupId: dto.issuerGroupId ?? null,
        title: dto.title,
        body: dto.body,
        reportItems: (dto.reportItems ?? []).map((r) => ({ key: r.key, label: r.label })),
        level: dto.level ?? this.config.responseOrders.defaultLevel,
        deadlineAt,
        drill: dto.drill ?? false,
        requestKey: dto.requestKey ?? null,
        createdBy: whoIs(principal).slice(0, 100),
        createdAt: now,
      });
      if (!orderId) return null;
      await this.orders.insertTargets(m, orderId, targets);
      const stored = (await this.orders.get(orderId, m))!;
      await this.live.issued(m, stored);
      await this.audit.append(m, orderIssued(principal, stored, targets));
      return orderId;
    });
    const orderId = id ?? (await this.orders.findIdByRequestKey(dto.requestKey!))!;
    const order = (await this.orders.get(orderId))!;
    if (!order.campaignId) await this.delivery.deliver(order);
    return this.get(principal, orderId);
  }

  async get(principal: Principal, id: string): Promise<OrderDto> {
    const order = await this.orders.get(id);
    if (!order) throw notFound(id);
    const scope = scopeOf(principal);
    const targets = await this.orders.targetsOf(id, scope);
    if (scope && !targets.length) assertInScope(principal, (await this.orders.targetsOf(id))[0]?.scopePath ?? '', 'id');
    return toOrderDto(order, targets);
  }

  async list(principal: Principal, q: ListOrdersQuery): Promise<Page<OrderDto>> {
    const scope = scopeOf(principal) ?? (await this.divisions.rootPath());
    const page = pageOf(q, this.config.registry.pageSizeDefault);
    const rows = await this.orders.list({ ...page, incidentId: q.incidentId, state: q.state }, scope);
    return toPage(rows, page, async (o) => toOrderDto(o, await this.orders.targetsOf(o.id, scopeOf(principal))));
  }

  /** Per town: targets signed, completed, overdue, escalated; people called and signed. */
  async board(principal: Principal, id: string): Promise<OrderBoardDto> {
    const order = await this.get(principal, id); // 404 / 403 as a read
    const rows = await this.orders.board(id, scopeOf(principal));
    const names = await this.divisions.findRefsByCodes(rows.map((r) => r.townCode));
    const towns: OrderBoardRowDto[] = rows.map((r) => ({ ...r, townName: names.get(r.townCode)?.name ?? null }));
    const sum = (k: keyof Omit<OrderBoardRowDto, 'townCode' | 'townName'>) => towns.reduce((a, r) => a + r[k], 0);
    const total: OrderBoardRowDto = {
      townCode: '*',
      townName: null,
      targets: sum('targets'),
      signed: sum('signed'),
      completed: sum('completed'),
      overdue: sum('overdue'),
      escalated: sum('escalated'),
      people: sum('people'),
      peopleSigned: sum('peopleSigned'),
    };
    return { orderId: id, deadlineAt: order.deadlineAt, state: order.state, towns, total };
  }

  /** 反馈 over HTTP for one target: a town admin for his town's, a commander or duty officer for any. */
  async feedback(
    principal: Principal,
    orderId: string,
    targetId: string,
    report: string,
    counts?: Record<string, unknown>,
  ): Promise<OrderDto> {
    const order = await this.orders.get(orderId);
    if (!order) throw notFound(orderId);
    const checked = checkCounts(order.reportItems, counts);
    await inTransaction(this.ds, async (m) => {
      const target = await this.orders.lockTarget(m, orderId, targetId);
      if (!target)
        throw new AppError(ResponseOrderErrors.OrderTargetNotFound, `no target ${targetId} in order ${orderId}`, [
          { field: 'targetId', problem: 'not a target of this order' },
        ]);
      assertInScope(principal, target.scopePath, 'targetId');
      if (target.state === 'completed')
        throw new AppError(ResponseOrderErrors.OrderTargetCompleted, 'this target has already reported back', [
          { field: 'targetId', problem: 'already completed' },
        ]);
      const c: Completion = { at: this.clock.now(), via: 'http', by: whoIs(principal), report, counts: checked };
      await this.completeIn(m, order, [targetId], c, principal);
    });
    return this.get(principal, orderId);
  }

  /** 反馈 from a warden's phone: completes every open target of the order he is called for. */
  async feedbackBySocket(principal: RealtimePrincipal, orderId: string, report: string, counts?: Record<string, unknown>) {
    const { holderId, username } = principal;
    const order = await this.orders.get(orderId);
    if (!order) throw notFound(orderId, 'orderId');
    const checked = checkCounts(order.reportItems, counts);
    return inTransaction(this.ds, async (m) => {
      const ids = holderId ? await this.orders.lockTargetsOfPerson(m, orderId, holderId) : [];
      if (!ids.length)
        throw new AppError(ResponseOrderErrors.NotOrderRecipient, 'this order is not addressed to you', [
          { field: 'orderId', problem: 'not addressed to you' },
        ]);
      const actor: AuditActor = { kind: 'user', ...principal };
      const done = await this.completeIn(
        m,
        order,
        ids,
        { at: this.clock.now(), via: 'socket', by: username, report, counts: checked },
        actor,
      );
      if (!done.length)
        throw new AppError(ResponseOrderErrors.OrderTargetCompleted, 'already reported back', [
          { field: 'orderId', problem: 'already completed' },
        ]);
      return { orderId, completedTargets: done };
    });
  }

  /**
   * A town's feedback sheet answers for its town's target of the chain's order, in the sheet's
   * transaction (counts already checked against the order). Returns the target completed, if any.
   */
  async completeTownIn(m: EntityManager, orderId: string, townCode: string, c: Completion, actor: AuditActor): Promise<string[]> {
    const order = (await this.orders.get(orderId, m))!;
    const id = await this.orders.lockTownTarget(m, orderId, townCode);
    return id ? this.completeIn(m, order, [id], c, actor) : [];
  }

  /** The counts a feedback to this order must carry (400 naming `counts.<key>` otherwise). */
  async checkFeedbackCounts(orderId: string, counts: Record<string, unknown> | undefined): Promise<Record<string, number> | null> {
    const order = await this.orders.get(orderId);
    if (!order) throw notFound(orderId, 'orderId');
    return checkCounts(order.reportItems, counts);
  }

  /**
   * Completes targets in the caller's transaction and publishes; the order completes with its last
   * target. Audits last (`earlier`: the caller's entries, appended with these in one go).
   */
  async completeIn(
    m: EntityManager,
    order: OrderRow,
    ids: string[],
    c: Completion,
    actor: AuditActor,
    earlier: AuditEntry[] = [],
  ): Promise<string[]> {
    const done = await this.orders.complete(m, ids, order.deadlineAt, c);
    await this.live.targetsChanged(m, order, done, 'completed');
    const entries = [
      ...earlier,
      ...targetEntries(actor, 'complete', order, done, {
        completedAt: c.at,
        completedVia: c.via,
        completedBy: c.by,
        report: c.report,
        counts: c.counts,
      }),
    ];
    if (done.length && (await this.orders.completeOrderIfDone(m, order.id, c.at))) {
      await this.live.completed(m, order);
      entries.push(orderCompleted(actor, order, c.at));
    }
    await this.audit.appendMany(m, entries);
    return done;
  }
}

function notFound(id: string, field = 'id'): AppError {
  return new AppError(ResponseOrderErrors.OrderNotFound, `order ${id} not found`, [{ field, problem: 'no such order' }]);
}
