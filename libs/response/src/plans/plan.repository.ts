import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface ControlPointRow {
  id: string;
  planCode: string;
  kind: 'road' | 'point';
  riskObjectId: string;
  code: string;
  name: string;
  divisionPath: string;
  status: 'pending' | 'controlled' | 'released';
  statusAt: Date | null;
  statusBy: string | null;
}

export interface ActivationRow {
  planCode: string;
  activatedBy: string;
  activatedAt: Date;
  shortfall: Array<{ kind: string; expected: number; found: number }>;
}

const CP_COLUMNS = `c.id::text, c.plan_code as "planCode", c.kind, c.risk_object_id as "riskObjectId", c.code, c.name,
  c.division_path as "divisionPath", c.status, c.status_at as "statusAt", c.status_by as "statusBy"`;

/** Special plans activated per incident and the control points they named. */
@Injectable()
export class PlanRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** False when the plan was already active for the incident. */
  async activate(m: EntityManager, incidentId: string, a: ActivationRow): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `insert into response_plan_activations (incident_id, plan_code, activated_by, activated_at, shortfall) values ($1, $2, $3, $4, $5)
       on conflict on constraint response_plan_activations_once do nothing returning id`,
      [incidentId, a.planCode, a.activatedBy, a.activatedAt, JSON.stringify(a.shortfall)],
    );
    return rows.length > 0;
  }

  async activations(incidentId: string): Promise<ActivationRow[]> {
    return this.ds.query(
      `select plan_code as "planCode", activated_by as "activatedBy", activated_at as "activatedAt", shortfall
       from response_plan_activations where incident_id = $1 order by id`,
      [incidentId],
    );
  }

  async addControlPoints(
    m: EntityManager,
    incidentId: string,
    planCode: string,
    points: Array<{ kind: 'road' | 'point'; id: string; code: string; name: string; divisionPath: string }>,
  ): Promise<number> {
    if (!points.length) return 0;
    const rows: unknown[] = await m.query(
      `insert into response_control_points (incident_id, plan_code, kind, risk_object_id, code, name, division_path)
       select $1, $2, x.kind, x.id, x.code, x.name, x.path
       from unnest($3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[]) x(kind, id, code, name, path)
       on conflict on constraint response_control_points_once do nothing returning id`,
      [
        incidentId,
        planCode,
        points.map((p) => p.kind),
        points.map((p) => p.id),
        points.map((p) => p.code),
        points.map((p) => p.name),
        points.map((p) => p.divisionPath),
      ],
    );
    return rows.length;
  }

  /** Control points of the incident, those under `withinPath` only when given (a town's own). */
  async controlPoints(incidentId: string, withinPath?: string): Promise<ControlPointRow[]> {
    return this.ds.query(
      `select ${CP_COLUMNS} from response_control_points c
       where c.incident_id = $1 and ($2::ltree is null or c.division_path::ltree <@ $2::ltree) order by c.kind desc, c.id`,
      [incidentId, withinPath ?? null],
    );
  }

  async setStatus(m: EntityManager, incidentId: string, id: string, status: ControlPointRow['status'], by: string, at: Date) {
    const rows: ControlPointRow[] = await m.query(
      `with u as (update response_control_points set status = $3, status_by = $4, status_at = $5 where incident_id = $1 and id = $2 returning *)
       select ${CP_COLUMNS} from u c`,
      [incidentId, id, status, by, at],
    );
    return rows[0] ?? null;
  }

  async controlPoint(incidentId: string, id: string): Promise<ControlPointRow | null> {
    const rows: ControlPointRow[] = await this.ds.query(
      `select ${CP_COLUMNS} from response_control_points c where c.incident_id = $1 and c.id = $2`,
      [incidentId, id],
    );
    return rows[0] ?? null;
  }
}
