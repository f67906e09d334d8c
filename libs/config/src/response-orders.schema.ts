import { z } from 'zod';
import { WAKEUP_LEVELS } from './wakeup.schema';

/**
 * Response orders (指令) and the "1833" sheets (libs/response orders/, sheets/): the worker's
 * loop that learns receipts from the wake-up's outbox events and marks orders overdue.
 */
export const responseOrdersSchema = z
  .object({
    /** How often the worker reads receipts and looks for overdue orders (ms). */
    tickMs: z.number().int().min(50).max(600_000),
    /** Outbox events and overdue targets per round. */
    batchSize: z.number().int().min(1).max(10_000),
    leaseSeconds: z.number().int().min(5).max(3600),
    /** Wake-up level (receipt deadline and escalation policy) of an order that does not say. */
    defaultLevel: z.enum(WAKEUP_LEVELS),
  })
  .strict();

export type ResponseOrdersConfig = z.infer<typeof responseOrdersSchema>;
