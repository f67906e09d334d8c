import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { UsersService } from '@fangxun/auth';
import type { Principal } from '@fangxun/common';
import { AppError, Clock, CommonErrors, validationError } from '@fangxun/common';
import { APP_CONFIG, AppConfig, COMMAND_TIERS } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { HolderService } from '@fangxun/registry';
import { IncidentRepository } from '../incidents/incident.repository';
import { IncidentService } from '../incidents/incident.service';
import { actorOf } from '../incidents/incident-commands';
import { IncidentLive, RESPONSE_EVENTS } from '../incidents/incident-live';
import { ResponseErrors } from '../response.errors';
import { responseEntry } from '../response-audit';
import type { GroupDto, StaffGroupDto, TierDto } from './group.dto';
import { GroupRepository, GroupRow } from './group.repository';

function toGroupDto(g: GroupRow): GroupDto {
  return {
    tier: g.tier,
    code: g.code,
    name: g.name,
    isLead: g.isLead,
    planCode: g.planCode,
    members: g.members.map((x) => ({ ...x, addedAt: new Date(x.addedAt).toISOString() })),
  };
}

/** A group's staffing before → after: its members as id, holder or user, name and role. */
function groupEntry(p: Principal, action: string, incidentId: string, before: GroupRow, after: GroupDto) {
  const members = (xs: Array<{ id: string; holderId: string | null; userId: string | null; name: string; role: string }>) =>
    xs.map((x) => ({ id: x.id, holderId: x.holderId, userId: x.userId, name: x.name, role: x.role }));
  return responseEntry(
    p,
    action,
    incidentId,
    { kind: 'group', id: before.id },
    { members: members(before.members) },
    { members: members(after.members) },
  );
}

/** The three command tiers of an incident and the people staffing their groups (holders or users). */
@Injectable()
export class GroupService {
  constructor(
    private readonly groups: GroupRepository,
    private readonly incidents: IncidentRepository,
    private readonly reads: IncidentService,
    private readonly holders: HolderService,
    private readonly users: UsersService,
    private readonly live: IncidentLive,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async tiers(p: Principal, incidentId: string): Promise<TierDto[]> {
    await this.reads.visible(p, incidentId);
    const all = await this.groups.list(incidentId);
    return COMMAND_TIERS.map((tier) => ({
      tier,
      name: this.config.response.tiers[tier].name,
      mode: this.config.response.tiers[tier].mode,
      groups: all.filter((g) => g.tier === tier).map(toGroupDto),
    }));
  }

  async staff(p: Principal, incidentId: string, code: string, dto: StaffGroupDto): Promise<GroupDto> {
    if (!dto.holderIds && !dto.userIds) throw validationError('holderIds', 'give holderIds or userIds');
    const incident = await this.reads.visible(p, incidentId);
    if (incident.status === 'ended' || incident.status === 'dismissed')
      throw new AppError(ResponseErrors.NotActive, `staffing-needs-an-open-response: the incident is ${incident.status}`, [
        { field: 'id', problem: `staffing-needs-an-open-response: the incident is ${incident.status}` },
      ]);
    const people = [...(await this.holdersOf(dto.holderIds ?? [])), ...(await this.usersOf(p, dto.userIds ?? []))];
    const who = actorOf(p).who;
    return inTransaction(this.ds, async (m) => {
      const g = await this.groups.get(incidentId, code, m);
      if (!g)
        throw new AppError(ResponseErrors.GroupNotFound, `no group ${code} in incident ${incidentId}`, [
          { field: 'code', problem: 'no such group' },
        ]);
      await this.groups.addMembers(
        m,
        g.id,
        people.map((x) => ({ ...x, role: dto.role ?? 'member' })),
        who,
        this.clock.now(),
      );
      const saved = toGroupDto((await this.groups.get(incidentId, code, m))!);
      await this.live.detail(m, RESPONSE_EVENTS.groupChanged, incidentId, { group: { ...saved }, by: who });
      await this.audit.append(m, groupEntry(p, 'group.staff', incidentId, g, saved));
      return saved;
    });
  }

  async unstaff(p: Principal, incidentId: string, code: string, memberId: string): Promise<GroupDto> {
    await this.reads.visible(p, incidentId);
    const who = actorOf(p).who;
    return inTransaction(this.ds, async (m) => {
      const g = await this.groups.get(incidentId, code, m);
      if (!g)
        throw new AppError(ResponseErrors.GroupNotFound, `no group ${code} in incident ${incidentId}`, [
          { field: 'code', problem: 'no such group' },
        ]);
      if (!(await this.groups.removeMember(m, g.id, memberId)))
        throw new AppError(CommonErrors.NotFound, `no member ${memberId} in group ${code}`, [
          { field: 'memberId', problem: 'not in this group' },
        ]);
      const saved = toGroupDto((await this.groups.get(incidentId, code, m))!);
      await this.live.detail(m, RESPONSE_EVENTS.groupChanged, incidentId, { group: { ...saved }, by: who });
      await this.audit.append(m, groupEntry(p, 'group.unstaff', incidentId, g, saved));
      return saved;
    });
  }

  private async holdersOf(ids: string[]) {
    const rows = new Map((await this.holders.findRows(ids)).map((h) => [h.id, h]));
    return ids.map((id, i) => {
      const h = rows.get(id);
      if (!h || !h.active)
        throw new AppError(CommonErrors.Unprocessable, `no active holder ${id}`, [
          { field: `holderIds[${i}]`, problem: 'no active responsibility holder' },
        ]);
      return { holderId: h.id, userId: null, name: h.name };
    });
  }

  private async usersOf(p: Principal, ids: string[]) {
    const out: Array<{ holderId: null; userId: string; name: string }> = [];
    for (const [i, id] of ids.entries()) {
      if (p.kind !== 'user') throw validationError('userIds', 'only a user can staff users');
      try {
        const u = await this.users.get(p, id);
        out.push({ holderId: null, userId: u.id, name: u.displayName });
      } catch (err) {
        if (err instanceof AppError && err.status === 404)
          throw new AppError(CommonErrors.Unprocessable, `no user ${id}`, [{ field: `userIds[${i}]`, problem: 'no such user' }]);
        throw err;
      }
    }
    return out;
  }
}
