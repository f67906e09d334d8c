import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13. A warning's ground: `reach_geom` is the part of an area's drawn geometry that counts
 * beside the divisions its geocodes name (all of it when none is named or under
 * `feeds.cap.areaMode: union`; under `geocodeFirst` only what lies outside every division, the
 * sea). `area_mode` says which rule made it. Stored polygons follow RFC 7946 winding
 * (exterior rings counter-clockwise).
 *
 * Calls closed without an answer being needed any more: `closed_state` stood_down (the area
 * narrowed and the person is no longer in it), cancelled (the warning was cancelled or lifted),
 * superseded (an upgrade called everyone again in a new campaign); `stand_down_told_at` makes
 * the stand-down message go once per call.
 */
export class WarningReachAndStandDown1764300000753 implements MigrationInterface {
  name = 'WarningReachAndStandDown1764300000753';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table warning_areas add column reach_geom geometry(MultiPolygon, 4326)');
    await q.query('update warning_areas set geom = ST_ForcePolygonCCW(geom) where geom is not null');
    // Warnings stored before this kept the drawn geometry whole: that is what counted then.
    await q.query('update warning_areas set reach_geom = geom');
    await q.query('create index warning_areas_reach_idx on warning_areas using gist (reach_geom)');
    await q.query(
      `alter table warnings add column area_mode varchar(10) not null default 'drawn'
         check (area_mode in ('geocodes', 'drawn', 'union'))`,
    );
    await q.query(`
      alter table wakeup_calls
        add column closed_state varchar(12) check (closed_state in ('stood_down', 'cancelled', 'superseded')),
        add column closed_at timestamptz,
        add column closed_reason varchar(200),
        add column stand_down_told_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'alter table wakeup_calls drop column stand_down_told_at, drop column closed_reason, drop column closed_at, drop column closed_state',
    );
    await q.query('alter table warnings drop column area_mode');
    await q.query('drop index warning_areas_reach_idx');
    await q.query('alter table warning_areas drop column reach_geom');
  }
}
