import { Injectable } from '@nestjs/common';
import { AuditService, sameFieldsAs } from '@fangxun/audit';
import { AppError, assertInScope, decodeCursor, defaultScopePath, encodeCursor, Page, Principal } from '@fangxun/common';
import { PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService } from '@fangxun/registry';
import { GeoErrors } from '../geo.errors';
import { placeError, PlaceResolver } from '../point-features/place.resolver';
import { CreateTeamDto, ListTeamsQuery, TeamDto, TeamFilterQuery, UpdateTeamDto } from './team.dto';
import { toTeamDto } from './team.mapper';
import { TeamRepository, TeamRow, TeamWrite } from './team.repository';
import type { TeamStatus } from './team-rules';
import { TeamInput, toTeamWrite } from './team-writes';

/** Rescue teams (救援队伍): the register and each team's readiness. */
@Injectable()
export class TeamService {
  constructor(
    private readonly teams: TeamRepository,
    private readonly divisions: DivisionService,
    private readonly places: PlaceResolver,
    private readonly audit: AuditService,
  ) {}

  async get(principal: Principal, code: string): Promise<TeamDto> {
    return toTeamDto(await this.rowInScope(principal, code));
  }

  async list(principal: Principal, q: ListTeamsQuery, pageSize: number): Promise<Page<TeamDto>> {
    const limit = q.limit ?? pageSize;
    const afterCode = q.cursor ? String(decodeCursor(q.cursor, 'code', 1)[0]) : undefined;
    const rows = await this.rowsInScope(principal, q, { afterCode, desc: q.order === 'desc', limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toTeamDto), nextCursor: rows.length > limit && last ? encodeCursor('code', [last.code]) : null };
  }

  async rowsInScope(
    principal: Principal,
    f: TeamFilterQuery,
    page: { afterCode?: string; desc?: boolean; limit?: number } = {},
  ): Promise<TeamRow[]> {
    const withinPath = f.divisionCode
      ? (await this.divisions.getInScope(principal, f.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    if (!withinPath) return [];
    return this.teams.list({ withinPath, level: f.level, status: f.status, speciality: f.speciality, ...page });
  }

  async create(principal: Principal, dto: CreateTeamDto): Promise<TeamDto> {
    const write = await this.resolveOne(principal, {
      code: dto.code,
      name: dto.name,
      level: dto.level,
      divisionCode: dto.divisionCode,
      location: JSON.stringify(dto.base),
      members: dto.members,
      specialities: dto.specialities,
      contactName: dto.contactName,
      contactPhone: dto.contactPhone,
    });
    try {
      const status = dto.status ?? 'standby';
      await this.audit.changed(
        (m) => this.teams.insert(write, status, m),
        () => ({ actor: principal, action: 'team.create', entity: 'team', entityId: write.code, after: { ...write, status } }),
      );
    } catch (err) {
      if (pgError(err)?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(GeoErrors.TeamCodeTaken, `team code ${dto.code} already exists`, [{ field: 'code', problem: 'already used' }]);
      }
      throw err;
    }
    return this.get(principal, dto.code);
  }

  async update(principal: Principal, code: string, dto: UpdateTeamDto): Promise<TeamDto> {
    const cur = await this.rowInScope(principal, code);
    const write = await this.resolveOne(principal, {
      code: cur.code,
      name: dto.name ?? cur.name,
      level: dto.level ?? cur.level,
      divisionCode: dto.divisionCode ?? cur.divisionCode,
      location: dto.base ? JSON.stringify(dto.base) : cur.base,
      members: dto.members ?? cur.members,
      specialities: dto.specialities ?? cur.specialities,
      contactName: dto.contactName ?? cur.contactName,
      contactPhone: dto.contactPhone ?? cur.contactPhone,
    });
    const after = { ...write, ...(dto.status && { status: dto.status }) };
    await this.audit.changed(
      (m) => this.teams.update(cur.id, write, dto.status ?? null, m),
      () => ({
        actor: principal,
        action: 'team.update',
        entity: 'team',
        entityId: code,
        before: sameFieldsAs({ ...cur, location: cur.base }, after),
        after,
      }),
    );
    return this.get(principal, code);
  }

  async setStatus(principal: Principal, code: string, status: TeamStatus): Promise<TeamDto> {
    const cur = await this.rowInScope(principal, code);
    if (status !== cur.status) {
      await this.audit.changed(
        (m) => this.teams.setStatus(cur.id, status, m),
        () => ({
          actor: principal,
          action: 'team.status',
          entity: 'team',
          entityId: code,
          before: { status: cur.status },
          after: { status },
        }),
      );
    }
    return this.get(principal, code);
  }

  async remove(principal: Principal, code: string): Promise<void> {
    const cur = await this.rowInScope(principal, code);
    await this.audit.changed(
      (m) => this.teams.delete(cur.id, m),
      () => ({
        actor: principal,
        action: 'team.delete',
        entity: 'team',
        entityId: code,
        before: { name: cur.name, divisionCode: cur.divisionCode },
      }),
    );
  }

  /** Division, scope and level of many inputs at once; used by single writes and imports. */
  async resolveWrites(principal: Principal, inputs: TeamInput[]) {
    const places = await this.places.resolve(
      principal,
      inputs.map((i) => ({ divisionCode: i.divisionCode })),
    );
    return inputs.map((input, i) => toTeamWrite(input, places[i]));
  }

  private async resolveOne(principal: Principal, input: TeamInput): Promise<TeamWrite> {
    const [r] = await this.resolveWrites(principal, [input]);
    if (!r.write) throw placeError(r.problems);
    return r.write;
  }

  private async rowInScope(principal: Principal, code: string): Promise<TeamRow> {
    const row = await this.teams.findByCode(code);
    if (!row) throw new AppError(GeoErrors.TeamNotFound, `rescue team ${code} not found`, [{ field: 'code', problem: 'no such team' }]);
    assertInScope(principal, row.divisionPath, 'code');
    return row;
  }
}
