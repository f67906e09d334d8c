import type { WakeupPolicy } from '@fangxun/config';

export interface PlannedStep {
  kind: 'repeat_sms' | 'escalate';
  seq: number;
  dueAt: Date;
}

/** The call's deadline: when silence escalates. */
export function deadlineOf(policy: WakeupPolicy, calledAt: Date): Date {
  return new Date(calledAt.getTime() + policy.deadlineMinutes * 60_000);
}

/**
 * The durable timers of one call: a repeat SMS at each configured minute, then escalation at
 * the deadline. The first push and SMS are not steps: they go out in the transaction that
 * creates the call, which is what makes a 5,000-person fan-out one commit.
 */
export function plannedSteps(policy: WakeupPolicy, calledAt: Date): PlannedStep[] {
  const at = (min: number) => new Date(calledAt.getTime() + min * 60_000);
  return [
    ...[...policy.repeatSmsAtMinutes].sort((a, b) => a - b).map((m, i) => ({ kind: 'repeat_sms' as const, seq: i + 1, dueAt: at(m) })),
    { kind: 'escalate' as const, seq: 0, dueAt: deadlineOf(policy, calledAt) },
  ];
}
