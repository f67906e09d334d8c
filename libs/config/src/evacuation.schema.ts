import { z } from 'zod';
import { WAKEUP_LEVELS } from './wakeup.schema';

/** Evacuation (人员转移): how far a task may be routed to a shelter, and how the worker reads its events. */
export const evacuationSchema = z
  .object({
    /** A task is sent no farther than this (geodesic metres from its risk object) to a shelter; beyond, it is flagged. */
    maxShelterDistanceM: z.number().int().min(100).max(200_000),
    /** Nearest shelters with room tried per risk object, in distance order, before a task is flagged. */
    shelterCandidates: z.number().int().min(1).max(50),
    /** Wake-up colour of the campaign that pushes an order's tasks, per order level. */
    wakeupLevel: z.object({ prepare: z.enum(WAKEUP_LEVELS), immediate: z.enum(WAKEUP_LEVELS) }).strict(),
    /** Largest household file one import takes. */
    importMaxRows: z.number().int().min(1).max(100_000),
    /** Worker: outbox events read per round, their lease, and the round's cadence. */
    batchSize: z.number().int().min(1).max(1000),
    leaseSeconds: z.number().int().min(5).max(3600),
    tickMs: z.number().int().min(100).max(3_600_000),
  })
  .strict();

export type EvacuationConfig = z.infer<typeof evacuationSchema>;
