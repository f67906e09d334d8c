import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@fangxun/database';

export interface VesselPositionRow {
  reportedAt: Date;
  lon: number;
  lat: number;
  inPort: boolean;
  receivedAt: Date;
}

const COLUMNS = `reported_at as "reportedAt", st_x(position) as lon, st_y(position) as lat, in_port as "inPort", received_at as "receivedAt"`;

/** Where fishing boats have been: every report kept, the boat itself showing the newest. */
@Injectable()
export class VesselPositionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Keeps the report in history and moves the boat only if the report is newer than the one it
   * shows. The conditional update is one statement under the row lock, so two reports racing
   * leave the newer one in place whatever order they commit in. A repeat of a stored report
   * (same time) is not stored twice; `current` says whether the boat now shows this report.
   */
  async report(
    id: string,
    p: { reportedAt: string; lon: number; lat: number; inPort: boolean },
  ): Promise<{ stored: boolean; current: boolean }> {
    return inTransaction(this.ds, async (m) => {
      const stored: unknown[] = await m.query(
        `insert into vessel_positions (risk_object_id, reported_at, position, in_port)
         values ($1, $2::timestamptz, st_setsrid(st_makepoint($3, $4), 4326), $5)
         on conflict (risk_object_id, reported_at) do nothing returning 1`,
        [id, p.reportedAt, p.lon, p.lat, p.inPort],
      );
      await m.query(
        `update risk_objects
         set geom = st_setsrid(st_makepoint($3, $4), 4326), position_reported_at = $2::timestamptz,
             attributes = jsonb_set(attributes, '{inPort}', to_jsonb($5::boolean))
         where id = $1 and (position_reported_at is null or position_reported_at < $2::timestamptz)`,
        [id, p.reportedAt, p.lon, p.lat, p.inPort],
      );
      const [shown]: Array<{ current: boolean }> = await m.query(
        'select coalesce(position_reported_at = $2::timestamptz, false) as current from risk_objects where id = $1',
        [id, p.reportedAt],
      );
      return { stored: stored.length > 0, current: !!shown?.current };
    });
  }

  async history(id: string, limit: number): Promise<VesselPositionRow[]> {
    return this.ds.query(`select ${COLUMNS} from vessel_positions where risk_object_id = $1 order by reported_at desc limit $2`, [
      id,
      limit,
    ]);
  }
}
