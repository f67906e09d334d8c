import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface MeasureRow {
  id: string;
  incidentId: string;
  code: string;
  domain: string;
  text: string;
  level: string;
  townCode: string;
  addedAt: Date;
  doneAt: Date | null;
  doneBy: string | null;
  note: string | null;
}

const COLUMNS = `r.id::text, r.incident_id as "incidentId", r.code, r.domain, r.text, r.level, r.town_code as "townCode",
  r.added_at as "addedAt", r.done_at as "doneAt", r.done_by as "doneBy", r.note`;

/** The mandatory-measures checklist: one item per measure and town; added by level changes, never removed. */
@Injectable()
export class MeasureRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Adds the items not there yet; returns how many were added. */
  async addMissing(
    m: EntityManager,
    incidentId: string,
    items: Array<{ code: string; domain: string; text: string; level: string; townCode: string }>,
    at: Date,
  ): Promise<number> {
    if (!items.length) return 0;
    const rows: unknown[] = await m.query(
      `insert into response_measures (incident_id, code, domain, text, level, town_code, added_at)
       select $1, x.code, x.domain, x.text, x.level, x.town, $7
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) x(code, domain, text, level, town)
       on conflict on constraint response_measures_once do nothing returning id`,
      [
        incidentId,
        items.map((i) => i.code),
        items.map((i) => i.domain),
        items.map((i) => i.text),
        items.map((i) => i.level),
        items.map((i) => i.townCode),
        at,
      ],
    );
    return rows.length;
  }

  async list(incidentId: string, townCodes?: string[]): Promise<MeasureRow[]> {
    return this.ds.query(
      `select ${COLUMNS} from response_measures r where r.incident_id = $1 and ($2::text[] is null or r.town_code = any($2::text[]))
       order by r.id`,
      [incidentId, townCodes ?? null],
    );
  }

  async get(m: EntityManager, incidentId: string, id: string): Promise<MeasureRow | null> {
    const rows: MeasureRow[] = await m.query(
      `select ${COLUMNS} from response_measures r where r.incident_id = $1 and r.id = $2 for update`,
      [incidentId, id],
    );
    return rows[0] ?? null;
  }

  async setDone(m: EntityManager, id: string, done: boolean, by: string, note: string | null, at: Date): Promise<MeasureRow> {
    const rows: MeasureRow[] = await m.query(
      `with u as (update response_measures set done_at = case when $2 then coalesce(done_at, $5) end, done_by = case when $2 then $3 end,
                    note = coalesce($4, note) where id = $1 returning *)
       select ${COLUMNS} from u r`,
      [id, done, by, note, at],
    );
    return rows[0];
  }
}
