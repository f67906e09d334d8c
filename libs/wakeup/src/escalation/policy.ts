import type { AppConfig, WakeupPolicy } from '@fangxun/config';

/**
 * The policy a campaign's calls follow: its colour's, or the response level's (`policy`, set by
 * libs/response through ResponseScope) while that one is stricter, i.e. gives less time to
 * answer. A response never slows a warning's own wake-up.
 */
export function campaignPolicy(
  config: AppConfig,
  c: { level: keyof AppConfig['wakeup']['policies']; policy?: WakeupPolicy | null },
): WakeupPolicy {
  const colour = config.wakeup.policies[c.level];
  return c.policy && c.policy.deadlineMinutes < colour.deadlineMinutes ? c.policy : colour;
}

export interface PlannedStep {
  kind: 'first_sms' | 'repeat_sms' | 'escalate';
  seq: number;
  dueAt: Date;
}

/** The call's deadline: when silence escalates. */
export function deadlineOf(policy: WakeupPolicy, calledAt: Date): Date {
  return new Date(calledAt.getTime() + policy.deadlineMinutes * 60_000);
}

/**
 * The durable timers of one call, in order: the first SMS at once, a repeat SMS at each
 * configured minute, then escalation at the deadline. The push is not a step: it goes out in
 * the transaction that creates the call; the first SMS is a step due at that instant, committed
 * with the call, so the phones are not kept waiting while 5,000 SMS are queued (the worker
 * queues them right after, in batches). Only the next step is stored at a time (`nextStep`).
 */
export function plannedSteps(policy: WakeupPolicy, calledAt: Date): PlannedStep[] {
  const at = (min: number) => new Date(calledAt.getTime() + min * 60_000);
  return [
    { kind: 'first_sms' as const, seq: 0, dueAt: calledAt },
    ...[...policy.repeatSmsAtMinutes].sort((a, b) => a - b).map((m, i) => ({ kind: 'repeat_sms' as const, seq: i + 1, dueAt: at(m) })),
    { kind: 'escalate' as const, seq: 0, dueAt: deadlineOf(policy, calledAt) },
  ];
}

/**
 * The step after `after` (or the first when none), or null when the call's timers are over.
 * Given `now`, repeats already overdue are skipped (after an outage, three SMS in a row would
 * say nothing more) but the escalation never is: when every later step is past, it is next.
 */
export function nextStep(
  policy: WakeupPolicy,
  calledAt: Date,
  after?: { kind: PlannedStep['kind']; seq: number },
  now?: Date,
): PlannedStep | null {
  const steps = plannedSteps(policy, calledAt);
  const i = after ? steps.findIndex((s) => s.kind === after.kind && s.seq === after.seq) : -1;
  if (after && i < 0) return null;
  const later = steps.slice(i + 1);
  if (!now) return later[0] ?? null;
  return later.find((s) => s.dueAt >= now) ?? later[later.length - 1] ?? null;
}

/**
 * Where a still-pending step moves when the campaign's level changes (a downgrade keeps the
 * call and its answers, but its timers follow the new level's policy): a repeat SMS to the new
 * policy's repeat of the same number, or to the escalation when the new policy has fewer; the
 * escalation to the new deadline. Never earlier than `now`. The first SMS stays as it is.
 */
export function replannedStep(
  policy: WakeupPolicy,
  calledAt: Date,
  pending: { kind: PlannedStep['kind']; seq: number },
  now: Date,
): PlannedStep {
  if (pending.kind === 'first_sms') return { kind: 'first_sms', seq: 0, dueAt: calledAt };
  const plan = plannedSteps(policy, calledAt);
  const same = pending.kind === 'repeat_sms' ? plan.find((s) => s.kind === 'repeat_sms' && s.seq === pending.seq) : undefined;
  const target = same ?? plan[plan.length - 1];
  return { ...target, dueAt: target.dueAt < now ? now : target.dueAt };
}
