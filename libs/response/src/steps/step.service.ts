import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import type { Principal } from '@fangxun/common';
import { AppError, Clock, notFound, validationError } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { IncidentRepository } from '../incidents/incident.repository';
import { IncidentService } from '../incidents/incident.service';
import { actorOf } from '../incidents/incident-commands';
import { IncidentLive, RESPONSE_EVENTS } from '../incidents/incident-live';
import { ResponseErrors } from '../response.errors';
import { responseEntry } from '../response-audit';
import type { StepDto, UpdateStepDto } from './step.dto';
import { StepRepository, StepRow, StepStatus } from './step.repository';

const NEXT: Record<StepStatus, StepStatus[]> = {
  pending: ['started', 'done', 'skipped'],
  started: ['done', 'skipped'],
  done: [],
  skipped: [],
};

export function toStepDto(s: StepRow): StepDto {
  return {
    seq: s.seq,
    code: s.code,
    name: s.name,
    ownerGroup: s.ownerGroup,
    planCode: s.planCode,
    checklist: s.checklist,
    status: s.status,
    startedAt: s.startedAt?.toISOString() ?? null,
    doneAt: s.doneAt?.toISOString() ?? null,
    notes: s.notes,
    updatedBy: s.updatedBy,
  };
}

/** The standard steps of an incident: walked (started, done or skipped), ticked off, annotated — each change live. */
@Injectable()
export class StepService {
  constructor(
    private readonly steps: StepRepository,
    private readonly incidents: IncidentRepository,
    private readonly reads: IncidentService,
    private readonly live: IncidentLive,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async list(p: Principal, incidentId: string): Promise<StepDto[]> {
    await this.reads.visible(p, incidentId);
    return (await this.steps.list(incidentId)).map(toStepDto);
  }

  async update(p: Principal, incidentId: string, code: string, dto: UpdateStepDto): Promise<StepDto> {
    const who = actorOf(p).who;
    return inTransaction(this.ds, async (m) => {
      const incident = await this.incidents.get(incidentId, m);
      if (!incident) throw notFound('incident', 'id', incidentId);
      if (incident.status !== 'active')
        throw new AppError(ResponseErrors.NotActive, `steps-need-an-active-response: the incident is ${incident.status}`, [
          { field: 'id', problem: `steps-need-an-active-response: the incident is ${incident.status}` },
        ]);
      const s = await this.steps.lock(m, incidentId, code);
      if (!s)
        throw new AppError(ResponseErrors.StepNotFound, `no step ${code} in incident ${incidentId}`, [
          { field: 'code', problem: 'no such step' },
        ]);
      const now = this.clock.now();
      const next: StepRow = { ...s, updatedBy: who, checklist: [...s.checklist], notes: [...s.notes] };
      if (dto.status && dto.status !== s.status) {
        if (!NEXT[s.status].includes(dto.status))
          throw new AppError(
            ResponseErrors.StepOrder,
            `a-finished-step-stays-finished: ${code} is ${s.status}, cannot become ${dto.status}`,
            [{ field: 'status', problem: `a-finished-step-stays-finished: ${code} is ${s.status}` }],
          );
        next.status = dto.status;
        if (!next.startedAt && dto.status !== 'skipped') next.startedAt = now;
        if (dto.status === 'done' || dto.status === 'skipped') next.doneAt = now;
      }
      for (const [k, c] of (dto.checklist ?? []).entries()) {
        const item = next.checklist[c.index];
        if (!item) throw validationError(`checklist[${k}].index`, `the step has ${next.checklist.length} checklist item(s)`);
        next.checklist[c.index] = { ...item, done: c.done, doneAt: c.done ? now.toISOString() : null, doneBy: c.done ? who : null };
      }
      if (dto.note) next.notes.push({ at: now.toISOString(), by: who, text: dto.note });
      const saved = toStepDto(await this.steps.save(m, next));
      await this.live.detail(m, RESPONSE_EVENTS.stepChanged, incidentId, { step: { ...saved }, by: who });
      const fields = (x: StepRow) => ({ status: x.status, checklist: x.checklist, notes: x.notes });
      await this.audit.append(
        m,
        responseEntry(p, 'step.update', incidentId, { kind: 'step', id: `${incidentId}/${code}` }, fields(s), fields(next)),
      );
      return saved;
    });
  }
}
