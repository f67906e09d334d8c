import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Households and people by where their transfer stands, in one town. */
export interface TaskTownTotals {
  town: string;
  households: number;
  people: number;
  notified: number;
  moving: number;
  moved: number;
  inShelters: number;
  refused: number;
  unreachable: number;
  trapped: number;
  returned: number;
  flagged: number;
}

const TOWN = `case when nlevel(d.path) >= 2 then subltree(d.path, 1, 2)::text else d.path::text end`;

/**
 * The command room's transfer figures per town. Counted: tasks of orders in force, and, of
 * lifted orders, the households still in a shelter or returned home. People, not households,
 * for everything after "households": moved as the holders reported it, in shelters as checked in.
 */
@Injectable()
export class TotalsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async byTown(paths: string[], manager?: EntityManager): Promise<TaskTownTotals[]> {
    return (manager ?? this.ds.manager).query(
      `select ${TOWN} as town,
              count(*)::int as households,
              sum(t.people)::int as people,
              (sum(t.people) filter (where t.status = 'notified'))::int as notified,
              (sum(t.people) filter (where t.status = 'moving'))::int as moving,
              (sum(case when t.status = 'moved' then t.moved_people when t.status in ('arrived', 'returned') then greatest(t.moved_people, t.checked_in) else 0 end))::int as moved,
              (sum(t.checked_in) filter (where t.status = 'arrived'))::int as "inShelters",
              (sum(t.people) filter (where t.status = 'refused'))::int as refused,
              (sum(t.people) filter (where t.status = 'unreachable'))::int as unreachable,
              (sum(t.people) filter (where t.status = 'trapped'))::int as trapped,
              (sum(t.people) filter (where t.status = 'returned'))::int as returned,
              (count(*) filter (where t.shelter_id is null or t.holder_id is null))::int as flagged
       from evac_tasks t join evac_orders o on o.id = t.order_id join registry_divisions d on d.id = t.division_id
       where t.status <> 'cancelled' and (o.state = 'active' or t.closed_at is null or t.status = 'returned') and d.path <@ any($1::ltree[])
       group by 1 order by 1`,
      [paths],
    );
  }
}
