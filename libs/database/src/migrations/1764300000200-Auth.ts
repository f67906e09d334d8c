import { MigrationInterface, QueryRunner } from 'typeorm';

/** People who log in (with a role and the division they are scoped to) and machine API keys. */
export class Auth1764300000200 implements MigrationInterface {
  name = 'Auth1764300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create type user_role as enum ('commander', 'duty_officer', 'town_admin', 'village_admin', 'warden', 'auditor')`);
    await q.query(`
      create table users (
        id uuid primary key default gen_random_uuid(),
        username varchar(64) not null check (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
        display_name varchar(50) not null,
        password_hash text not null,
        role user_role not null,
        division_id uuid not null references divisions(id) on delete restrict,
        holder_id uuid references responsibility_holders(id) on delete set null,
        active boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint users_username_key unique (username)
      )`);
    await q.query(`
      create table api_keys (
        id uuid primary key default gen_random_uuid(),
        name varchar(100) not null,
        key_prefix varchar(16) not null unique,
        key_hash bytea not null,
        scopes text[] not null check (cardinality(scopes) > 0),
        created_by uuid references users(id) on delete set null,
        created_at timestamptz not null default now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table api_keys');
    await q.query('drop table users');
    await q.query('drop type user_role');
  }
}
