import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface FeedHealthAlertRow {
  id: string;
  stationCode: string;
  stationName: string;
  divisionCode: string;
  divisionPath: string;
  kind: 'silent';
  openedAt: Date;
  lastObservedAt: Date | null;
  closedAt: Date | null;
}

/** A station whose liveness just changed, with what a consumer of the outbox event needs. */
export interface LivenessChange {
  stationId: string;
  stationCode: string;
  stationName: string;
  kind: string;
  divisionCode: string;
  lastObservedAt: Date | null;
  alertId: string | null;
}

const CHANGE_COLUMNS = `select x.id as "stationId", s.code as "stationCode", s.name as "stationName", s.kind::text as kind,
       d.code as "divisionCode", x.last_observed_at as "lastObservedAt", a.id as "alertId"`;

/** Named queries over station liveness and feed_health_alerts. */
@Injectable()
export class StationLivenessRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Claims active `ok` stations whose newest observation (or creation, for one that never
   * reported) is older than their threshold, skipping rows another worker holds, marks them
   * silent and opens one alert each. Returns the station ids that went silent.
   */
  async markSilent(now: Date, defaultMinutes: number, manager: EntityManager): Promise<LivenessChange[]> {
    return manager.query(
      `with due as (
         select id from stations
         where active and liveness = 'ok'
           and coalesce(last_observed_at, created_at) < $1::timestamptz - make_interval(mins => coalesce(silent_after_minutes, $2))
         for update skip locked
       ), silenced as (
         update stations s set liveness = 'silent', updated_at = $1 from due where s.id = due.id
         returning s.id, s.last_observed_at
       ), opened as (
         insert into feed_health_alerts (station_id, kind, opened_at, last_observed_at)
         select id, 'silent', $1, last_observed_at from silenced
         on conflict (station_id, kind) where closed_at is null do nothing
         returning id, station_id
       )
       ${CHANGE_COLUMNS} from silenced x join stations s on s.id = x.id join registry_divisions d on d.id = s.division_id
       left join opened a on a.station_id = x.id order by s.code`,
      [now, defaultMinutes],
    );
  }

  /**
   * Silent stations (of the given ids, or all) whose newest observation is within their
   * threshold again go back to `ok`, and their open alerts are closed.
   */
  async markAlive(now: Date, defaultMinutes: number, ids: string[] | null, manager: EntityManager): Promise<LivenessChange[]> {
    return manager.query(
      `with back as (
         update stations s set liveness = 'ok', updated_at = $1
         where s.liveness = 'silent' and ($3::uuid[] is null or s.id = any($3::uuid[]))
           and s.last_observed_at >= $1::timestamptz - make_interval(mins => coalesce(s.silent_after_minutes, $2))
         returning s.id, s.last_observed_at
       ), closed as (
         update feed_health_alerts a set closed_at = greatest($1, a.opened_at)
         from back where a.station_id = back.id and a.closed_at is null
         returning a.id, a.station_id
       )
       ${CHANGE_COLUMNS} from back x join stations s on s.id = x.id join registry_divisions d on d.id = s.division_id
       left join closed a on a.station_id = x.id order by s.code`,
      [now, defaultMinutes, ids],
    );
  }

  /** Stations that were deactivated stop being silent: nobody expects them to report. */
  async closeForInactive(now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `with s as (update stations set liveness = 'ok' where not active and liveness = 'silent' returning id)
       update feed_health_alerts a set closed_at = greatest($1, a.opened_at) from s where a.station_id = s.id and a.closed_at is null`,
      [now],
    );
  }

  async listAlerts(withinPath: string, open: boolean | undefined, limit: number, manager?: EntityManager): Promise<FeedHealthAlertRow[]> {
    return (manager ?? this.ds.manager).query(
      `select a.id, s.code as "stationCode", s.name as "stationName", d.code as "divisionCode", d.path::text as "divisionPath",
              a.kind, a.opened_at as "openedAt", a.last_observed_at as "lastObservedAt", a.closed_at as "closedAt"
       from feed_health_alerts a join stations s on s.id = a.station_id join registry_divisions d on d.id = s.division_id
       where d.path <@ $1::ltree and ($2::boolean is null or (a.closed_at is null) = $2)
       order by a.opened_at desc, a.id limit $3`,
      [withinPath, open ?? null, limit],
    );
  }
}
