import { loadConfig } from '@fangxun/config';
import { campaignPolicy, nextStep, plannedSteps } from './policy';

describe('plannedSteps', () => {
  it('sends the first SMS at once, repeats it at each configured minute, in order, then escalates at the deadline', () => {
    const at = new Date('2026-07-01T08:00:00Z');
    const steps = plannedSteps({ deadlineMinutes: 10, repeatSmsAtMinutes: [6, 3], escalateTo: ['superior'], maxEscalationDepth: 2 }, at);
    expect(steps.map((s) => [s.kind, s.seq, s.dueAt.toISOString()])).toEqual([
      ['first_sms', 0, '2026-07-01T08:00:00.000Z'],
      ['repeat_sms', 1, '2026-07-01T08:03:00.000Z'],
      ['repeat_sms', 2, '2026-07-01T08:06:00.000Z'],
      ['escalate', 0, '2026-07-01T08:10:00.000Z'],
    ]);
  });

  it('stores one step at a time: each fired step names the next, the escalation is the last', () => {
    const at = new Date('2026-07-01T08:00:00Z');
    const p = { deadlineMinutes: 10, repeatSmsAtMinutes: [3, 6], escalateTo: ['superior' as const], maxEscalationDepth: 2 };
    const chain = [];
    for (let s = nextStep(p, at); s; s = nextStep(p, at, s)) chain.push(`${s.kind}${s.seq}`);
    expect(chain).toEqual(['first_sms0', 'repeat_sms1', 'repeat_sms2', 'escalate0']);
    expect(nextStep({ ...p, repeatSmsAtMinutes: [] }, at, { kind: 'first_sms', seq: 0 })?.kind).toBe('escalate');
  });

  it('after an outage skips overdue repeats but never the escalation', () => {
    const at = new Date('2026-07-01T08:00:00Z');
    const p = { deadlineMinutes: 10, repeatSmsAtMinutes: [3, 6], escalateTo: ['superior' as const], maxEscalationDepth: 2 };
    const later = (min: number) => new Date(at.getTime() + min * 60_000);
    expect(nextStep(p, at, { kind: 'repeat_sms', seq: 1 }, later(4))?.seq).toBe(2);
    expect(nextStep(p, at, { kind: 'first_sms', seq: 0 }, later(3))?.seq).toBe(1); // due now is not overdue
    expect(nextStep(p, at, { kind: 'repeat_sms', seq: 1 }, later(7))?.kind).toBe('escalate');
    expect(nextStep(p, at, { kind: 'repeat_sms', seq: 1 }, later(30))?.kind).toBe('escalate');
    expect(nextStep(p, at, { kind: 'escalate', seq: 0 }, later(30))).toBeNull();
  });
});

describe('campaignPolicy', () => {
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(40) });
  const strict = { deadlineMinutes: 3, repeatSmsAtMinutes: [1], escalateTo: ['superior' as const], maxEscalationDepth: 3 };
  const slow = { ...strict, deadlineMinutes: 59, repeatSmsAtMinutes: [30] };

  it("follows a response level's policy only while it is stricter than the colour's (a response never slows a warning)", () => {
    expect(campaignPolicy(config, { level: 'red', policy: null })).toBe(config.wakeup.policies.red);
    expect(campaignPolicy(config, { level: 'red', policy: strict })).toBe(strict);
    expect(campaignPolicy(config, { level: 'red', policy: slow })).toBe(config.wakeup.policies.red);
    expect(campaignPolicy(config, { level: 'blue', policy: slow })).toBe(slow);
  });
});
