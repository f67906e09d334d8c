import { z } from 'zod';

/**
 * Public warning SMS (一键直达): contact lists of the people living or working in a risk
 * object, and the campaigns that text them all. Limits a bureau may change live here.
 */
export const publicWarningsSchema = z
  .object({
    /** Largest contact-list upload (CSV/XLSX), in bytes. */
    importMaxBytes: z
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024),
    /** Data rows per contact-list import; larger files are refused whole (413). */
    importMaxRows: z.number().int().min(1).max(200_000),
    /** Risk objects one campaign may name. */
    maxRiskObjects: z.number().int().min(1).max(5000),
    /** Contacts per page when the client does not say. */
    pageSizeDefault: z.number().int().min(1).max(500),
  })
  .strict();
