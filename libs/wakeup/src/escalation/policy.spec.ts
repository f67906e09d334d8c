import { plannedSteps } from './policy';

describe('plannedSteps', () => {
  it('repeats the SMS at each configured minute, in order, then escalates at the deadline', () => {
    const at = new Date('2026-07-01T08:00:00Z');
    const steps = plannedSteps({ deadlineMinutes: 10, repeatSmsAtMinutes: [6, 3], escalateTo: ['superior'], maxEscalationDepth: 2 }, at);
    expect(steps.map((s) => [s.kind, s.seq, s.dueAt.toISOString()])).toEqual([
      ['repeat_sms', 1, '2026-07-01T08:03:00.000Z'],
      ['repeat_sms', 2, '2026-07-01T08:06:00.000Z'],
      ['escalate', 0, '2026-07-01T08:10:00.000Z'],
    ]);
  });
});
