import { MigrationInterface, QueryRunner } from 'typeorm';

/** The town a call counts under on the board (as TOWN_OF_CALL in libs/wakeup): second level of its path, else the city. */
const TOWN = `coalesce(nullif(split_part(division_path::text, '.', 2), ''), division_path::text)`;

/** The board's counters in column order, each a call's contribution (0 or 1). */
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
  // Calls closed because an Update took the person off the warning's ground (told once).
  ['stood_down', `count(*) filter (where closed_state = 'stood_down')`],
  // Calls closed unanswered because the warning was cancelled, lifted, expired or upgraded.
  ['cancelled', `count(*) filter (where closed_state in ('cancelled', 'superseded') and received_at is null)`],
];
const COLUMNS = COUNTERS.map(([c]) => c).join(', ');

/**
 * The board's kept counters (WakeupBoardTallies) learn the calls an Update stood down or a
 * Cancel closed (WarningReachAndStandDown), so the board counts them apart and never as
 * unreached. Same triggers, two more counters; the tallies are recounted from the calls.
 */
export class BoardClosedCalls1764300000820 implements MigrationInterface {
  name = 'BoardClosedCalls1764300000820';

  async up(q: QueryRunner): Promise<void> {
    for (const t of ['wakeup_board_tallies', 'wakeup_board_deltas']) {
      await q.query(`alter table ${t} add column stood_down int not null default 0, add column cancelled int not null default 0`);
    }
    await q.query(`create or replace function wakeup_board_tally() returns trigger language plpgsql as $fn$ ${body()} $fn$`);
    await q.query('delete from wakeup_board_deltas');
    await q.query('delete from wakeup_board_tallies');
    await q.query(`insert into wakeup_board_tallies (campaign_id, town_code, ${COLUMNS}) ${delta(COUNTERS, 'wakeup_calls', '')}`);
    // Unreached: only the silent calls that still stand.
    await q.query('drop index wakeup_calls_silent_idx');
    await q.query(
      `create index wakeup_calls_silent_idx on wakeup_calls (campaign_id, deadline_at) where received_at is null and closed_state is null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index wakeup_calls_silent_idx');
    await q.query(`create index wakeup_calls_silent_idx on wakeup_calls (campaign_id, deadline_at) where received_at is null`);
    const old = COUNTERS.slice(0, 7);
    await q.query(`create or replace function wakeup_board_tally() returns trigger language plpgsql as $fn$ ${body(old)} $fn$`);
    for (const t of ['wakeup_board_tallies', 'wakeup_board_deltas']) {
      await q.query(`alter table ${t} drop column stood_down, drop column cancelled`);
    }
  }
}

function body(counters = COUNTERS): string {
  const cols = counters.map(([c]) => c).join(', ');
  const d = (rows: string, sign: '' | '-') => delta(counters, rows, sign);
  const sums = counters.map((_, i) => `sum(c${i})::int`).join(', ');
  const nonZero = counters.map((_, i) => `sum(c${i}) <> 0`).join(' or ');
  const append = (source: string) =>
    `insert into wakeup_board_deltas (campaign_id, town_code, ${cols}) select d.campaign_id, d.town, ${sums} from (${source}) d group by 1, 2 having ${nonZero}`;
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

/** Each counter's net change per campaign and town over `rows` (negated for the rows a statement replaced or deleted). */
function delta(counters: typeof COUNTERS, rows: string, sign: '' | '-'): string {
  return `select campaign_id, ${TOWN} as town, ${counters.map(([, e], i) => `${sign}${e}::int as c${i}`).join(', ')} from ${rows} group by 1, 2`;
}
