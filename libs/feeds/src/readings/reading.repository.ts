import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CheckedReading, StationRef } from './reading-checks';
import { QualityChange, WINDOW_REASON_PREFIX } from './reading-plausibility.repository';

export interface UpsertCounts {
  inserted: number;
  corrected: number;
}

/** Keys of rows an upsert actually wrote (inserted or corrected). */
export interface WrittenKey {
  stationId: string;
  observedAt: Date;
}

/** A written row and the quality its stored predecessor had (null: it is new). */
export interface WrittenRow extends WrittenKey {
  oldQuality: 'ok' | 'suspect' | null;
}

/** Quality reasons set by a person (ReadingQualityService); the automatic checks leave such rows alone. */
export const OPERATOR_REASON_PREFIX = 'operator:';

/** A stored reading that an ingest turned from ok to suspect, as the ingest answer shows it. */
export interface ReflaggedRow {
  stationId: string;
  stationCode: string;
  kind: string;
  observedAt: Date;
  value: number;
  intervalMinutes: number | null;
  reason: string;
}

export interface NeighbourRules {
  spikeMinMm: number;
  dryNeighbourMaxMm: number;
  radiusM: number;
  minNeighbours: number;
  unitMistakeNeighbourMinMm: number;
}

/** Named queries over readings and reading_revisions. */
@Injectable()
export class ReadingRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async stationRefs(codes: string[], manager?: EntityManager): Promise<Map<string, StationRef>> {
    const rows: Array<StationRef & { code: string }> = await this.m(manager).query(
      'select id, code, kind from stations where code = any($1::text[])',
      [codes],
    );
    return new Map(rows.map((r) => [r.code, { id: r.id, kind: r.kind }]));
  }

  /**
   * One statement per chunk: the superseded values go to reading_revisions (every part of the
   * statement reads the snapshot from before the upsert, so `readings o` is the old value), rows whose value and interval are unchanged are not
   * touched at all, so a re-sent batch writes nothing.
   */
  async upsert(
    rows: CheckedReading[],
    source: string,
    receivedAt: Date,
    manager: EntityManager,
  ): Promise<{ counts: UpsertCounts; written: WrittenRow[] }> {
    const result: Array<{ stationId: string; observedAt: Date; inserted: boolean; oldQuality: 'ok' | 'suspect' | null }> =
      await manager.query(
        `with input as (
         select * from unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::int[], $5::reading_quality[], $6::text[])
           as t(station_id, observed_at, value, interval_minutes, quality, quality_reason)
       ), up as (
         insert into readings as r (station_id, observed_at, value, interval_minutes, quality, quality_reason, source, received_at)
         select station_id, observed_at, value, interval_minutes, quality, quality_reason, $7, $8 from input
         on conflict (station_id, observed_at) do update
           set value = excluded.value, interval_minutes = excluded.interval_minutes, quality = excluded.quality,
               quality_reason = excluded.quality_reason, source = excluded.source, received_at = excluded.received_at
           where r.value is distinct from excluded.value or r.interval_minutes is distinct from excluded.interval_minutes
         returning r.station_id, r.observed_at, (xmax = 0) as inserted
       ), rev as (
         insert into reading_revisions (station_id, observed_at, value, interval_minutes, quality, quality_reason, source, received_at, superseded_at)
         select o.station_id, o.observed_at, o.value, o.interval_minutes, o.quality, o.quality_reason, o.source, o.received_at, $8
         from up u join readings o using (station_id, observed_at) where not u.inserted
       )
       select u.station_id as "stationId", u.observed_at as "observedAt", u.inserted, o.quality::text as "oldQuality"
       from up u left join readings o using (station_id, observed_at)`,
        [
          rows.map((r) => r.stationId),
          rows.map((r) => r.observedAt.toISOString()),
          rows.map((r) => r.value),
          rows.map((r) => r.intervalMinutes),
          rows.map((r) => r.quality),
          rows.map((r) => r.qualityReason),
          source,
          receivedAt,
        ],
      );
    const inserted = result.filter((r) => r.inserted).length;
    return {
      counts: { inserted, corrected: result.length - inserted },
      written: result.map((r) => ({ stationId: r.stationId, observedAt: r.observedAt, oldQuality: r.inserted ? null : r.oldQuality })),
    };
  }

  /**
   * Keeps each station's newest observation time, never later than the moment it was received
   * (a gauge clock a few minutes fast, allowed by maxFutureMinutes, must not put "last observed"
   * in the future); a silent station that reports again is ok.
   */
  async touchStations(keys: WrittenKey[], receivedAt: Date, manager: EntityManager): Promise<void> {
    if (!keys.length) return;
    await manager.query(
      `update stations s set last_observed_at = greatest(s.last_observed_at, least(m.mx, $3)), last_received_at = $3
       from (select station_id, max(observed_at) as mx from unnest($1::uuid[], $2::timestamptz[]) as t(station_id, observed_at)
             group by station_id) m
       where s.id = m.station_id`,
      [keys.map((k) => k.stationId), keys.map((k) => new Date(k.observedAt).toISOString()), receivedAt],
    );
  }

  /**
   * Neighbour checks, set-based, on freshly written rain rows and on the rows their arrival can
   * change: readings of rain stations within the radius in the hour after each written row (a
   * late neighbour can turn a spike into shared rain, or show a lone downpour was a spike).
   * The hour ending at each row is compared with the same hour at every active rain station
   * within the radius that reported in it (a silent neighbour is no evidence of dry weather).
   * A spike next to dry neighbours, or an hour 10–25.4× the neighbours' median (mm vs cm/in),
   * makes the row `suspect`; a re-checked row that no longer fits goes back to `ok`. Rows the
   * window check holds suspect (reason `window:`) are left to it. Returns the rows it changed.
   *
   * Cost is bounded whatever the planner's statistics say (a freshly truncated and analysed
   * table made the old correlated per-row sums run 30-80 s per 5,000-row chunk): the readings
   * the checks can look at are read once (the stations involved, the runs of hours the chunk
   * touches widened by 1-2 h); every hour sum is a window sum over that set sorted once, with
   * the rows to judge mixed in as probes carrying no value; rows meet other rows only through
   * hash joins on small station lists, window frames and group-bys, never a nested loop over
   * readings per row.
   */
  async flagAgainstNeighbours(keys: WrittenKey[], rules: NeighbourRules, manager: EntityManager): Promise<QualityChange[]> {
    if (!keys.length) return [];
    return manager.query(NEIGHBOUR_CHECK_SQL, [
      keys.map((k) => k.stationId),
      keys.map((k) => new Date(k.observedAt).toISOString()),
      rules.radiusM,
      rules.minNeighbours,
      rules.spikeMinMm,
      rules.dryNeighbourMaxMm,
      rules.unitMistakeNeighbourMinMm,
    ]);
  }

  /** Marks readings that turned from ok to suspect in this ingest (the moment the evidence went). */
  async markFlagged(keys: WrittenKey[], at: Date, manager: EntityManager): Promise<void> {
    if (!keys.length) return;
    await manager.query(
      `update readings r set flagged_at = $3 from unnest($1::uuid[], $2::timestamptz[]) as k(station_id, observed_at)
       where r.station_id = k.station_id and r.observed_at = k.observed_at`,
      [keys.map((k) => k.stationId), keys.map((k) => new Date(k.observedAt).toISOString()), at],
    );
  }

  /** Of these keys, the ones stored suspect now, with what the ingest answer shows of them. */
  async suspectAmong(keys: WrittenKey[], manager: EntityManager): Promise<ReflaggedRow[]> {
    if (!keys.length) return [];
    return manager.query(
      `select r.station_id as "stationId", s.code as "stationCode", s.kind::text as kind, r.observed_at as "observedAt",
              r.value, r.interval_minutes as "intervalMinutes", r.quality_reason as reason
       from unnest($1::uuid[], $2::timestamptz[]) as k(station_id, observed_at)
       join readings r on r.station_id = k.station_id and r.observed_at = k.observed_at
       join stations s on s.id = r.station_id
       where r.quality = 'suspect'
       order by s.code, r.observed_at`,
      [keys.map((k) => k.stationId), keys.map((k) => new Date(k.observedAt).toISOString())],
    );
  }

  /**
   * Sets one reading's quality by hand; flagged_at when it goes from ok to suspect. Returns its
   * value, whether it changed and whether evidence was withdrawn; undefined when there is no such reading.
   */
  async setQuality(
    stationId: string,
    observedAt: Date,
    quality: 'ok' | 'suspect',
    reason: string | null,
    at: Date,
    manager: EntityManager,
  ): Promise<{ value: number; changed: boolean; withdrawn: boolean } | undefined> {
    const rows: Array<{ value: number; changed: boolean; withdrawn: boolean }> = await manager.query(
      `with p as (select $3::text as q, $4::text as reason, $5::timestamptz as at),
       old as (select quality::text as quality, quality_reason from readings where station_id = $1 and observed_at = $2),
       up as (
         update readings r set quality = p.q::reading_quality, quality_reason = p.reason,
                flagged_at = case when r.quality = 'ok' and p.q = 'suspect' then p.at else r.flagged_at end
         from p
         where r.station_id = $1 and r.observed_at = $2
         returning r.value
       )
       select up.value, (old.quality <> p.q or old.quality_reason is distinct from p.reason) as changed,
              (old.quality = 'ok' and p.q = 'suspect') as withdrawn
       from up, old, p`,
      [stationId, observedAt, quality, reason, at],
    );
    return rows[0];
  }

  /** How many of these keys are stored suspect now. */
  async countSuspect(keys: WrittenKey[], manager: EntityManager): Promise<number> {
    if (!keys.length) return 0;
    const rows: Array<{ n: number }> = await manager.query(
      `select count(*)::int as n from unnest($1::uuid[], $2::timestamptz[]) as k(station_id, observed_at)
       join readings r on r.station_id = k.station_id and r.observed_at = k.observed_at where r.quality = 'suspect'`,
      [keys.map((k) => k.stationId), keys.map((k) => new Date(k.observedAt).toISOString())],
    );
    return rows[0]?.n ?? 0;
  }

  /** Stored readings of one station in (from, to], oldest first, with how often each was corrected. */
  async list(stationId: string, from: Date, to: Date, limit: number): Promise<ReadingRow[]> {
    return this.m().query(
      `select r.observed_at as "observedAt", r.value, r.interval_minutes as "intervalMinutes", r.quality,
              r.quality_reason as "qualityReason", r.source, r.received_at as "receivedAt",
              (select count(*)::int from reading_revisions v where v.station_id = r.station_id and v.observed_at = r.observed_at) as revisions
       from readings r where r.station_id = $1 and r.observed_at > $2 and r.observed_at <= $3
       order by r.observed_at limit $4`,
      [stationId, from, to, limit],
    );
  }
}

export interface ReadingRow {
  observedAt: Date;
  value: number;
  intervalMinutes: number | null;
  quality: 'ok' | 'suspect';
  qualityReason: string | null;
  source: string;
  receivedAt: Date;
  revisions: number;
}

/**
 * The hour ending at a row is (observed_at - 1 h, observed_at]; as a window frame over
 * timestamps of microsecond resolution that is "1 h - 1 µs preceding and current row" (peers,
 * rows at the same time, are in the frame, so a probe sees the reading at its own time).
 */
const HOUR_FRAME = `range between interval '1 hour' - interval '1 microsecond' preceding and current row`;

const NEIGHBOUR_CHECK_SQL = `
with w as materialized (
  select distinct station_id, observed_at from unnest($1::uuid[], $2::timestamptz[]) as w(station_id, observed_at)
), wr as materialized (
  select s.id, s.geom from stations s where s.kind = 'rain' and s.id in (select station_id from w)
), near as materialized (
  -- rain stations (active or not) whose rows a written row can re-judge
  select wr.id as src, n.id as nid from wr
  join stations n on n.kind = 'rain' and n.id <> wr.id and st_dwithin(n.geom::geography, wr.geom::geography, $3)
), cand as materialized (
  select id from wr union select nid from near
), pairs as materialized (
  -- each candidate's active rain neighbours, the stations its hour is compared with
  select c.id as sid, n.id as nid from cand c join stations cs on cs.id = c.id
  join stations n on n.kind = 'rain' and n.active and n.id <> c.id and st_dwithin(n.geom::geography, cs.geom::geography, $3)
), hrs as (
  select distinct date_trunc('hour', observed_at) as h from w
), isl as materialized (
  -- the written hours in runs (a gap over 3 h starts a new one); a row in hour h needs readings
  -- in (h - 1 h, h + 2 h), so the runs' ranges are disjoint and a back-fill scattered over a
  -- year reads its hours, not the year
  select min(h) - interval '1 hour' as lo, max(h) + interval '2 hours' as hi
  from (select h, count(*) filter (where gap > interval '3 hours') over (order by h) as run
        from (select h, h - lag(h) over (order by h) as gap from hrs) g) r
  group by run
), rr as materialized (
  -- every reading the checks can look at, read once
  select r.station_id, r.observed_at, r.value, r.quality, r.quality_reason
  from isl join readings r on r.observed_at > isl.lo and r.observed_at < isl.hi
  where r.station_id = any (array(select id from cand union select nid from pairs))
), aff as materialized (
  -- rows of nearby rain stations in the hour after a written row (a probe in their hour)
  select station_id, observed_at from (
    select u.station_id, u.observed_at, u.probe, u.value, u.quality,
           count(*) filter (where u.probe) over (partition by u.station_id order by u.observed_at ${HOUR_FRAME}) as hits
    from (
      select station_id, observed_at, value, quality, false as probe from rr
      union all
      select distinct n.nid, w.observed_at, null::float8, null::reading_quality, true from w join near n on n.src = w.station_id
    ) u
  ) x
  where not x.probe and x.hits > 0 and (x.quality = 'suspect' or x.value > 0)
), t as materialized (
  select distinct on (station_id, observed_at) station_id, observed_at, written from (
    select station_id, observed_at, true as written from w
    union all
    select station_id, observed_at, false from aff
  ) x
  order by station_id, observed_at, written desc
), own as materialized (
  -- the hour ending at each row to judge; only one big enough to be a spike or a 10x unit
  -- slip needs its neighbours asked (a station that is not a rain gauge has none in rr)
  select station_id, observed_at, mm from (
    select u.station_id, u.observed_at, u.probe, coalesce(sum(u.value) over (partition by u.station_id order by u.observed_at ${HOUR_FRAME}), 0) as mm
    from (
      select station_id, observed_at, value, false as probe from rr
      union all
      select station_id, observed_at, null, true from t
    ) u
  ) x
  where x.probe and x.mm >= least($5, 10 * $7) and x.mm > 0
), nbs as (
  -- the same hour at each active neighbour of such a row; one that did not report is left out
  select owner, observed_at, own_mm, mm from (
    select u.owner, u.observed_at, u.own_mm,
           sum(u.value) over f as mm, count(u.value) over f as readings
    from (
      select station_id, observed_at, value, null::uuid as owner, null::float8 as own_mm from rr
      union all
      select p.nid, o.observed_at, null, o.station_id, o.mm from own o join pairs p on p.sid = o.station_id
    ) u
    window f as (partition by u.station_id order by u.observed_at ${HOUR_FRAME})
  ) x
  where x.owner is not null and x.readings > 0
), verdict as (
  select station_id, observed_at,
    case
      when n >= $4 and mm >= $5 and mx < $6
        then format('spike: %s mm in the hour while %s neighbours within %s km got under %s mm', round(mm::numeric, 1)::float8, n, $3 / 1000, $6)
      when n >= $4 and med >= $7 and mm / med between 10 and 26
        then format('possible unit mistake: hour total %s× the neighbours'' median (%s mm)', round((mm / med)::numeric, 1)::float8, round(med::numeric, 1)::float8)
    end as reason
  from (
    select owner as station_id, observed_at, own_mm as mm, count(*) as n, max(mm) as mx,
           percentile_cont(0.5) within group (order by mm) as med
    from nbs group by owner, observed_at, own_mm
  ) nb
), decided as (
  -- each judged row once, with its new reason and the one stored now (group-by, not joins)
  select station_id, observed_at, bool_or(written) as written, bool_or(stored) as stored, max(reason) as reason, max(cur) as cur
  from (
    select station_id, observed_at, written, true as judged, false as stored, null::text as reason, null::text as cur from t
    union all
    select station_id, observed_at, false, false, false, reason, null from verdict
    union all
    select station_id, observed_at, false, false, true, null, quality_reason from rr
  ) x
  group by station_id, observed_at
  having bool_or(judged)
), changed as (
  update readings r set quality = case when d.reason is null then 'ok' else 'suspect' end::reading_quality, quality_reason = d.reason
  from decided d
  where d.stored and d.reason is distinct from d.cur
    and (d.cur is null or (d.cur not like '${WINDOW_REASON_PREFIX}%' and d.cur not like '${OPERATOR_REASON_PREFIX}%'))
    and r.station_id = d.station_id and r.observed_at = d.observed_at
  returning r.station_id, r.observed_at, d.cur is null as was_ok
)
select station_id as "stationId", observed_at as "observedAt", was_ok as "wasOk" from changed`;
