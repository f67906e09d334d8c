import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The "1833" three sheets (3张单): a chain per risk, opened by a risk prompt sheet (风险提示单),
 * answered by a control instruction sheet (管控指令单, delivered as a response order) and
 * feedback sheets (反馈单). The chain carries the state: prompted → instructed → fed_back →
 * closed, with `overdue_at` once the instruction's deadline passed without feedback.
 * Risk objects are kept by code (checked through geo's exported service), towns by code.
 *
 * Every one belongs to a response incident (`incident_id`, issued only while it is active).
 */
export class ResponseSheets1764300001320 implements MigrationInterface {
  name = 'ResponseSheets1764300001320';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table response_sheet_chains (
        id uuid primary key default gen_random_uuid(),
        incident_id uuid not null references response_incidents(id),
        title varchar(200) not null,
        state varchar(12) not null default 'prompted' check (state in ('prompted', 'instructed', 'fed_back', 'closed')),
        risk_object_codes varchar(64)[] not null default '{}',
        town_codes varchar(24)[] not null,
        town_paths ltree[] not null,
        order_id uuid references response_orders (id),
        due_at timestamptz,
        overdue_at timestamptz,
        created_by varchar(100) not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        closed_at timestamptz,
        close_note varchar(500),
        version int not null default 1
      )`);
    await q.query('create index response_sheet_chains_incident on response_sheet_chains (incident_id, created_at desc)');
    await q.query('create index response_sheet_chains_towns on response_sheet_chains using gist (town_paths)');
    await q.query(
      `create index response_sheet_chains_due on response_sheet_chains (due_at) where state = 'instructed' and overdue_at is null`,
    );
    await q.query(`
      create table response_sheets (
        id uuid primary key default gen_random_uuid(),
        -- the order sheets were filed in (several can share a timestamp)
        seq bigint generated always as identity,
        chain_id uuid not null references response_sheet_chains (id) on delete cascade,
        kind varchar(20) not null check (kind in ('risk_prompt', 'control_instruction', 'feedback')),
        author_group varchar(100) not null,
        content jsonb not null,
        town_code varchar(24),
        created_by varchar(100) not null,
        created_at timestamptz not null
      )`);
    await q.query('create index response_sheets_chain on response_sheets (chain_id, seq)');
    await q.query(
      `create unique index response_sheets_one_prompt on response_sheets (chain_id, kind) where kind in ('risk_prompt', 'control_instruction')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table response_sheets');
    await q.query('drop table response_sheet_chains');
  }
}
