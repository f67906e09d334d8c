import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import type { RealtimeEvent, ServerEventName, ServerEvents } from '@fangxun/notify';
import { RealtimeService, Rooms, SmsService } from '@fangxun/notify';
import type { HolderRole } from '@fangxun/registry';
import { ROLE_NAMES_ZH } from '@fangxun/registry';
import { AckLinkSigner } from '../acks/ack-link';
import type { CampaignRow } from '../campaigns/campaign.repository';
import { campaignPolicy } from '../escalation/policy';
import { toCallChangedEvent, toWardenCall } from './call.mapper';
import type { CallRow } from './call.repository';

export type SmsKind = 'first' | 'repeat' | 'escalation';
export type SmsResult = 'queued' | 'duplicate' | 'capped';

/**
 * The wake-up's only door to the channels (socket.io and SMS), always inside the caller's
 * transaction: a call, its push and its SMS commit together or not at all.
 */
@Injectable()
export class CallChannels {
  private readonly links: AckLinkSigner;

  constructor(
    private readonly realtime: RealtimeService,
    private readonly smsQueue: SmsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.links = new AckLinkSigner(config.auth.jwtSecret);
  }

  get signer(): AckLinkSigner {
    return this.links;
  }

  /** The person's phone gets the call over the warden namespace (replayed if offline). */
  async push(m: EntityManager, campaign: CampaignRow, calls: CallRow[]): Promise<void> {
    const events: Array<RealtimeEvent<'wakeup.call'>> = calls
      .filter((c) => c.holderId)
      .map((c) => ({ room: Rooms.person(c.holderId!), event: 'wakeup.call', payload: toWardenCall(campaign, c) }));
    if (events.length) await this.realtime.publish(m, events);
  }

  /** Something for the person's own devices (his other phone sees his answer). */
  async personEvent<K extends ServerEventName>(m: EntityManager, holderId: string, event: K, payload: ServerEvents[K]): Promise<void> {
    await this.realtime.publish(m, [{ room: Rooms.person(holderId), event, payload }]);
  }

  /** Many answers in one write (a batch of acknowledgements). */
  async answeredMany(m: EntityManager, changes: Array<{ call: CallRow; stage: string }>): Promise<void> {
    const events: Array<RealtimeEvent<'wakeup.call_changed' | 'wakeup.call_answered'>> = changes.flatMap(({ call, stage }) => {
      const payload = toCallChangedEvent(call, stage);
      const out: Array<RealtimeEvent<'wakeup.call_changed' | 'wakeup.call_answered'>> = [
        { room: Rooms.division(call.divisionCode), event: 'wakeup.call_changed', payload },
      ];
      if (call.holderId) out.push({ room: Rooms.person(call.holderId), event: 'wakeup.call_answered', payload });
      return out;
    });
    if (events.length) await this.realtime.publish(m, events);
  }

  /** Command-room screens of the call's division (and those above it) see the change. */
  async boardChanged(m: EntityManager, calls: CallRow[], change: string): Promise<void> {
    if (!calls.length) return;
    await this.realtime.publish(
      m,
      calls.map((c) => ({
        room: Rooms.division(c.divisionCode),
        event: 'wakeup.call_changed' as const,
        payload: toCallChangedEvent(c, change),
      })),
    );
  }

  async campaignEvent<K extends ServerEventName>(
    m: EntityManager,
    event: K,
    payload: ServerEvents[K],
    divisionCodes: string[],
  ): Promise<void> {
    // A division event also reaches the screens above it; with no division, the city's screens.
    const rooms = divisionCodes.length ? [...new Set(divisionCodes)].map((d) => Rooms.division(d)) : [Rooms.command];
    await this.realtime.publish(
      m,
      rooms.map((room) => ({ room, event, payload })),
    );
  }

  /**
   * One SMS per call with a signed one-tap link, idempotent per (call, attempt): a step fired
   * again after a crash finds its SMS already queued. Returns what the queue said per call.
   * Template parameters are cut to 35 characters (Aliyun's limit for a variable).
   */
  async sms(
    m: EntityManager,
    campaign: CampaignRow,
    calls: CallRow[],
    kind: SmsKind,
    attempt: string,
    silent?: CallRow,
  ): Promise<Map<string, SmsResult>> {
    const out = new Map<string, SmsResult>();
    if (!calls.length) return out;
    const expires = new Date(campaign.createdAt.getTime() + this.config.wakeup.linkTtlHours * 3600_000);
    const template = kind === 'escalation' ? 'escalation' : templateFor(campaign);
    const rows = calls.map((c) => {
      const link = this.ackUrl(this.links.sign(c.id, expires > c.deadlineAt ? expires : c.deadlineAt));
      const params =
        kind === 'escalation' && silent
          ? {
              subordinate: silent.holderName,
              role: ROLE_NAMES_ZH[silent.holderRole as HolderRole]?.[0] ?? silent.holderRole,
              minutes: String(campaignPolicy(this.config, campaign).deadlineMinutes),
              warning: campaign.title,
              link,
            }
          : {
              area: areaText(campaign),
              level: LEVEL_ZH[campaign.level],
              summary: campaign.title,
              order: campaign.message,
              typhoonName: '',
              river: '',
              name: c.holderName,
              link,
            };
      return {
        to: c.mobile,
        template,
        params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, k === 'link' ? v : v.slice(0, 35)])),
        purpose: campaign.drill ? ('drill' as const) : ('wakeup' as const),
        refType: 'wakeup_call',
        refId: c.id,
        idempotencyKey: `wakeup:${c.id}:${attempt}`,
      };
    });
    const byKey = new Map((await this.smsQueue.enqueueMany(m, rows)).map((r) => [r.idempotencyKey, r.status]));
    rows.forEach((r) => out.set(r.refId, byKey.get(r.idempotencyKey)!));
    return out;
  }

  /**
   * Tells each person his call is over and why: on his phone (`wakeup.stand_down` on /warden,
   * replayed if offline) and by a queued SMS (template stand_down), idempotent per call. The
   * SMS is `refType` wakeup_stand_down so its receipts never touch the call's own SMS status.
   */
  async standDown(m: EntityManager, campaign: CampaignRow, calls: CallRow[], reason: string): Promise<void> {
    if (!calls.length) return;
    const events: Array<RealtimeEvent<'wakeup.stand_down'>> = calls
      .filter((c) => c.holderId)
      .map((c) => ({
        room: Rooms.person(c.holderId!),
        event: 'wakeup.stand_down',
        payload: { callId: c.id, campaignId: campaign.id, state: c.closedState, title: campaign.title, reason },
      }));
    if (events.length) await this.realtime.publish(m, events);
    await this.smsQueue.enqueueMany(
      m,
      calls.map((c) => ({
        to: c.mobile,
        template: 'stand_down',
        params: { name: c.holderName.slice(0, 35), summary: campaign.title.slice(0, 35), reason: reason.slice(0, 35) },
        purpose: campaign.drill ? ('drill' as const) : ('wakeup' as const),
        refType: 'wakeup_stand_down',
        refId: c.id,
        idempotencyKey: `standdown:${c.id}`,
      })),
    );
  }

  ackUrl(token: string): string {
    const base = this.config.http.publicUrl ?? `http://${this.config.http.host}:${this.config.http.port}`;
    return `${base.replace(/\/$/, '')}/api/v1/wakeup/links/${token}`;
  }
}

export const LEVEL_ZH: Record<CampaignRow['level'], string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };

const WARNING_TEMPLATES = ['rainstorm', 'typhoon', 'flash_flood', 'geo_hazard', 'river_flood'];

/** Warnings speak in their kind's template (config sms.templates); orders in the order template. */
function templateFor(campaign: CampaignRow): string {
  return campaign.source === 'warning' && WARNING_TEMPLATES.includes(campaign.warningKind) ? campaign.warningKind : 'wakeup_order';
}

function areaText(campaign: CampaignRow): string {
  const areas = (campaign.area as { warningAreas?: Array<{ areaDesc?: string }> }).warningAreas ?? [];
  return (
    areas
      .map((a) => a.areaDesc)
      .filter(Boolean)
      .join('、') || '临海市'
  );
}
