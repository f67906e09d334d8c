import { MigrationInterface, QueryRunner } from 'typeorm';

/** The town a call counts under on the board (as TOWN_OF_CALL in libs/wakeup): second level of its path, else the city. */
const TOWN = `coalesce(nullif(split_part(division_path::text, '.', 2), ''), division_path::text)`;

/** A call's contribution to each counter, 0 or 1. */
const COUNTS = `count(*)::int,
  count(*) filter (where push_delivered_at is not null or sms_status is not distinct from 'delivered' or received_at is not null)::int,
  count(*) filter (where received_at is not null)::int,
  count(*) filter (where done_at is not null)::int,
  count(*) filter (where late)::int,
  count(*) filter (where escalated_at is not null)::int,
  count(*) filter (where sms_capped)::int`;

const delta = (rows: string, sign: '' | '-') =>
  `select campaign_id, ${TOWN} as town, ${COUNTS.split(',\n')
    .map((c, i) => `${sign}${c.trim()} as c${i}`)
    .join(', ')} from ${rows} group by 1, 2`;

/**
 * The command board's counters, kept as the calls change instead of recounted from every call
 * each time the board is pushed (with several 5,000-call campaigns active that recount ran every
 * second, in the worker, against the answers). Statement-level triggers with transition tables
 * append each statement's net change per campaign and town to wakeup_board_deltas, whatever
 * path changed the calls (answers, push seen, SMS status, escalation, new calls). Appending
 * takes no lock another writer waits for: a counter row updated in place would be one hot row
 * per town that every answer, every `seen` and every escalation step queues on (and deadlocks
 * against their call locks). The board publisher folds the deltas into wakeup_board_tallies;
 * readers add tallies and unfolded deltas in one statement. What depends on the clock
 * (unreached) or on order (seconds to 50/90/100 %) is read from the partial indexes below,
 * which hold only the silent or only the answered calls.
 */
export class WakeupBoardTallies1764300000740 implements MigrationInterface {
  name = 'WakeupBoardTallies1764300000740';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table wakeup_board_tallies (
        campaign_id uuid not null references wakeup_campaigns(id) on delete cascade,
        town_code text not null,
        recipients int not null default 0,
        delivered int not null default 0,
        acknowledged int not null default 0,
        done int not null default 0,
        late int not null default 0,
        escalated int not null default 0,
        sms_capped int not null default 0,
        primary key (campaign_id, town_code)
      )`);
    await q.query(`
      create table wakeup_board_deltas (
        id bigint generated always as identity primary key,
        campaign_id uuid not null,
        town_code text not null,
        recipients int not null,
        delivered int not null,
        acknowledged int not null,
        done int not null,
        late int not null,
        escalated int not null,
        sms_capped int not null
      )`);
    await q.query('create index wakeup_board_deltas_campaign_idx on wakeup_board_deltas (campaign_id)');
    const sums = `sum(c0)::int, sum(c1)::int, sum(c2)::int, sum(c3)::int, sum(c4)::int, sum(c5)::int, sum(c6)::int`;
    const nonZero = `sum(c0) <> 0 or sum(c1) <> 0 or sum(c2) <> 0 or sum(c3) <> 0 or sum(c4) <> 0 or sum(c5) <> 0 or sum(c6) <> 0`;
    const append = (source: string) => `
      insert into wakeup_board_deltas (campaign_id, town_code, recipients, delivered, acknowledged, done, late, escalated, sms_capped)
      select d.campaign_id, d.town, ${sums} from (${source}) d group by 1, 2 having ${nonZero}`;
    await q.query(`
      create function wakeup_board_tally() returns trigger language plpgsql as $fn$
      begin
        if tg_op = 'INSERT' then
          ${append(delta('new_rows', ''))};
        elsif tg_op = 'UPDATE' then
          ${append(`${delta('new_rows', '')} union all ${delta('old_rows', '-')}`)};
        else
          ${append(delta('old_rows', '-'))};
        end if;
        return null;
      end
      $fn$`);
    await q.query(`create trigger wakeup_calls_tally_ins after insert on wakeup_calls referencing new table as new_rows
                   for each statement execute function wakeup_board_tally()`);
    await q.query(`create trigger wakeup_calls_tally_upd after update on wakeup_calls referencing old table as old_rows new table as new_rows
                   for each statement execute function wakeup_board_tally()`);
    await q.query(`create trigger wakeup_calls_tally_del after delete on wakeup_calls referencing old table as old_rows
                   for each statement execute function wakeup_board_tally()`);
    await q.query(`insert into wakeup_board_tallies (campaign_id, town_code, recipients, delivered, acknowledged, done, late, escalated, sms_capped)
                   ${delta('wakeup_calls', '')}`);
    // Seconds to 50/90/100 % answered: the n-th answer of a campaign (or of a town in it), read in index order.
    await q.query(`create index wakeup_calls_answered_idx on wakeup_calls (campaign_id, received_at) where received_at is not null`);
    await q.query(
      `create index wakeup_calls_town_answered_idx on wakeup_calls (campaign_id, (${TOWN}), received_at) where received_at is not null`,
    );
    // An answer cancels its call's pending timer: found by call, not by scanning every step of every campaign.
    await q.query(`create index wakeup_steps_call_pending_idx on wakeup_steps (call_id) where state = 'pending'`);
    // Unreached (silent past the deadline): only the silent calls.
    await q.query(`create index wakeup_calls_silent_idx on wakeup_calls (campaign_id, deadline_at) where received_at is null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index wakeup_calls_silent_idx');
    await q.query('drop index wakeup_steps_call_pending_idx');
    await q.query('drop index wakeup_calls_town_answered_idx');
    await q.query('drop index wakeup_calls_answered_idx');
    for (const t of ['ins', 'upd', 'del']) await q.query(`drop trigger wakeup_calls_tally_${t} on wakeup_calls`);
    await q.query('drop function wakeup_board_tally()');
    await q.query('drop table wakeup_board_deltas');
    await q.query('drop table wakeup_board_tallies');
  }
}
