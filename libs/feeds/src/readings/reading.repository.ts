import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CheckedReading, StationRef } from './reading-checks';

export interface UpsertCounts {
  inserted: number;
  corrected: number;
}

/** Keys of rows an upsert actually wrote (inserted or corrected). */
export interface WrittenKey {
  stationId: string;
  observedAt: Date;
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
  ): Promise<{ counts: UpsertCounts; written: WrittenKey[] }> {
    const result: Array<{ stationId: string; observedAt: Date; inserted: boolean }> = await manager.query(
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
       select station_id as "stationId", observed_at as "observedAt", inserted from up`,
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
      written: result.map((r) => ({ stationId: r.stationId, observedAt: r.observedAt })),
    };
  }

  /** Keeps each station's newest observation time; a silent station that reports again is ok. */
  async touchStations(keys: WrittenKey[], receivedAt: Date, manager: EntityManager): Promise<void> {
    if (!keys.length) return;
    await manager.query(
      `update stations s set last_observed_at = greatest(s.last_observed_at, m.mx), last_received_at = $3
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
   * makes the row `suspect`; a re-checked row that no longer fits goes back to `ok`.
   * Returns how many of the written rows are suspect.
   */
  async flagAgainstNeighbours(keys: WrittenKey[], rules: NeighbourRules, manager: EntityManager): Promise<number> {
    if (!keys.length) return 0;
    const rows: Array<{ n: number }> = await manager.query(
      `with w as (
         select distinct * from unnest($1::uuid[], $2::timestamptz[]) as w(station_id, observed_at)
       ), t as (
         select station_id, observed_at, true as written from w
         union
         select r.station_id, r.observed_at, false
         from w join stations ws on ws.id = w.station_id and ws.kind = 'rain'
         join stations n on n.kind = 'rain' and n.id <> ws.id and st_dwithin(n.geom::geography, ws.geom::geography, $3)
         join readings r on r.station_id = n.id and r.observed_at >= w.observed_at and r.observed_at < w.observed_at + interval '1 hour'
         where (r.quality = 'suspect' or r.value > 0)
           and not exists (select 1 from w w2 where w2.station_id = r.station_id and w2.observed_at = r.observed_at)
       ), own as (
         select t.station_id, t.observed_at, s.geom, h.mm
         from t join stations s on s.id = t.station_id and s.kind = 'rain'
         cross join lateral (
           select coalesce(sum(r.value), 0) as mm from readings r
           where r.station_id = t.station_id and r.observed_at > t.observed_at - interval '1 hour' and r.observed_at <= t.observed_at
         ) h
         -- Only an hour big enough to be a spike or a 10× unit slip needs its neighbours asked.
         where h.mm >= least($5, 10 * $7) and h.mm > 0
       ), nb as (
         select o.station_id, o.observed_at, o.mm, count(*) as n, max(nm.mm) as mx,
                percentile_cont(0.5) within group (order by nm.mm) as med
         from own o
         join stations n on n.kind = 'rain' and n.active and n.id <> o.station_id
           and st_dwithin(n.geom::geography, o.geom::geography, $3)
         cross join lateral (
           select sum(r.value) as mm from readings r
           where r.station_id = n.id and r.observed_at > o.observed_at - interval '1 hour' and r.observed_at <= o.observed_at
         ) nm
         where nm.mm is not null
         group by o.station_id, o.observed_at, o.mm
       ), verdict as (
         select station_id, observed_at,
           case
             when n >= $4 and mm >= $5 and mx < $6
               then format('spike: %s mm in the hour while %s neighbours within %s km got under %s mm', round(mm::numeric, 1)::float8, n, $3 / 1000, $6)
             when n >= $4 and med >= $7 and mm / med between 10 and 26
               then format('possible unit mistake: hour total %s× the neighbours'' median (%s mm)', round((mm / med)::numeric, 1)::float8, round(med::numeric, 1)::float8)
           end as reason
         from nb
       ), decided as (
         select distinct t.station_id, t.observed_at, t.written, v.reason
         from t left join verdict v using (station_id, observed_at)
       ), changed as (
         update readings r set quality = case when d.reason is null then 'ok' else 'suspect' end::reading_quality, quality_reason = d.reason
         from decided d
         where r.station_id = d.station_id and r.observed_at = d.observed_at
           and r.quality_reason is distinct from d.reason
       )
       select count(*)::int as n from decided where written and reason is not null`,
      [
        keys.map((k) => k.stationId),
        keys.map((k) => new Date(k.observedAt).toISOString()),
        rules.radiusM,
        rules.minNeighbours,
        rules.spikeMinMm,
        rules.dryNeighbourMaxMm,
        rules.unitMistakeNeighbourMinMm,
      ],
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
