import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface EscalationRow {
  fromCallId: string;
  kind: 'superior' | 'backup' | 'duty' | 'board';
  toHolderId: string | null;
  toCallId: string | null;
  toName: string | null;
  at: Date;
}

@Injectable()
export class EscalationRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insert(m: EntityManager, campaignId: string, e: EscalationRow): Promise<void> {
    await m.query(
      `insert into wakeup_escalations (campaign_id, from_call_id, kind, to_holder_id, to_call_id, to_name, at)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict on constraint wakeup_escalations_once do nothing`,
      [campaignId, e.fromCallId, e.kind, e.toHolderId, e.toCallId, e.toName, e.at],
    );
  }
}
