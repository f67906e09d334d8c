import { MigrationInterface, QueryRunner } from 'typeorm';

/** The town a call counts under on the board (as TOWN_OF_CALL in libs/wakeup): second level of its path, else the city. */
const TOWN = `coalesce(nullif(split_part(division_path::text, '.', 2), ''), division_path::text)`;

/** The board's counters in column order (as BoardClosedCalls), each a call's contribution (0 or 1). */
const COUNTERS: Array<[column: string, expression: string]> = [
  ['recipients', 'count(*)'],
  [
    'delivered',
    `count(*) filter (where push_delivered_at is not null or sms_status is not distinct from 'delivered' or received_at is not null)`,
  ],
  ['acknowledged', 'count(*) filter (where received_at is not null)'],
  ['done', 'count(*) filter (where done_at is not null)'],
  ['late', 'count(*) filter (where late)'],
  ['escalated', 'count(*) filter (where escalated_at is not null)'],
  ['sms_capped', 'count(*) filter (where sms_capped)'],
  ['stood_down', `count(*) filter (where closed_state = 'stood_down')`],
  ['cancelled', `count(*) filter (where closed_state in ('cancelled', 'superseded') and received_at is null)`],
];
const COLUMNS = COUNTERS.map(([c]) => c).join(', ');
const STATES = `'stood_down', 'cancelled', 'superseded'`;
/** Rows the board counts: every call but one reopened (its person has a fresh call in the same campaign). */
const COUNTED = `closed_state is distinct from 'reopened'`;

/**
 * A person stood down by a narrowing Update and back on the ground after a widening one is
 * called again in the same campaign: his stood-down call is kept as it was (its answers, timers
 * and stand-down message stay in the ledger) but marked `reopened`, and a fresh call is made
 * (new id, so its first SMS, timers, answers and a later stand-down message are keyed anew).
 * One call per person per campaign now means one that is not `reopened`; the board's kept
 * counters leave `reopened` calls out (the person counts once, by his fresh call). Same
 * triggers as BoardClosedCalls, rows filtered; the tallies are recounted from the calls.
 */
export class ReopenedCalls1764300000930 implements MigrationInterface {
  name = 'ReopenedCalls1764300000930';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table wakeup_calls drop constraint wakeup_calls_closed_state_check');
    await q.query(
      `alter table wakeup_calls add constraint wakeup_calls_closed_state_check check (closed_state in (${STATES}, 'reopened'))`,
    );
    await q.query('alter table wakeup_calls drop constraint wakeup_calls_one_per_person');
    await q.query(`create unique index wakeup_calls_one_per_person on wakeup_calls (campaign_id, holder_id) where ${COUNTED}`);
    await recount(q, COUNTED);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`delete from wakeup_calls where closed_state = 'reopened'`);
    await q.query('drop index wakeup_calls_one_per_person');
    await q.query('alter table wakeup_calls add constraint wakeup_calls_one_per_person unique (campaign_id, holder_id)');
    await q.query('alter table wakeup_calls drop constraint wakeup_calls_closed_state_check');
    await q.query(`alter table wakeup_calls add constraint wakeup_calls_closed_state_check check (closed_state in (${STATES}))`);
    await recount(q, 'true');
  }
}

async function recount(q: QueryRunner, counted: string): Promise<void> {
  await q.query(`create or replace function wakeup_board_tally() returns trigger language plpgsql as $fn$ ${body(counted)} $fn$`);
  await q.query('delete from wakeup_board_deltas');
  await q.query('delete from wakeup_board_tallies');
  await q.query(`insert into wakeup_board_tallies (campaign_id, town_code, ${COLUMNS}) ${delta(counted, 'wakeup_calls', '')}`);
}

function body(counted: string): string {
  const d = (rows: string, sign: '' | '-') => delta(counted, rows, sign);
  const sums = COUNTERS.map((_, i) => `sum(c${i})::int`).join(', ');
  const nonZero = COUNTERS.map((_, i) => `sum(c${i}) <> 0`).join(' or ');
  const append = (source: string) =>
    `insert into wakeup_board_deltas (campaign_id, town_code, ${COLUMNS}) select d.campaign_id, d.town, ${sums} from (${source}) d group by 1, 2 having ${nonZero}`;
  return `
    begin
      if tg_op = 'INSERT' then
        ${append(d('new_rows', ''))};
      elsif tg_op = 'UPDATE' then
        ${append(`${d('new_rows', '')} union all ${d('old_rows', '-')}`)};
      else
        ${append(d('old_rows', '-'))};
      end if;
      return null;
    end`;
}

/** Each counter's net change per campaign and town over the counted `rows` (negated for the rows a statement replaced or deleted). */
function delta(counted: string, rows: string, sign: '' | '-'): string {
  return `select campaign_id, ${TOWN} as town, ${COUNTERS.map(([, e], i) => `${sign}${e}::int as c${i}`).join(', ')}
          from ${rows} where ${counted} group by 1, 2`;
}
