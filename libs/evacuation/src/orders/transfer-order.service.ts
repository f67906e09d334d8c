import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { RiskObjectService } from '@fangxun/geo';
import type { RealtimeEvent } from '@fangxun/notify';
import { RealtimeService, Rooms } from '@fangxun/notify';
import { HolderService } from '@fangxun/registry';
import { CampaignService, Recipient } from '@fangxun/wakeup';
import { orderRaisedFields } from '../evacuation-audit';
import { HouseholdRepository } from '../households/household.repository';
import { TotalsService } from '../totals/totals.service';
import { Candidate, RouteNotice, TaskRouter } from './task-router';
import { TransferOrderRepository } from './transfer-order.repository';
import { OrderLevel, RaiseOrderInput, TaskWrite, townOf } from './transfer-order.types';

export interface RaisedOrder {
  orderId: string;
  created: boolean;
  tasks: number;
  /** Open tasks of an earlier 准备转移 order this 立即转移 order took over (their places kept). */
  takenOver: number;
  people: number;
  reserved: number;
  rerouted: number;
  flagged: number;
  campaignId: string | null;
}

const LEVEL_ZH: Record<OrderLevel, string> = { prepare: '准备转移', immediate: '立即转移' };

/**
 * Raises transfer orders (转移令). One transaction: the order, one task per household with its
 * places held at a shelter (TaskRouter), and the wake-up campaign that pushes the tasks to their
 * responsible holders (signed for, escalated when silent, by the wake-up module), the outbox
 * event and the command-room events. A crash before commit leaves nothing; the same source key
 * twice gives the first order back.
 */
@Injectable()
export class TransferOrderService {
  private readonly log = new Logger(TransferOrderService.name);

  constructor(
    private readonly orders: TransferOrderRepository,
    private readonly households: HouseholdRepository,
    private readonly router: TaskRouter,
    private readonly riskObjects: RiskObjectService,
    private readonly holders: HolderService,
    private readonly campaigns: CampaignService,
    private readonly realtime: RealtimeService,
    private readonly outbox: OutboxService,
    private readonly totals: TotalsService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async raise(input: RaiseOrderInput): Promise<RaisedOrder> {
    // Shelter candidates come first, outside the transaction (see TaskRouter.nearby).
    const preview = await this.households.forOrder(undefined, input.riskObjectIds, input.divisionPaths);
    const refs = await this.riskObjects.refsByIds([...new Set(preview.map((h) => h.riskObjectId))]);
    const near = await this.router.nearby(new Map(refs.map((r) => [r.id, r.code])));
    return inTransaction(this.ds, (m) => this.raiseIn(m, input, near));
  }

  private async raiseIn(m: EntityManager, input: RaiseOrderInput, near: Map<string, Candidate[]>): Promise<RaisedOrder> {
    const now = this.clock.now();
    const orderId = await this.orders.insert(m, input, now);
    if (!orderId) return this.existing(m, input.sourceKey);

    const households = await this.households.forOrder(m, input.riskObjectIds, input.divisionPaths);
    const open = await this.orders.lockOpenTasks(
      m,
      households.map((h) => h.id),
    );
    // A 立即转移 order takes over a household's open 准备转移 task (its places stay held); any other open task stays where it is.
    const takeOver = input.level === 'immediate' ? open.filter((t) => t.orderLevel === 'prepare') : [];
    await this.orders.moveTasks(
      m,
      takeOver.map((t) => t.id),
      orderId,
      now,
    );
    const busy = new Set(open.map((t) => t.householdId));
    const fresh = households.filter((h) => !busy.has(h.id));
    const { tasks, notices } = await this.router.route(m, fresh, near);
    await this.orders.insertTasks(m, orderId, tasks, now);

    const holderIds = [
      ...new Set([...tasks.map((t) => t.holderId), ...takeOver.map((t) => t.holderId)].filter((id): id is string => !!id)),
    ];
    const people = sum(tasks.map((t) => t.people)) + sum(takeOver.map((t) => t.people));
    const campaignId = holderIds.length ? await this.push(m, orderId, input, holderIds, tasks, takeOver.length, people) : null;

    const towns = [...new Set([...households.map((h) => townOf(h.divisionPath)), ...takeOver.map((t) => townOf(t.divisionPath))])];
    const result: RaisedOrder = {
      orderId,
      created: true,
      tasks: tasks.length + takeOver.length,
      takenOver: takeOver.length,
      people,
      reserved: sum(tasks.map((t) => t.reserved)) + sum(takeOver.map((t) => t.reserved)),
      rerouted: notices.filter((n) => n.kind === 'rerouted').length,
      flagged: notices.filter((n) => n.kind === 'flagged').length,
      campaignId,
    };
    await this.announce(m, input, result, towns, notices);
    await this.totals.publish(m, [...households.map((h) => h.divisionPath), ...takeOver.map((t) => t.divisionPath)]);
    // Last in the transaction (the audit takes the chain's head lock until commit).
    const { tasks: taskCount, takenOver, reserved } = result;
    await this.audit.append(m, {
      actor: input.actor,
      action: 'transfer_order.raise',
      entity: 'transfer_order',
      entityId: orderId,
      after: orderRaisedFields(input, { tasks: taskCount, takenOver, people, reserved, campaignId }),
      incidentId: input.incidentId,
    });
    this.log.log(`order ${orderId} (${input.sourceKey}): ${result.tasks} tasks, ${result.reserved} places, ${result.flagged} flagged`);
    return result;
  }

  /** The tasks' holders are woken as one campaign, the order its source: one call per holder, however many households he moves. */
  private async push(
    m: EntityManager,
    orderId: string,
    input: RaiseOrderInput,
    holderIds: string[],
    tasks: TaskWrite[],
    takenOver: number,
    people: number,
  ): Promise<string> {
    const rows = (await this.holders.findRows(holderIds, m)).filter((h) => h.active);
    const count = new Map<string, { households: number; people: number }>();
    for (const t of tasks) {
      if (!t.holderId) continue;
      const c = count.get(t.holderId) ?? { households: 0, people: 0 };
      count.set(t.holderId, { households: c.households + 1, people: c.people + t.people });
    }
    const recipients: Recipient[] = rows.map((h) => {
      const c = count.get(h.id);
      return {
        holderId: h.id,
        name: h.name,
        role: h.role,
        divisionCode: h.divisionCode,
        divisionPath: h.divisionPath,
        mobile: h.mobile,
        reasons: [{ kind: 'named', text: c ? `包户转移 ${c.households} 户 ${c.people} 人` : '包户转移（接续准备转移任务）' }],
      };
    });
    const households = tasks.length + takenOver;
    const started = await this.campaigns.startIn(m, {
      source: 'evacuation',
      sourceKey: `evacuation:${orderId}`,
      warningKind: 'other',
      level: this.config.evacuation.wakeupLevel[input.level],
      title: `${LEVEL_ZH[input.level]}令：${input.title}`.slice(0, 200),
      message: `${LEVEL_ZH[input.level]}：请按一户一策将您包保的住户转移至指定安置点（本令共 ${households} 户 ${people} 人），收到请签收，到达后报告。`,
      drill: input.drill,
      createdBy: input.createdBy.slice(0, 100),
      recipients,
      unreachable: holderIds
        .filter((id) => !rows.some((h) => h.id === id))
        .map((id) => ({ holderId: id, name: '', reason: 'holder inactive' })),
      ruleName: null,
      area: { evacuationOrderId: orderId, riskObjectIds: input.riskObjectIds, divisionCodes: input.divisionCodes },
      // The campaign's audit row names whoever raised the order (a commander, or the status job).
      actor: input.actor,
    });
    await this.orders.setCampaign(m, orderId, started.campaignId);
    return started.campaignId;
  }

  /** Outbox for other modules; the command room per town: the order, and every task re-routed or flagged (the board says so). */
  private async announce(m: EntityManager, input: RaiseOrderInput, r: RaisedOrder, towns: string[], notices: RouteNotice[]): Promise<void> {
    const payload = { ...r, level: input.level, title: input.title, incidentId: input.incidentId, source: input.source };
    await this.outbox.append(m, { topic: 'evacuation.order_raised', key: r.orderId, payload });
    const rooms = towns.length ? towns.map((t) => Rooms.division(t)) : [Rooms.command];
    await this.realtime.publish(m, [
      ...rooms.map((room): RealtimeEvent => ({ room, event: 'evacuation.order_raised', payload })),
      ...notices.map((n): RealtimeEvent => ({
        room: Rooms.division(townOf(n.divisionPath)),
        event: n.kind === 'rerouted' ? ('evacuation.task_rerouted' as const) : ('evacuation.task_flagged' as const),
        payload: {
          orderId: r.orderId,
          householdCode: n.householdCode,
          people: n.people,
          fromShelter: n.fromShelter,
          toShelter: n.toShelter,
          note: n.note,
        },
      })),
    ]);
  }

  private async existing(m: EntityManager, key: string): Promise<RaisedOrder> {
    const o = (await this.orders.findOrderByKey(m, key))!;
    const tasks = await this.orders.tasksOf(o.id, m);
    return {
      orderId: o.id,
      created: false,
      tasks: tasks.length,
      takenOver: 0,
      people: sum(tasks.map((t) => t.people)),
      reserved: sum(tasks.map((t) => t.reserved)),
      rerouted: tasks.filter((t) => t.reroutedFromShelterId).length,
      flagged: tasks.filter((t) => !t.shelterId).length,
      campaignId: o.campaignId,
    };
  }
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
