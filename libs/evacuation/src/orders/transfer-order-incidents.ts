import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppError, CommonErrors } from '@fangxun/common';
import { IncidentEndGuards, IncidentService, ResponseErrors } from '@fangxun/response';

/**
 * Transfer orders may name the response incident they serve (it must be active), and an
 * incident does not end (without `force`) while one of its transfer orders is still in force:
 * nobody goes home on a response that ended by oversight.
 */
@Injectable()
export class TransferOrderIncidents implements OnModuleInit {
  constructor(
    private readonly incidents: IncidentService,
    private readonly guards: IncidentEndGuards,
  ) {}

  onModuleInit(): void {
    this.guards.register({
      openWork: async (m, incident) => {
        const [{ n }]: Array<{ n: number }> = await m.query(
          `select count(*)::int as n from evac_orders where incident_id = $1 and state = 'active'`,
          [incident.id],
        );
        return n ? { rule: 'no-open-transfer-orders', count: n, what: `${n} transfer order(s) still in force` } : null;
      },
    });
  }

  /** 404 for no such incident, 409 when it is not active. */
  async requireActive(id: string): Promise<void> {
    const incident = await this.incidents.get(id);
    if (!incident)
      throw new AppError(CommonErrors.NotFound, `incident ${id} not found`, [{ field: 'incidentId', problem: `no incident ${id}` }]);
    if (incident.status !== 'active') {
      throw new AppError(ResponseErrors.NotActive, `incident ${id} is ${incident.status}`, [
        { field: 'incidentId', problem: `rule transfer-orders-need-active-incident: the incident is ${incident.status}` },
      ]);
    }
  }
}
