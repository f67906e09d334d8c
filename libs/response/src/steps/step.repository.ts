import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface ChecklistItem {
  text: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
}

export interface StepNote {
  at: string;
  by: string;
  text: string;
}

export type StepStatus = 'pending' | 'started' | 'done' | 'skipped';

export interface StepRow {
  id: string;
  incidentId: string;
  seq: number;
  code: string;
  name: string;
  ownerGroup: string;
  planCode: string | null;
  checklist: ChecklistItem[];
  status: StepStatus;
  startedAt: Date | null;
  doneAt: Date | null;
  notes: StepNote[];
  updatedBy: string | null;
}

const COLUMNS = `s.id::text, s.incident_id as "incidentId", s.seq, s.code, s.name, s.owner_group as "ownerGroup", s.plan_code as "planCode",
  s.checklist, s.status, s.started_at as "startedAt", s.done_at as "doneAt", s.notes, s.updated_by as "updatedBy"`;

export interface NewStep {
  code: string;
  name: string;
  ownerGroup: string;
  planCode: string | null;
  checklist: string[];
}

/** The command steps of each incident, in order. */
@Injectable()
export class StepRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Appends the steps not there yet after the last one (a plan's steps come after the standard ones). */
  async addMissing(m: EntityManager, incidentId: string, steps: NewStep[]): Promise<number> {
    if (!steps.length) return 0;
    const rows: unknown[] = await m.query(
      `insert into response_steps (incident_id, seq, code, name, owner_group, plan_code, checklist)
       select $1, coalesce((select max(seq) from response_steps where incident_id = $1), 0) + x.ord, x.code, x.name, x.owner, x.plan, x.checklist
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) with ordinality x(code, name, owner, plan, checklist, ord)
       on conflict on constraint response_steps_once do nothing returning id`,
      [
        incidentId,
        steps.map((s) => s.code),
        steps.map((s) => s.name),
        steps.map((s) => s.ownerGroup),
        steps.map((s) => s.planCode),
        steps.map((s) => JSON.stringify(s.checklist.map((text) => ({ text, done: false, doneAt: null, doneBy: null })))),
      ],
    );
    return rows.length;
  }

  async list(incidentId: string): Promise<StepRow[]> {
    return this.ds.query(`select ${COLUMNS} from response_steps s where s.incident_id = $1 order by s.seq`, [incidentId]);
  }

  async lock(m: EntityManager, incidentId: string, code: string): Promise<StepRow | null> {
    const rows: StepRow[] = await m.query(`select ${COLUMNS} from response_steps s where s.incident_id = $1 and s.code = $2 for update`, [
      incidentId,
      code,
    ]);
    return rows[0] ?? null;
  }

  async save(m: EntityManager, s: StepRow): Promise<StepRow> {
    const rows: StepRow[] = await m.query(
      `with u as (update response_steps set status = $2, started_at = $3, done_at = $4, checklist = $5, notes = $6, updated_by = $7
                  where id = $1 returning *)
       select ${COLUMNS} from u s`,
      [s.id, s.status, s.startedAt, s.doneAt, JSON.stringify(s.checklist), JSON.stringify(s.notes), s.updatedBy],
    );
    return rows[0];
  }
}
