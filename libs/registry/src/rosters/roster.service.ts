import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import {
  AppError,
  assertInScope,
  decodeCursor,
  defaultScopePath,
  encodeCursor,
  ErrorDetail,
  inScope,
  Page,
  Principal,
} from '@fangxun/common';
import { inTransaction, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService } from '../divisions/division.service';
import { HolderService } from '../holders/holder.service';
import { RegistryErrors } from '../registry.errors';
import { CreateRosterDto, ListRostersQuery, RosterDto, UpdateRosterDto } from './roster.dto';
import { RosterRepository, RosterRow, RosterWrite } from './roster.repository';

/** Duty rosters (值班表) of the city HQ and of each town. */
@Injectable()
export class RosterService {
  constructor(
    private readonly rosters: RosterRepository,
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /**
   * Who is on duty at the city's headquarters on a (Beijing) day: the leader on duty and the
   * duty officers, as holder ids; null when no roster is filed for that day. For other modules
   * (wake-up escalation), no scoping.
   */
  async cityOnDuty(dutyDate: string): Promise<{ leaderId: string; officerIds: string[] } | null> {
    const r = await this.rosters.forRootOn(dutyDate);
    return r ? { leaderId: r.leaderId, officerIds: r.officerIds } : null;
  }

  async get(principal: Principal, id: string): Promise<RosterDto> {
    return this.toDto(await this.rowInScope(principal, id));
  }

  async list(principal: Principal, q: ListRostersQuery, pageSize: number): Promise<Page<RosterDto>> {
    const withinPath = q.divisionCode
      ? (await this.divisions.getInScope(principal, q.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    const limit = q.limit ?? pageSize;
    const after = q.cursor ? (decodeCursor(q.cursor, 'dutyDate', 2) as [string, string]) : undefined;
    const rows = await this.rosters.list({ withinPath, from: q.from, to: q.to, desc: q.order === 'desc', after, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: await Promise.all(items.map((r) => this.toDto(r))),
      nextCursor: rows.length > limit && last ? encodeCursor('dutyDate', [last.dutyDate, last.id]) : null,
    };
  }

  async create(principal: Principal, dto: CreateRosterDto): Promise<RosterDto> {
    const id = await this.write(principal, undefined, undefined, {
      dutyDate: dto.dutyDate,
      divisionCode: dto.divisionCode,
      leaderId: dto.leaderId,
      officerIds: dto.officerIds,
      dutyPhone: dto.dutyPhone ?? null,
      notes: dto.notes ?? null,
    });
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, dto: UpdateRosterDto): Promise<RosterDto> {
    const cur = await this.rowInScope(principal, id);
    await this.write(principal, cur.id, cur, {
      dutyDate: dto.dutyDate ?? cur.dutyDate,
      divisionCode: dto.divisionCode ?? cur.divisionCode,
      leaderId: dto.leaderId ?? cur.leaderId,
      officerIds: dto.officerIds ?? cur.officerIds,
      dutyPhone: dto.dutyPhone !== undefined ? dto.dutyPhone : cur.dutyPhone,
      notes: dto.notes !== undefined ? dto.notes : cur.notes,
    });
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const row = await this.rowInScope(principal, id);
    await inTransaction(this.ds, async (m) => {
      await this.rosters.delete(row.id, m);
      await this.audit.append(m, {
        actor: principal,
        action: 'roster.delete',
        entity: 'roster',
        entityId: row.id,
        before: rosterAuditFields(row),
      });
    });
  }

  private async write(
    principal: Principal,
    id: string | undefined,
    current: RosterRow | undefined,
    input: Omit<RosterWrite, 'divisionId'> & { divisionCode: string },
  ): Promise<string> {
    const division = await this.divisions.getInScope(principal, input.divisionCode);
    const problems: ErrorDetail[] = [];
    if (division.level !== 'city' && division.level !== 'town')
      problems.push({ field: 'divisionCode', problem: 'rosters are kept by the city HQ and by towns' });
    const people = await this.holders.findRows([input.leaderId, ...input.officerIds]);
    const byId = new Map(people.map((p) => [p.id, p]));
    const check = (field: string, hid: string) => {
      const h = byId.get(hid);
      if (!h) problems.push({ field, problem: 'no such holder' });
      else if (!h.active) problems.push({ field, problem: 'holder is not active' });
      else if (!inScope(principal, h.divisionPath)) problems.push({ field, problem: 'holder is outside your area' });
    };
    check('leaderId', input.leaderId);
    input.officerIds.forEach((oid, i) => check(`officerIds[${i}]`, oid));
    if (problems.length)
      throw new AppError(RegistryErrors.RuleViolated, problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
    try {
      return await this.rosters.save(id, { ...input, divisionId: division.id }, (m, savedId) =>
        this.audit.append(m, {
          actor: principal,
          action: current ? 'roster.update' : 'roster.create',
          entity: 'roster',
          entityId: savedId,
          before: current ? rosterAuditFields(current) : null,
          after: rosterAuditFields(input),
        }),
      );
    } catch (err) {
      if (pgError(err)?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(RegistryErrors.RosterExists, `a roster for ${input.divisionCode} on ${input.dutyDate} already exists`, [
          { field: 'dutyDate', problem: 'this division already has a roster for that date' },
        ]);
      }
      throw err;
    }
  }

  private async rowInScope(principal: Principal, id: string): Promise<RosterRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.rosters.findById(id) : undefined;
    if (!row) throw new AppError(RegistryErrors.RosterNotFound, `roster ${id} not found`, [{ field: 'id', problem: 'no such roster' }]);
    assertInScope(principal, row.divisionPath, 'id');
    return row;
  }

  private async toDto(r: RosterRow): Promise<RosterDto> {
    const people = new Map((await this.holders.findRows([r.leaderId, ...r.officerIds])).map((h) => [h.id, h]));
    const ref = (id: string) => {
      const h = people.get(id);
      return { id, name: h?.name ?? '', role: h?.role ?? 'city_leader', divisionCode: h?.divisionCode ?? '' };
    };
    return {
      id: r.id,
      dutyDate: r.dutyDate,
      divisionCode: r.divisionCode,
      leader: ref(r.leaderId),
      officers: r.officerIds.map(ref),
      dutyPhone: r.dutyPhone,
      notes: r.notes,
    };
  }
}

/** What an auditor compares on a roster (the duty phone is masked by libs/audit). */
function rosterAuditFields(r: Omit<RosterWrite, 'divisionId'> & { divisionCode: string }): Record<string, unknown> {
  return {
    dutyDate: r.dutyDate,
    divisionCode: r.divisionCode,
    leaderId: r.leaderId,
    officerIds: [...r.officerIds].sort(),
    dutyPhone: r.dutyPhone,
    notes: r.notes,
  };
}
