import { z } from 'zod';

/**
 * Wake-up (叫应) rules (`wakeup`): who is called for which warning, how fast each must answer,
 * and how silence climbs the 包保 chain. Numbers a bureau changes; checked at boot like every key.
 */
export const WAKEUP_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export const WAKEUP_WARNING_KINDS = ['rainstorm', 'typhoon', 'flash_flood', 'geo_hazard', 'river_flood', 'other'] as const;
/** The reasons "who must answer" gives for a person (libs/geo who-must-answer.people.ts). */
export const WAKEUP_REASON_KINDS = ['primary_holder', 'backup_holder', 'grid_holder', 'village_holder', 'town_holder', 'superior'] as const;

const rule = z
  .object({
    /** Shown on the board and in each call's reason. */
    name: z.string().min(2).max(60),
    kinds: z.array(z.enum(WAKEUP_WARNING_KINDS)).min(1),
    levels: z.array(z.enum(WAKEUP_LEVELS)).min(1),
    /** Which of "who must answer"'s reasons make a person a recipient. */
    include: z.array(z.enum(WAKEUP_REASON_KINDS)).min(1),
  })
  .strict();

/** One level's wake-up policy (also a response level's, libs/config response.schema.ts). */
export const wakeupPolicySchema = z
  .object({
    /** Minutes each recipient has to answer "received" before escalation. */
    deadlineMinutes: z.number().int().min(1).max(240),
    /** Repeat the SMS to the silent person at these minutes after the call (each < deadline). */
    repeatSmsAtMinutes: z.array(z.number().int().min(1).max(239)).max(5),
    /** At the deadline, who else is called: the 包保 superior, the named backup (B岗), or both. */
    escalateTo: z.array(z.enum(['superior', 'backup'])).min(1),
    /** How many times silence may climb (village → town → city = 2); above that the board alone. */
    maxEscalationDepth: z.number().int().min(0).max(5),
  })
  .strict()
  .refine((p) => p.repeatSmsAtMinutes.every((m) => m < p.deadlineMinutes), {
    message: 'every repeatSmsAtMinutes must be before deadlineMinutes',
    path: ['repeatSmsAtMinutes'],
  });

export const wakeupSchema = z
  .object({
    /**
     * Recipient rules, first match wins for a (warning kind, level). A warning that matches no
     * rule wakes nobody (and the board says so): e.g. a blue typhoon signal.
     */
    rules: z.array(rule).min(1),
    /** Reasons used for a manual order over an area when the order names none. */
    manualInclude: z.array(z.enum(WAKEUP_REASON_KINDS)).min(1),
    /** Escalation policy per level. */
    policies: z
      .object({ blue: wakeupPolicySchema, yellow: wakeupPolicySchema, orange: wakeupPolicySchema, red: wakeupPolicySchema })
      .strict(),
    /** SMS texts that mean "received" (case-insensitive, trimmed, full-width digits folded). */
    ackReplies: z.array(z.string().min(1).max(20)).min(1),
    /** Signed ack links in SMS stay valid this long (hours). */
    linkTtlHours: z.number().int().min(1).max(168),
    /** How often the worker fires due escalation steps and reads events (ms). */
    tickMs: z.number().int().min(50).max(3_600_000),
    /** Also run a round at once when an outbox event commits (LISTEN): a warning need not wait for the tick. */
    wakeOnOutbox: z.boolean(),
    /** Steps or events taken per tick. */
    batchSize: z.number().int().min(1).max(10_000),
    /** A claimed step not finished within this is taken again (a worker died holding it). */
    leaseSeconds: z.number().int().min(5).max(3600),
    /** Most answers written in one transaction (answers arriving together are batched). */
    ackBatchMax: z.number().int().min(1).max(5000),
    /** The command board's live progress is pushed at most this often per campaign (ms). */
    boardPushMs: z.number().int().min(200).max(60_000),
  })
  .strict()
  .superRefine((w, ctx) => {
    for (const [i, r] of w.rules.entries()) {
      for (const [j, earlier] of w.rules.slice(0, i).entries()) {
        if (coversAll(r, earlier)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i],
            message: `never used: rule ${j} (${earlier.name}) already covers all its kinds and levels`,
          });
        }
      }
    }
  });

/** True when `earlier` matches every (kind, level) that `r` matches, so `r` can never apply. */
function coversAll(r: z.infer<typeof rule>, earlier: z.infer<typeof rule>): boolean {
  return r.kinds.every((k) => earlier.kinds.includes(k)) && r.levels.every((l) => earlier.levels.includes(l));
}

export type WakeupConfig = z.infer<typeof wakeupSchema>;
export type WakeupPolicy = z.infer<typeof wakeupPolicySchema>;
export type WakeupLevel = (typeof WAKEUP_LEVELS)[number];
export type WakeupReasonKind = (typeof WAKEUP_REASON_KINDS)[number];
