/** One time range asked of a feed that accepts from/to parameters. */
export interface PollWindow {
  from: Date;
  to: Date;
}

export interface BackfillLimits {
  backfillChunkMinutes: number;
  backfillMaxMinutes: number;
}

/**
 * The ranges one poll asks for, oldest first: from the cursor (the last reading we saw) up to
 * now in chunks, so that after an outage the gap is filled without one giant request. The
 * cursor's own instant is asked again on purpose: re-ingesting it is idempotent and a
 * correction sent since is picked up. Gaps older than backfillMaxMinutes are left to the CSV
 * back-fill. With no cursor yet, one chunk back from now.
 */
export function planWindows(now: Date, lastObservedAt: Date | null, limits: BackfillLimits): PollWindow[] {
  const chunk = limits.backfillChunkMinutes * 60_000;
  const floor = now.getTime() - limits.backfillMaxMinutes * 60_000;
  let from = Math.max(lastObservedAt ? lastObservedAt.getTime() : now.getTime() - chunk, floor);
  const windows: PollWindow[] = [];
  do {
    const to = Math.min(from + chunk, now.getTime());
    windows.push({ from: new Date(from), to: new Date(to) });
    from = to;
  } while (from < now.getTime());
  return windows;
}
