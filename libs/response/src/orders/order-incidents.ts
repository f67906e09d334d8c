import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppError, CommonErrors } from '@fangxun/common';
import { IncidentEndGuards } from '../incidents/end-guards';
import { IncidentService } from '../incidents/incident.service';
import { ResponseErrors } from '../response.errors';

/**
 * Orders and sheet chains hang on an incident: they may be issued only while it is active, and
 * the incident does not end (without `force`) while an order of it is still open.
 */
@Injectable()
export class OrderIncidents implements OnModuleInit {
  constructor(
    private readonly incidents: IncidentService,
    private readonly guards: IncidentEndGuards,
  ) {}

  onModuleInit(): void {
    this.guards.register({
      openWork: async (m, incident) => {
        const [{ n }]: Array<{ n: number }> = await m.query(
          `select count(*)::int as n from response_orders where incident_id = $1 and state <> 'completed'`,
          [incident.id],
        );
        return n ? { rule: 'no-open-orders', count: n, what: `${n} order(s) not yet completed` } : null;
      },
    });
  }

  /** 404 for no such incident, 409 when it is not active (proposed, ended or dismissed). */
  async requireActive(id: string, field = 'incidentId'): Promise<void> {
    const incident = await this.incidents.get(id);
    if (!incident) throw new AppError(CommonErrors.NotFound, `incident ${id} not found`, [{ field, problem: `no incident ${id}` }]);
    if (incident.status !== 'active') {
      throw new AppError(ResponseErrors.NotActive, `incident ${id} is ${incident.status}: orders need an active response`, [
        { field, problem: `rule orders-need-active-incident: the incident is ${incident.status}` },
      ]);
    }
  }
}
