import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError, Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { SmsErrors } from './sms.errors';
import { EnqueueRow, SmsRepository } from './sms.repository';
import type { SmsPurpose, SmsStatus } from './sms.types';

export interface EnqueueInput {
  /** E.164, e.g. +8613800001111. */
  to: string;
  /** A key of config sms.templates (rainstorm, typhoon, …, wakeup_order, escalation, public_warning). */
  template: string;
  params: Record<string, string>;
  purpose: SmsPurpose;
  refType?: string;
  refId?: string;
  /** Same key, same message: a second enqueue returns `duplicate` and sends nothing. */
  idempotencyKey: string;
}

export type EnqueueResult = { id: string; status: 'queued' | 'duplicate' } | { id: null; status: 'capped' };

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The SMS channel's front door: messages are queued in the CALLER's transaction, so a wake-up
 * call and its SMS commit (or roll back) together; the worker's sender does the sending.
 */
@Injectable()
export class SmsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: SmsRepository,
    private readonly clock: Clock,
  ) {}

  async enqueue(manager: EntityManager, input: EnqueueInput): Promise<EnqueueResult> {
    this.check(input);
    const existing = await this.repo.findByKey(manager, input.idempotencyKey);
    if (existing) return { id: existing, status: 'duplicate' };
    const now = this.clock.now();
    if (!(await this.repo.takeDailySlot(manager, input.to, now, this.dailyCap()))) return { id: null, status: 'capped' };
    const id = await this.repo.insert(manager, { ...input, params: stringParams(input.params) });
    if (id) return { id, status: 'queued' };
    // Another transaction queued the same key meanwhile: ours is the duplicate.
    await this.repo.giveBackDailySlot(manager, input.to, now);
    return { id: (await this.repo.findByKey(manager, input.idempotencyKey)) ?? '', status: 'duplicate' };
  }

  /** Large batches (public warnings): one INSERT … SELECT FROM unnest per 5,000 rows, in the caller's transaction. */
  async enqueueMany(manager: EntityManager, inputs: EnqueueInput[]): Promise<Array<{ idempotencyKey: string } & EnqueueResult>> {
    inputs.forEach((i) => this.check(i));
    const out: Array<{ idempotencyKey: string } & EnqueueResult> = [];
    const now = this.clock.now();
    for (let i = 0; i < inputs.length; i += 5000) {
      const chunk: EnqueueRow[] = inputs.slice(i, i + 5000).map((r) => ({ ...r, params: stringParams(r.params) }));
      const rows = await this.repo.insertMany(manager, chunk, now, this.dailyCap());
      for (const r of rows) {
        out.push(
          r.status === 'capped'
            ? { idempotencyKey: r.key, id: null, status: 'capped' }
            : { idempotencyKey: r.key, id: r.id ?? '', status: r.status },
        );
      }
    }
    return out;
  }

  /** Messages per status for each of `refIds` (every status present, zero when none). */
  async countsByRef(refType: string, refIds: string[]): Promise<Map<string, Record<SmsStatus, number>>> {
    const out = new Map<string, Record<SmsStatus, number>>(
      refIds.map((id) => [id, { queued: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, capped: 0 }]),
    );
    for (const r of await this.repo.countsByRef(refType, refIds)) {
      const counts = out.get(r.refId);
      if (counts) counts[r.status] = r.count;
    }
    return out;
  }

  /** Messages this number may still be sent today (Beijing day). */
  async remainingToday(phone: string): Promise<number> {
    return Math.max(0, this.dailyCap() - (await this.repo.usedToday(phone, this.clock.now())));
  }

  /** sms.dailyCapPerNumber, lowered by any enabled chain provider's own per-number daily limit. */
  dailyCap(): number {
    const { sms } = this.config;
    const caps = sms.chain
      .map((n) => sms.providers.find((p) => p.name === n))
      .filter((p) => p?.enabled && p.dailyCapPerNumber !== undefined)
      .map((p) => p!.dailyCapPerNumber!);
    return Math.min(sms.dailyCapPerNumber, ...caps);
  }

  private check(i: EnqueueInput): void {
    const bad = (field: string, problem: string) => new AppError(SmsErrors.BadMessage, `${field}: ${problem}`, [{ field, problem }]);
    if (!E164.test(i.to)) throw bad('to', 'must be E.164 (+86…)');
    if (!this.config.sms.templates[i.template]) throw bad('template', `no template ${i.template} in sms.templates`);
    if (!['wakeup', 'public', 'drill'].includes(i.purpose)) throw bad('purpose', 'must be wakeup, public or drill');
    if (!i.idempotencyKey || i.idempotencyKey.length > 200) throw bad('idempotencyKey', 'required, at most 200 characters');
  }
}

/** Providers take string variables only (Aliyun: isv.INVALID_JSON_PARAM otherwise). */
function stringParams(p: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, String(v)]));
}
