import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only, hash-chained audit log (issue 9 part 6), owned by libs/audit.
 *
 * - `seq` is gapless and assigned by the writer from `audit_head` under its row lock (not a
 *   sequence: a rolled-back nextval would leave gaps, and a gap must mean a deleted row).
 * - `hash` = sha256(canonical JSON of the row's fields + prev_hash), computed in libs/audit.
 * - `audit_head` (one row) is the chain's tail: writers lock it FOR UPDATE, so concurrent
 *   transactions append one after another and the chain never forks.
 * - UPDATE, DELETE and TRUNCATE are revoked from PUBLIC and from the owner (the application's
 *   role when it runs its own migrations), and triggers refuse them for everyone, superusers
 *   included, unless someone disables the trigger on purpose (which `verify` then exposes).
 */
export class AuditLog1764300001400 implements MigrationInterface {
  name = 'AuditLog1764300001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table audit_log (
        seq bigint primary key,
        at timestamptz not null,
        actor_kind varchar(16) not null check (actor_kind in ('user', 'api_key', 'system', 'link')),
        actor_id varchar(80) not null,
        actor_name varchar(120) not null,
        role varchar(32),
        action varchar(80) not null,
        entity varchar(64) not null,
        entity_id varchar(120) not null,
        before jsonb,
        after jsonb,
        correlation_id varchar(80),
        incident_id uuid,
        prev_hash char(64) not null,
        hash char(64) not null unique
      )`);
    await q.query('create index audit_log_entity on audit_log (entity, entity_id, seq)');
    await q.query('create index audit_log_actor on audit_log (actor_id, seq)');
    await q.query('create index audit_log_actor_name on audit_log (actor_name, seq)');
    await q.query('create index audit_log_incident on audit_log (incident_id, seq) where incident_id is not null');
    await q.query('create index audit_log_at on audit_log (at, seq)');
    await q.query(`
      create table audit_head (
        id smallint primary key default 1 check (id = 1),
        seq bigint not null,
        hash char(64) not null
      )`);
    await q.query(`insert into audit_head (id, seq, hash) values (1, 0, repeat('0', 64))`);
    await q.query(`
      create function audit_log_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % refused', tg_op using errcode = '42501';
      end $$`);
    await q.query(`
      create trigger audit_log_append_only before update or delete on audit_log
        for each row execute function audit_log_refuse_change()`);
    await q.query(`
      create trigger audit_log_no_truncate before truncate on audit_log
        for each statement execute function audit_log_refuse_change()`);
    await q.query('revoke update, delete, truncate on audit_log from public');
    await q.query('revoke update, delete, truncate on audit_log from current_user');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table audit_log');
    await q.query('drop function audit_log_refuse_change()');
    await q.query('drop table audit_head');
  }
}
