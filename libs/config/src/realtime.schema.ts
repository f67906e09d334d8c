import { z } from 'zod';

/**
 * The live channel (`realtime`): socket.io namespaces /command and /warden, the durable event
 * log they replay from, and the optional Redis adapter for ephemeral broadcasts.
 */
export const realtimeSchema = z
  .object({
    /** Redis for the socket.io adapter (ephemeral broadcasts across api replicas); unset = one replica. */
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
    /** Events older than this are deleted by the worker and never replayed (hours). */
    retentionHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    /** Most events replayed to one reconnecting socket; beyond it the client is told to resync. */
    replayMaxEvents: z.number().int().min(10).max(100_000),
    /** Rows read per dispatch query. */
    dispatchBatch: z.number().int().min(10).max(10_000),
    /** The dispatcher's own database connections per api replica, outside `database.poolSize`. */
    dispatchConnections: z.number().int().min(1).max(10),
    /** Safety-net poll of the event log when no NOTIFY arrives (lost during a reconnect), seconds. */
    pollSeconds: z.number().int().min(1).max(300),
    /** How often a hole in the id sequence (a publisher still committing) is looked at again, ms. */
    gapRetryMs: z.number().int().min(10).max(10_000),
    /** Largest inbound socket message, bytes (socket.io maxHttpBufferSize). */
    maxMessageBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024),
    /** Engine.io heartbeat: phones on bad networks need a generous timeout. */
    pingIntervalMs: z.number().int().min(1000).max(300_000),
    pingTimeoutMs: z.number().int().min(1000).max(300_000),
    /** Connected users are re-checked (still active?) this often, seconds. */
    recheckSeconds: z.number().int().min(5).max(3600),
    /** Worker retention sweep cadence (seconds) and rows deleted per statement. */
    retentionSweepSeconds: z.number().int().min(10).max(86_400),
    retentionDeleteBatch: z.number().int().min(100).max(100_000),
  })
  .strict();

export type RealtimeConfig = z.infer<typeof realtimeSchema>;
