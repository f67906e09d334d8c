import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CheckedReading } from './reading-checks';

/** Rolling-sum limit at one gauge: more than maxMm within windowMinutes is impossible. */
export interface WindowLimit {
  windowMinutes: number;
  maxMm: number;
}

/** A stored reading's key. */
export interface ReadingKey {
  stationId: string;
  observedAt: Date;
}

/** A stored row whose quality a check changed, and whether it was `ok` before the check. */
export interface QualityChange {
  stationId: string;
  observedAt: Date;
  wasOk: boolean;
}

/** A batch row refused because its interval overlaps another reading of its station. */
export interface OverlapRow {
  index: number;
  problem: string;
}

/** Quality reasons written by the window check start with this; no other check touches such rows. */
export const WINDOW_REASON_PREFIX = 'window:';

const LONGEST_INTERVAL_MIN = 1440;

/**
 * The checks that read a station's own rows around a batch: overlapping intervals (refused
 * before the upsert) and rolling-window limits (after it). Both are one statement whose cost
 * follows the rows involved, not the planner's statistics: station runs are read once by index
 * range and every sum is a window function over them, never a per-row subquery over readings.
 */
@Injectable()
export class ReadingPlausibilityRepository {
  /**
   * Locks the batch's stations (in id order, so two batches never deadlock) for the rest of the
   * transaction: two pushes for one station are judged one after the other, so an overlap or an
   * impossible window cannot slip through between them. touchStations takes the same lock at the
   * end of every ingest anyway; taking it first changes only the order.
   */
  async lockStations(stationIds: string[], m: EntityManager): Promise<void> {
    if (!stationIds.length) return;
    await m.query('select id from stations where id = any($1::uuid[]) order by id for no key update', [stationIds]);
  }

  /**
   * Rain rows whose interval (observed_at − interval, observed_at] overlaps another reading of
   * the same station — stored (unless this batch replaces it at the same time) or in the batch —
   * so their rain would be counted twice in every sum. Sorted by end time per station, a row
   * overlaps an earlier one iff the previous end is after its start, and a later one iff some
   * later row (ending at most a day later) starts before its end.
   */
  async overlaps(rows: CheckedReading[], m: EntityManager): Promise<OverlapRow[]> {
    const rain = rows.filter((r) => r.kind === 'rain' && r.intervalMinutes !== null);
    if (!rain.length) return [];
    const found: Array<{ index: number; start: Date; end: Date; otherEnd: Date; otherMinutes: number; otherStored: boolean }> =
      await m.query(OVERLAP_SQL, [
        rain.map((r) => r.index),
        rain.map((r) => r.stationId),
        rain.map((r) => r.observedAt.toISOString()),
        rain.map((r) => r.intervalMinutes),
      ]);
    return found.map((f) => ({
      index: f.index,
      problem:
        `its interval ${iso(f.start)}–${iso(f.end)} overlaps the ${f.otherMinutes}-minute reading ending ${iso(f.otherEnd)} ` +
        `${f.otherStored ? 'already stored' : 'in this batch'} for this station (its rain would be counted twice); ` +
        'send readings whose intervals do not overlap, or correct the stored ones at their own times',
    }));
  }

  /**
   * Sums every window of the configured lengths that a written rain row can share with another
   * row of its station, and stores every row inside a window over its limit as `suspect` (the
   * window is impossible as a whole: no single row can be trusted to drive a warning); a row
   * flagged by this check earlier whose windows are all plausible now (a correction) is `ok`
   * again. Rows suspect for other reasons (neighbour checks) are left alone. Only rows whose own
   * interval fits in a window count towards it. Returns the rows it changed.
   */
  async flagWindows(keys: ReadingKey[], limits: WindowLimit[], m: EntityManager): Promise<QualityChange[]> {
    if (!keys.length || !limits.length) return [];
    const rows: QualityChange[] = await m.query(windowSql(limits), [
      keys.map((k) => k.stationId),
      keys.map((k) => new Date(k.observedAt).toISOString()),
    ]);
    return rows;
  }
}

function iso(d: Date): string {
  return new Date(d).toISOString();
}

const OVERLAP_SQL = `
with i as materialized (
  select * from unnest($1::int[], $2::uuid[], $3::timestamptz[], $4::int[]) as t(idx, station_id, observed_at, iv)
), span as materialized (
  select station_id, min(observed_at - make_interval(mins => iv)) as lo, max(observed_at) as hi from i group by station_id
), s as materialized (
  -- stored rows that may overlap a batch row: ending after the earliest start, starting before
  -- the latest end (intervals are at most a day); a stored row the batch replaces is left out
  select r.station_id, r.observed_at, r.interval_minutes as iv
  from span join readings r on r.station_id = span.station_id
    and r.observed_at > span.lo and r.observed_at < span.hi + interval '${LONGEST_INTERVAL_MIN} minutes'
  left join i on i.station_id = r.station_id and i.observed_at = r.observed_at
  where r.interval_minutes is not null and i.idx is null
), u as materialized (
  select idx, station_id, observed_at, iv from i
  union all
  select null, station_id, observed_at, iv from s
), y as materialized (
  -- of two overlapping rows the one ending later starts before the end of the row just before
  -- it (the latest end among those ending earlier): found with one sort, no per-row search
  select idx, station_id, observed_at, iv, prev_end, prev_iv, prev_idx from (
    select idx, station_id, observed_at, iv,
           lag(observed_at) over w as prev_end, lag(iv) over w as prev_iv, lag(idx) over w as prev_idx
    from u window w as (partition by station_id order by observed_at)
  ) x
  where prev_end > observed_at - make_interval(mins => iv)
), pairs as (
  -- the later row of each pair, and every row ending inside its interval (the earlier rows)
  select idx, observed_at, iv, prev_end as other_end, prev_iv as other_iv, prev_idx is null as other_stored from y
  union all
  select u.idx, u.observed_at, u.iv, y.observed_at, y.iv, y.idx is null
  from y join u on u.station_id = y.station_id
    and u.observed_at > y.observed_at - make_interval(mins => y.iv) and u.observed_at < y.observed_at
)
select distinct on (idx) idx as index, observed_at - make_interval(mins => iv) as start, observed_at as "end",
       other_end as "otherEnd", other_iv as "otherMinutes", other_stored as "otherStored"
from pairs where idx is not null
order by idx, other_stored desc, other_end`;

/** Interval literal of whole minutes (config-validated integers, never user input). */
const mins = (n: number) => `interval '${Math.trunc(n)} minutes'`;

const windowSqlCache = new Map<string, string>();

/**
 * One column per configured window: s<i> is the rolling sum ending at each row (rows whose
 * interval fits the window only; numeric, as whole micro-millimetres: an int8 sum slides
 * in O(1) per row, a float8 sum is recomputed over the whole frame, a numeric one is slow). Windows over their limit (normally none) are
 * joined back to the rows they hold. Runs: each station's written times split where they are
 * more than four of the longest window apart, so the ranges read never overlap and a back-fill
 * scattered over a year reads its days, not the year.
 */
function windowSql(limits: WindowLimit[]): string {
  const key = JSON.stringify(limits);
  const cached = windowSqlCache.get(key);
  if (cached) return cached;
  const longest = Math.max(...limits.map((l) => l.windowMinutes));
  const sums = limits
    .map(
      (l, i) =>
        `sum(um) filter (where iv <= ${Math.trunc(l.windowMinutes)}) over (partition by station_id order by observed_at
           range between ${mins(l.windowMinutes)} - interval '1 microsecond' preceding and current row) as s${i}`,
    )
    .join(',\n           ');
  const checks = limits.map((l, i) => `(s${i} / 1e6, ${Math.trunc(l.windowMinutes)}, ${Number(l.maxMm)}::numeric)`).join(', ');
  // Any window of W minutes lies within ceil(W / 60) + 1 consecutive clock hours.
  const hourlySums = limits.map((l, i) => `sum(value) filter (where iv <= ${Math.trunc(l.windowMinutes)}) as m${i}`).join(', ');
  const spanSums = limits
    .map(
      (l, i) =>
        `sum(m${i}) over (partition by station_id order by h range between interval '${Math.ceil(l.windowMinutes / 60)} hours' preceding and current row) as c${i}`,
    )
    .join(',\n           ');
  const spanOver = limits.map((l, i) => `c${i} > ${Number(l.maxMm)} - 0.001`).join(' or ');
  const anyOver = limits.map((l, i) => `s${i} > ${Math.round(Number(l.maxMm) * 1e6)}`).join(' or ');
  const sql = `
with w as materialized (
  select distinct k.station_id, k.observed_at
  from unnest($1::uuid[], $2::timestamptz[]) as k(station_id, observed_at)
  join stations st on st.id = k.station_id and st.kind = 'rain'
), runs as materialized (
  select station_id, min(observed_at) as lo, max(observed_at) as hi from (
    select station_id, observed_at, count(*) filter (where gap > 4 * ${mins(longest)}) over (partition by station_id order by observed_at) as run
    from (select station_id, observed_at, observed_at - lag(observed_at) over (partition by station_id order by observed_at) as gap from w) g
  ) r group by station_id, run
), rr as materialized (
  -- rows sharing a window with a written row lie within the longest window of it (judged);
  -- the windows holding those reach one more window further (read)
  select r.station_id, r.observed_at, r.value, r.interval_minutes as iv, r.quality, r.quality_reason,
         r.observed_at > x.lo - ${mins(longest)} and r.observed_at < x.hi + ${mins(longest)} as judged
  from runs x join readings r on r.station_id = x.station_id
    and r.observed_at > x.lo - 2 * ${mins(longest)} and r.observed_at < x.hi + 2 * ${mins(longest)}
  where r.interval_minutes is not null
), hot as materialized (
  -- stations where a window can be over its limit: a window of W minutes lies within
  -- ceil(W / 60) + 1 consecutive clock hours, so where no such run of hourly sums exceeds the
  -- limit no window does (one group-by, a few hundred rows per station); and stations holding
  -- rows this check flagged before (they may be cleared)
  select station_id from (
    select station_id,
           ${spanSums}
    from (select station_id, date_bin('1 hour', observed_at, timestamptz '2000-01-01 00:00:00+00') as h, ${hourlySums} from rr group by 1, 2) g
  ) x where ${spanOver}
  union
  select station_id from rr where quality_reason like '${WINDOW_REASON_PREFIX}%'
), ends as materialized (
  -- windows over their limit, by the time they end (sliding sums only at the hot stations)
  select s.station_id, s.observed_at as e, l.win, l.lim, l.mm from (
    select station_id, observed_at,
           ${sums}
    from (select station_id, observed_at, iv, (value * 1e6)::int8 as um from rr where station_id in (select station_id from hot)) x
  ) s cross join lateral (values ${checks}) as l(mm, win, lim)
  where (${anyOver}) and l.mm > l.lim
), verdict as (
  -- every judged row inside such a window, with the worst one as its reason
  select distinct on (x.station_id, x.observed_at) x.station_id, x.observed_at,
         format('${WINDOW_REASON_PREFIX} %s mm within %s min at this gauge is over the %s mm limit for that window',
                round(e.mm, 1)::float8, e.win, e.lim::float8) as reason
  from ends e join rr x on x.station_id = e.station_id and x.judged and x.iv <= e.win
    and x.observed_at <= e.e and x.observed_at > e.e - make_interval(mins => e.win)
  order by x.station_id, x.observed_at, e.mm / e.lim desc
), v as (
  select x.station_id, x.observed_at, x.quality, x.quality_reason, d.reason
  from rr x left join verdict d on d.station_id = x.station_id and d.observed_at = x.observed_at
  where x.judged and (d.reason is not null or x.quality_reason like '${WINDOW_REASON_PREFIX}%')
), changed as (
  update readings r
  set quality = case when v.reason is null then 'ok' else 'suspect' end::reading_quality, quality_reason = v.reason
  from v
  where r.station_id = v.station_id and r.observed_at = v.observed_at
    and ((v.reason is not null and (v.quality = 'ok' or v.quality_reason like '${WINDOW_REASON_PREFIX}%') and v.reason is distinct from v.quality_reason)
      or (v.reason is null and v.quality_reason like '${WINDOW_REASON_PREFIX}%'))
  returning r.station_id, r.observed_at, v.quality = 'ok' as was_ok
)
select station_id as "stationId", observed_at as "observedAt", was_ok as "wasOk" from changed`;
  windowSqlCache.set(key, sql);
  return sql;
}
