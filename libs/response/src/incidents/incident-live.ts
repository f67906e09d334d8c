import './incident.events';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { OutboxService } from '@fangxun/database';
import type { RealtimeEvent } from '@fangxun/notify';
import { RealtimeService, Rooms } from '@fangxun/notify';
import { toIncidentDto } from './incident.mapper';
import type { Incident } from './incident.types';

/** Outbox topics and /command events of the response (one name for both). */
export const RESPONSE_EVENTS = {
  incidentChanged: 'response.incident_changed',
  stepChanged: 'response.step_changed',
  groupChanged: 'response.group_changed',
  measureChanged: 'response.measure_changed',
  planActivated: 'response.plan_activated',
  controlPointChanged: 'response.control_point_changed',
} as const;

/** The events of a change inside an incident (everything but the incident itself). */
export type ResponseDetailEvent = (typeof RESPONSE_EVENTS)[Exclude<keyof typeof RESPONSE_EVENTS, 'incidentChanged'>];

/**
 * Every change of the response, in its own transaction: an outbox event (for other modules and
 * the audit) and durable /command events — the whole incident to the city's screens (`command`
 * room), and each town's part to that town's room (`division:<code>`; a division event also
 * reaches the screens above it, so city screens see the town parts too, marked `view: town`).
 */
@Injectable()
export class IncidentLive {
  constructor(
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async incident(m: EntityManager, i: Incident, action: string, extra: Record<string, unknown> = {}): Promise<void> {
    const dto = toIncidentDto(i, this.config, null);
    await this.outbox.append(m, { topic: RESPONSE_EVENTS.incidentChanged, key: i.id, payload: { action, ...extra, incident: { ...dto } } });
    await this.realtime.publish(m, [
      { room: Rooms.command, event: RESPONSE_EVENTS.incidentChanged, payload: { action, ...extra, incident: { ...dto } } },
      ...i.townCodes.map((t): RealtimeEvent => ({
        room: Rooms.division(t),
        event: RESPONSE_EVENTS.incidentChanged,
        payload: { action, ...extra, incident: { ...toIncidentDto(i, this.config, null, t) } },
      })),
    ]);
  }

  /** A change inside an incident (a step, a group, a checklist item), to the city and, when it belongs to a town, that town. */
  async detail(
    m: EntityManager,
    event: ResponseDetailEvent,
    incidentId: string,
    payload: Record<string, unknown>,
    townCode?: string | null,
  ): Promise<void> {
    await this.outbox.append(m, { topic: event, key: incidentId, payload: { incidentId, ...payload } });
    const rooms = townCode ? [Rooms.division(townCode)] : [Rooms.command];
    await this.realtime.publish(
      m,
      rooms.map((room) => ({ room, event, payload: { incidentId, ...payload } })),
    );
  }
}
