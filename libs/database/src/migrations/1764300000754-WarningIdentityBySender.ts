import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CAP identifies a message by identifier AND sender: the same identifier from another sender is
 * another alert (two bureaus numbering their messages the same way), not a repeat.
 */
export class WarningIdentityBySender1764300000754 implements MigrationInterface {
  name = 'WarningIdentityBySender1764300000754';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table warnings drop constraint warnings_identifier_key');
    await q.query('alter table warnings add constraint warnings_identifier_sender_key unique (identifier, sender)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table warnings drop constraint warnings_identifier_sender_key');
    await q.query('alter table warnings add constraint warnings_identifier_key unique (identifier)');
  }
}
