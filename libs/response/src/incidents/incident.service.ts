import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import type { Principal } from '@fangxun/common';
import { AppError, CITY_WIDE_ROLES, Clock, CommonErrors, notFound } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { MeasureRepository } from '../levels/measure.repository';
import { ResponseErrors } from '../response.errors';
import { responseEntry } from '../response-audit';
import type { IncidentDto, LevelChangeDto, ListIncidentsQuery, MeasureDto, SetMeasureDto } from './incident.dto';
import { toIncidentDto, toLevelChangeDto, toMeasureDto, visibleTowns } from './incident.mapper';
import { IncidentRepository } from './incident.repository';
import type { Incident } from './incident.types';
import { actorOf } from './incident-commands';
import { IncidentLive, RESPONSE_EVENTS } from './incident-live';

/**
 * Reads of incidents, for the API (area-scoped: a town's user sees the incidents that reach his
 * town, and only his town's part of them) and for other modules (`get`, `findOpen`: the orders
 * and, later, the evacuation hang their work on an incident).
 */
@Injectable()
export class IncidentService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly measures: MeasureRepository,
    private readonly live: IncidentLive,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** For other modules: the incident, or null. */
  get(id: string): Promise<Incident | null> {
    return this.incidents.get(id);
  }

  /** For other modules: incidents proposed or active, oldest first. */
  findOpen(): Promise<Incident[]> {
    return this.incidents.findOpen();
  }

  async list(p: Principal, q: ListIncidentsQuery): Promise<IncidentDto[]> {
    const withinPath = p.kind === 'user' && !CITY_WIDE_ROLES.includes(p.role) ? p.divisionPath : undefined;
    const rows = await this.incidents.list({ status: q.status, withinPath, limit: q.limit ?? 50 });
    return rows.map((i) => toIncidentDto(i, this.config, p));
  }

  async getFor(p: Principal, id: string): Promise<IncidentDto> {
    return toIncidentDto(await this.visible(p, id), this.config, p);
  }

  async history(p: Principal, id: string): Promise<LevelChangeDto[]> {
    await this.visible(p, id);
    return (await this.incidents.history(id)).map(toLevelChangeDto);
  }

  async measuresOf(p: Principal, id: string): Promise<MeasureDto[]> {
    const i = await this.visible(p, id);
    return (await this.measures.list(id, visibleTowns(p, i))).map(toMeasureDto);
  }

  /** A town marks its item done (or not); the city sees it live. */
  async setMeasure(p: Principal, id: string, measureId: string, dto: SetMeasureDto): Promise<MeasureDto> {
    const i = await this.visible(p, id);
    const towns = visibleTowns(p, i);
    return inTransaction(this.ds, async (m) => {
      const row = await this.measures.get(m, id, measureId);
      if (!row)
        throw new AppError(ResponseErrors.MeasureNotFound, `no measure ${measureId} in incident ${id}`, [
          { field: 'measureId', problem: 'no such checklist item' },
        ]);
      if (!towns.includes(row.townCode))
        throw new AppError(CommonErrors.OutOfScope, `measure ${measureId} belongs to ${row.townCode}`, [
          { field: 'measureId', problem: 'outside the area you are responsible for' },
        ]);
      const saved = toMeasureDto(await this.measures.setDone(m, measureId, dto.done, actorOf(p).who, dto.note ?? null, this.clock.now()));
      await this.live.detail(m, RESPONSE_EVENTS.measureChanged, id, { measure: { ...saved } }, saved.townCode);
      const fields = (r: { doneAt: unknown; doneBy: string | null; note: string | null }) => ({
        doneAt: r.doneAt,
        doneBy: r.doneBy,
        note: r.note,
      });
      await this.audit.append(m, responseEntry(p, 'measure.update', id, { kind: 'measure', id: measureId }, fields(row), fields(saved)));
      return saved;
    });
  }

  /** The incident if the principal may see it: city-wide roles always, others when it reaches their area (403 otherwise). */
  async visible(p: Principal, id: string): Promise<Incident> {
    const i = await this.incidents.get(id);
    if (!i) throw notFound('incident', 'id', id);
    if (p.kind === 'user' && !CITY_WIDE_ROLES.includes(p.role) && !i.cityWide && !visibleTowns(p, i).length) {
      throw new AppError(CommonErrors.OutOfScope, `incident ${id} does not reach your area`, [
        { field: 'id', problem: 'outside the area you are responsible for' },
      ]);
    }
    return i;
  }
}
