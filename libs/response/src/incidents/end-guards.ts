import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Incident } from './incident.types';

/**
 * Work that must be finished before a response ends (the evacuation's open transfer orders, …).
 * Later libraries provide guards under this token (a multi-provider visible to ResponseModule)
 * or, without a dependency of response on them, call `IncidentEndGuards.register` at init.
 */
export const INCIDENT_END_GUARDS = 'INCIDENT_END_GUARDS';

export interface OpenWork {
  /** The rule the 409 names, e.g. `no-open-transfer-orders`. */
  rule: string;
  count: number;
  what: string;
}

export interface IncidentEndGuard {
  /** In the ending transaction (the incident row is locked). Null when nothing is open. */
  openWork(m: EntityManager, incident: Incident): Promise<OpenWork | null>;
}

@Injectable()
export class IncidentEndGuards {
  private readonly guards: IncidentEndGuard[];

  constructor(@Optional() @Inject(INCIDENT_END_GUARDS) provided?: IncidentEndGuard | IncidentEndGuard[]) {
    this.guards = provided ? (Array.isArray(provided) ? [...provided] : [provided]) : [];
  }

  register(guard: IncidentEndGuard): void {
    this.guards.push(guard);
  }

  async openWork(m: EntityManager, incident: Incident): Promise<OpenWork[]> {
    const out: OpenWork[] = [];
    for (const g of this.guards) {
      const w = await g.openWork(m, incident);
      if (w && w.count > 0) out.push(w);
    }
    return out;
  }
}
