import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CommandTier } from '@fangxun/config';

export interface GroupMember {
  id: string;
  holderId: string | null;
  userId: string | null;
  name: string;
  role: 'lead' | 'member';
  addedBy: string;
  addedAt: Date;
}

export interface GroupRow {
  id: string;
  incidentId: string;
  tier: CommandTier;
  code: string;
  name: string;
  isLead: boolean;
  planCode: string | null;
  members: GroupMember[];
}

export interface NewGroup {
  tier: CommandTier;
  code: string;
  name: string;
  isLead: boolean;
  planCode: string | null;
}

const COLUMNS = `g.id::text, g.incident_id as "incidentId", g.tier, g.code, g.name, g.is_lead as "isLead", g.plan_code as "planCode",
  coalesce((select jsonb_agg(jsonb_build_object('id', x.id::text, 'holderId', x.holder_id, 'userId', x.user_id, 'name', x.name,
            'role', x.role, 'addedBy', x.added_by, 'addedAt', x.added_at) order by x.id)
            from response_group_members x where x.group_id = g.id), '[]') as members`;

/** The HQ groups of each incident (three tiers) and who staffs them. */
@Injectable()
export class GroupRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async addMissing(m: EntityManager, incidentId: string, groups: NewGroup[]): Promise<number> {
    if (!groups.length) return 0;
    const rows: unknown[] = await m.query(
      `insert into response_groups (incident_id, tier, code, name, is_lead, plan_code)
       select $1, x.tier, x.code, x.name, x.lead, x.plan
       from unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[]) x(tier, code, name, lead, plan)
       on conflict on constraint response_groups_once do nothing returning id`,
      [
        incidentId,
        groups.map((g) => g.tier),
        groups.map((g) => g.code),
        groups.map((g) => g.name),
        groups.map((g) => g.isLead),
        groups.map((g) => g.planCode),
      ],
    );
    return rows.length;
  }

  async list(incidentId: string): Promise<GroupRow[]> {
    return this.ds.query(`select ${COLUMNS} from response_groups g where g.incident_id = $1 order by g.id`, [incidentId]);
  }

  async get(incidentId: string, code: string, m?: EntityManager): Promise<GroupRow | null> {
    const rows: GroupRow[] = await (m ?? this.ds).query(
      `select ${COLUMNS} from response_groups g where g.incident_id = $1 and g.code = $2`,
      [incidentId, code],
    );
    return rows[0] ?? null;
  }

  /** Adds the people not in the group yet (a person staffed twice stays once, his first role kept). */
  async addMembers(
    m: EntityManager,
    groupId: string,
    people: Array<{ holderId: string | null; userId: string | null; name: string; role: 'lead' | 'member' }>,
    by: string,
    at: Date,
  ): Promise<void> {
    for (const p of people) {
      await m.query(
        `insert into response_group_members (group_id, holder_id, user_id, name, role, added_by, added_at)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
        [groupId, p.holderId, p.userId, p.name.slice(0, 60), p.role, by, at],
      );
    }
  }

  async removeMember(m: EntityManager, groupId: string, memberId: string): Promise<boolean> {
    const rows: unknown[] = await m.query('delete from response_group_members where group_id = $1 and id = $2 returning id', [
      groupId,
      memberId,
    ]);
    return rows.length > 0;
  }
}
