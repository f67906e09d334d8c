import { loadConfig } from './load-config';
import { wakeupSchema } from './wakeup.schema';

describe('wakeup config', () => {
  const good = loadConfig({ JWT_SECRET: 'x'.repeat(40) }).wakeup;

  it('accepts the shipped defaults', () => {
    expect(wakeupSchema.safeParse(good).success).toBe(true);
  });

  it('refuses a rule that an earlier rule shadows completely, naming it', () => {
    const rules = [...good.rules, { name: '永远用不到', kinds: ['rainstorm'], levels: ['red'], include: ['grid_holder'] }];
    const r = wakeupSchema.safeParse({ ...good, rules });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['rules', rules.length - 1]);
    expect(r.error!.issues[0].message).toMatch(/never used/);
  });

  it('refuses a repeat at or after the deadline, and an unknown reason kind', () => {
    const policies = { ...good.policies, red: { ...good.policies.red, repeatSmsAtMinutes: [3, 10] } };
    expect(wakeupSchema.safeParse({ ...good, policies }).error!.issues[0].path).toEqual(['policies', 'red', 'repeatSmsAtMinutes']);
    const rules = [{ ...good.rules[0], include: ['mayor'] }, ...good.rules.slice(1)];
    expect(wakeupSchema.safeParse({ ...good, rules }).error!.issues[0].path).toEqual(['rules', 0, 'include', 0]);
  });
});
