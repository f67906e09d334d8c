import { z } from 'zod';
import { WAKEUP_LEVELS, WAKEUP_REASON_KINDS, WAKEUP_WARNING_KINDS, wakeupPolicySchema } from './wakeup.schema';

/**
 * The "1618" response (`response`): what each level obliges, which facts propose a level, the
 * standard command steps, the HQ groups and the special plans. Domain notes §4 and §7: the
 * numbers and names are a bureau's to change, never code.
 */
/** Lowest first: the marine typhoon response comes before IV (Jiaojiang 2024 plan). */
export const RESPONSE_LEVELS = ['marine', 'IV', 'III', 'II', 'I'] as const;
export const INCIDENT_KINDS = ['flood', 'typhoon'] as const;
export const COMMAND_TIERS = ['emergency', 'special', 'onsite'] as const;
export const MEASURE_DOMAINS = ['duty', 'marine', 'transport', 'tourism', 'construction', 'reservoir', 'evacuation', 'other'] as const;

const code = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case code: letters, digits, _');
const name = z.string().min(2).max(60);

const measure = z.object({ code, domain: z.enum(MEASURE_DOMAINS), text: z.string().min(2).max(200) }).strict();

const levelPolicy = z
  .object({
    label: name,
    /** Acknowledgement deadline and escalation of every wake-up call in the incident's scope (when stricter than the warning's own). */
    wakeup: wakeupPolicySchema,
    /** Who the response's own wake-up calls in its towns (reasons from "who must answer"). */
    wake: z.array(z.enum(WAKEUP_REASON_KINDS)).min(1).max(WAKEUP_REASON_KINDS.length),
    /** Colour of the response's own wake-up campaign (its SMS template and board colour). */
    campaignLevel: z.enum(WAKEUP_LEVELS),
    /** Situation reports (续报) are due this often while the level holds. */
    reportIntervalMinutes: z.number().int().min(15).max(1440),
    duty: z
      .object({
        leaders: z.number().int().min(0).max(10),
        officers: z.number().int().min(0).max(50),
        /** Joint duty of the member departments (联合值守). */
        jointDuty: z.boolean(),
      })
      .strict(),
    /** Mandatory measures added at this level (a level also carries those of the levels below). */
    measures: z.array(measure).max(30),
  })
  .strict();

const warningWhen = z
  .object({
    kinds: z.array(z.enum(WAKEUP_WARNING_KINDS)).min(1),
    levels: z.array(z.enum(WAKEUP_LEVELS)).min(1),
    /** Only warnings of these origins (`threshold`: raised by stations over their lines). */
    origins: z
      .array(z.enum(['cap', 'json', 'threshold', 'manual']))
      .min(1)
      .optional(),
    /** The warning must reach at least this many towns. */
    minTowns: z.number().int().min(1).max(50).default(1),
  })
  .strict();

const arealWhen = z
  .object({
    /** Areal rainfall of each town over the last `hours`. */
    hours: z.number().int().min(1).max(72),
    minMm: z.number().positive().max(2000),
    minTowns: z.number().int().min(1).max(50).default(1),
  })
  .strict();

const rule = z
  .object({
    name,
    kind: z.enum(INCIDENT_KINDS),
    level: z.enum(RESPONSE_LEVELS),
    when: z.union([z.object({ warning: warningWhen }).strict(), z.object({ arealRain: arealWhen }).strict()]),
  })
  .strict();

const step = z.object({ code, name, ownerGroup: code, checklist: z.array(z.string().min(2).max(100)).max(20) }).strict();
const group = z.object({ code, name }).strict();
const tier = z
  .object({
    name,
    /** "1+6": one lead and six groups (emergency HQ); "1+8": on-site HQ. */
    mode: z
      .string()
      .regex(/^1\+\d{1,2}$/)
      .nullable(),
    groups: z.array(group).max(20),
  })
  .strict();

const controlPointSelector = z
  .object({
    /** `road` or `point`, kept on the control point. */
    kind: z.enum(['road', 'point']),
    /** Risk objects in this division's subtree, of this type, whose names contain every text. */
    divisionCode: z.string().regex(/^\d{6,12}$/),
    riskType: z.string().min(2).max(40),
    nameContains: z.array(z.string().min(1).max(40)).min(1).max(4),
    /** How many the plan names (the Datian plan: 14 roads, 23 points); fewer found is reported at activation. */
    expected: z.number().int().min(1).max(1000),
  })
  .strict();

const plan = z
  .object({
    code,
    name: z.string().min(2).max(100),
    kinds: z.array(z.enum(INCIDENT_KINDS)).min(1),
    /** Groups the plan sets up (special HQ and on-site HQ). */
    groups: z.array(group.extend({ tier: z.enum(COMMAND_TIERS) })).max(20),
    /** Steps the plan adds after the standard ones. */
    steps: z.array(step).max(20),
    controlPoints: z.array(controlPointSelector).max(10),
  })
  .strict();

export const responseSchema = z
  .object({
    levels: z
      .object(
        Object.fromEntries(RESPONSE_LEVELS.map((l) => [l, levelPolicy])) as Record<(typeof RESPONSE_LEVELS)[number], typeof levelPolicy>,
      )
      .strict(),
    /** Proposal rules: every matching rule proposes; the highest level wins. Proposals wait for a commander. */
    rules: z.array(rule).max(50),
    /** The standard command steps (11 in Linhai), in order. */
    steps: z.array(step).min(1).max(30),
    tiers: z.object({ emergency: tier, special: tier, onsite: tier }).strict(),
    plans: z.array(plan).max(40),
    /** How often the worker reads feeds' events and evaluates the areal-rainfall rules (ms). */
    tickMs: z.number().int().min(50).max(3_600_000),
    /** How often the worker evaluates the areal-rainfall rules (minutes). */
    arealEveryMinutes: z.number().int().min(1).max(1440),
    /** Events taken per tick. */
    batchSize: z.number().int().min(1).max(5000),
  })
  .strict()
  .superRefine((r, ctx) => {
    const groups = new Set([...r.tiers.emergency.groups, ...r.tiers.special.groups, ...r.tiers.onsite.groups].map((g) => g.code));
    r.steps.forEach((s, i) => {
      if (!groups.has(s.ownerGroup))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'ownerGroup'], message: `no group ${s.ownerGroup} in tiers` });
    });
    dupes(r.steps.map((s) => s.code)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['steps', i, 'code'], message: 'duplicate step code' }),
    );
    dupes(r.plans.map((p) => p.code)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['plans', i, 'code'], message: 'duplicate plan code' }),
    );
    const measures = RESPONSE_LEVELS.flatMap((l) => r.levels[l].measures.map((m, i) => ({ l, i, code: m.code })));
    dupes(measures.map((m) => m.code)).forEach((j) =>
      ctx.addIssue({
        code: 'custom',
        path: ['levels', measures[j].l, 'measures', measures[j].i, 'code'],
        message: 'duplicate measure code',
      }),
    );
    // A higher level never gives people more time to answer than a lower one.
    RESPONSE_LEVELS.slice(1).forEach((l, i) => {
      if (r.levels[l].wakeup.deadlineMinutes > r.levels[RESPONSE_LEVELS[i]].wakeup.deadlineMinutes)
        ctx.addIssue({ code: 'custom', path: ['levels', l, 'wakeup', 'deadlineMinutes'], message: `longer than ${RESPONSE_LEVELS[i]}'s` });
    });
    r.plans.forEach((p, i) =>
      p.steps.forEach((s, j) => {
        if (!groups.has(s.ownerGroup) && !p.groups.some((g) => g.code === s.ownerGroup))
          ctx.addIssue({ code: 'custom', path: ['plans', i, 'steps', j, 'ownerGroup'], message: `no group ${s.ownerGroup}` });
      }),
    );
  });

/** Indexes of the entries that repeat an earlier one. */
function dupes(codes: string[]): number[] {
  return codes.flatMap((c, i) => (codes.indexOf(c) < i ? [i] : []));
}

export type ResponseConfig = z.infer<typeof responseSchema>;
export type ResponseLevel = (typeof RESPONSE_LEVELS)[number];
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export type CommandTier = (typeof COMMAND_TIERS)[number];
export type ResponseLevelPolicy = z.infer<typeof levelPolicy>;
export type ResponseRule = z.infer<typeof rule>;
export type ResponsePlanTemplate = z.infer<typeof plan>;
export type ResponseStepTemplate = z.infer<typeof step>;
