import { z } from 'zod';

/**
 * The SMS channel (`sms`): providers (Aliyun Dysmsapi, Tencent Cloud SMS 2021-01-11, a generic
 * HTTP/JSON gateway, the sandbox), the failover chain, the sender's cadence and retry policy,
 * the per-number daily cap and the Chinese message templates. Secrets (keys, callback tokens),
 * sign names, template codes and endpoints can all come from the environment (sms-env.ts:
 * SMS_<NAME>_<FIELD>, or <VARIABLE>_FILE), never from a file in the repository.
 */
const name = z.string().regex(/^[a-z][a-z0-9-]{0,29}$/, 'must be lower-case letters, digits and dashes');
/** Our template name → the provider's approved template code / id. */
const templateCodes = z.record(z.string(), z.string().min(1));

const common = {
  name,
  enabled: z.boolean().default(true),
  /** axios timeout of one request (connect + answer), ms. */
  timeoutMs: z.number().int().min(50).max(60_000).default(5000),
  /** Token bucket: messages per second, and the burst it may save up. Per worker process. */
  ratePerSecond: z.number().positive().max(100_000).default(50),
  burst: z.number().int().min(1).max(100_000).default(100),
  /** This provider's own per-number daily limit; the queue's cap is the smallest in the chain (and sms.dailyCapPerNumber). */
  dailyCapPerNumber: z.number().int().min(1).max(10_000).optional(),
  /** Numbers per request at most (Aliyun SendBatchSms 100, Tencent SendSms 200). */
  maxBatch: z.number().int().min(1).max(1000).optional(),
  /**
   * Secret that authenticates this provider's pushes to our callback URLs: for Aliyun and
   * Tencent (which do not sign their pushes) the `token` query parameter of the URL registered
   * in their console; for the generic gateway the HMAC-SHA256 key of X-Fangxun-Signature.
   */
  callbackSecret: z.string().min(16).optional(),
  /**
   * Refuse numbers in seed.fakePhonePrefix (the demo seed's range) without any request: unset
   * means true, for every real adapter. false only for a drill or test against a provider
   * stand-in; refused in production. The sandbox takes them either way.
   */
  refuseFakeNumbers: z.boolean().optional(),
};

export const smsProviderSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...common,
      kind: z.literal('aliyun'),
      /** RPC endpoint, e.g. https://dysmsapi.aliyuncs.com/ */
      endpoint: z.string().url(),
      accessKeyId: z.string().min(1),
      accessKeySecret: z.string().min(1),
      signName: z.string().min(1),
      templates: templateCodes,
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('tencent'),
      /** https://sms.tencentcloudapi.com/ */
      endpoint: z.string().url(),
      secretId: z.string().min(1),
      secretKey: z.string().min(1),
      region: z.string().min(1).default('ap-guangzhou'),
      smsSdkAppId: z.string().min(1),
      signName: z.string().min(1),
      templates: templateCodes,
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('generic'),
      /** Base URL; we POST {base}/send and {base}/query. */
      endpoint: z.string().url(),
      /** HMAC-SHA256 key of the X-Fangxun-Signature header on our requests. */
      requestSecret: z.string().min(16),
    })
    .strict(),
  z.object({ ...common, kind: z.literal('sandbox') }).strict(),
]);

export const smsTemplateSchema = z
  .object({
    /** Chinese text with ${param} placeholders; every placeholder must be listed in params. */
    text: z.string().min(1).max(500),
    params: z.array(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/)).default([]),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const m of t.text.matchAll(/\$\{([^}]*)\}/g)) {
      if (!t.params.includes(m[1])) ctx.addIssue({ code: 'custom', path: ['text'], message: `placeholder \${${m[1]}} is not in params` });
    }
  });

export const smsSchema = z
  .object({
    providers: z.array(smsProviderSchema),
    /** Provider names, primary first: a failed, throttled or timed-out send moves to the next. */
    chain: z.array(name).min(1),
    /** Drill messages (purpose `drill`) go through this chain instead, e.g. [sandbox]; unset: the normal chain. */
    drillChain: z.array(name).min(1).optional(),
    sender: z
      .object({
        /** The worker's loop (off: only explicit ticks, as in tests). */
        enabled: z.boolean(),
        intervalMs: z.number().int().min(10).max(600_000),
        /** Messages claimed per tick (first sends and backed-off retries: the fresh lane). */
        claimLimit: z.number().int().min(1).max(10_000),
        /**
         * The recovery lane (unknown outcomes: asked of the provider before anything is re-sent)
         * runs beside the fresh lane, never in front of it: rows it claims per pass, status
         * look-ups in flight at once, and how long one pass may start new look-ups (the rest go
         * back for the next pass). Its lease is extended while it works.
         */
        recoveryClaimLimit: z.number().int().min(1).max(10_000).default(200),
        queryConcurrency: z.number().int().min(1).max(256).default(16),
        recoveryPassSeconds: z.number().int().min(1).max(3600).default(30),
        /** A claimed message stays with its worker this long; must exceed the whole chain's timeouts. */
        leaseSeconds: z.number().int().min(5).max(3600),
        maxAttempts: z.number().int().min(1).max(50),
        backoffBaseMs: z.number().int().min(1).max(3_600_000),
        backoffMaxMs: z.number().int().min(1).max(86_400_000),
        /** A send whose outcome stays unknown (no query answer) this long is failed, never re-sent blind. */
        unknownGiveUpSeconds: z.number().int().min(10).max(86_400),
      })
      .strict(),
    /**
     * Receipts that arrive before the send's answer (Tencent pushes by SerialNo, which only the
     * answer tells us) are parked, then applied when the answer lands: kept this long, this many at most.
     */
    earlyReceipts: z
      .object({
        keepSeconds: z.number().int().min(10).max(86_400),
        maxParked: z.number().int().min(1).max(1_000_000),
      })
      .strict()
      .default({ keepSeconds: 3600, maxParked: 50_000 }),
    /** Messages per number per Beijing day (Aliyun allows 50 per signature+template+number). */
    dailyCapPerNumber: z.number().int().min(1).max(10_000),
    /** Generic gateway callbacks: X-Fangxun-Timestamp may differ from our clock by this much. */
    callbackMaxSkewSeconds: z.number().int().min(10).max(86_400),
    templates: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), smsTemplateSchema),
  })
  .strict()
  .superRefine((s, ctx) => {
    const names = new Set<string>();
    s.providers.forEach((p, i) => {
      if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'name'], message: `duplicate provider ${p.name}` });
      names.add(p.name);
      if (p.kind === 'aliyun' || p.kind === 'tencent') {
        for (const t of Object.keys(p.templates)) {
          if (!s.templates[t])
            ctx.addIssue({ code: 'custom', path: ['providers', i, 'templates', t], message: `no template ${t} in sms.templates` });
        }
      }
    });
    s.chain.forEach((n, i) => {
      if (!names.has(n)) ctx.addIssue({ code: 'custom', path: ['chain', i], message: `no provider named ${n}` });
    });
    (s.drillChain ?? []).forEach((n, i) => {
      if (!names.has(n)) ctx.addIssue({ code: 'custom', path: ['drillChain', i], message: `no provider named ${n}` });
    });
    // A lease must outlive one pass over the chain (a send and a query per provider), or a live
    // sender's rows would be taken over while its request is still in flight.
    const chainMs = s.chain.reduce((sum, n) => sum + 2 * (s.providers.find((p) => p.name === n)?.timeoutMs ?? 0), 0);
    if (s.sender.leaseSeconds * 1000 <= chainMs) {
      ctx.addIssue({ code: 'custom', path: ['sender', 'leaseSeconds'], message: `must exceed 2 × the chain's timeouts (${chainMs} ms)` });
    }
  });

export type SmsConfig = z.infer<typeof smsSchema>;
export type SmsProviderConfig = z.infer<typeof smsProviderSchema>;
