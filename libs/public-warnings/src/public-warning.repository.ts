import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ContactCategory, ContactRow } from './public-contact-file';

export interface ContactRecord {
  id: string;
  name: string;
  phone: string;
  category: ContactCategory;
  note: string | null;
  createdAt: Date;
}

export interface CampaignRecord {
  id: string;
  title: string;
  params: Record<string, string>;
  riskObjectCodes: string[];
  warningId: string | null;
  includeVulnerableHelpers: boolean;
  createdByName: string;
  recipients: number;
  queued: number;
  duplicates: number;
  capped: number;
  createdAt: Date;
}

export interface NewCampaign {
  requestKey: string;
  title: string;
  params: Record<string, string>;
  riskObjectCodes: string[];
  divisionPaths: string[];
  warningId: string | null;
  includeVulnerableHelpers: boolean;
  createdBy: string | null;
  createdByName: string;
}

const CAMPAIGN_COLS = `c.id, c.title, c.params, c.risk_object_codes as "riskObjectCodes", c.warning_id as "warningId",
  c.include_vulnerable_helpers as "includeVulnerableHelpers", c.created_by_name as "createdByName",
  c.recipients, c.queued, c.duplicates, c.capped, c.created_at as "createdAt"`;

/**
 * Named queries over public_contacts and public_campaigns, this module's own tables. Risk
 * objects, their divisions and vulnerable people are read through geo's services; warnings
 * through feeds'.
 */
@Injectable()
export class PublicWarningRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Upserts by (object, phone); answers how many rows were new and how many changed (the rest were identical). */
  async upsertContacts(m: EntityManager, objectId: string, rows: ContactRow[]): Promise<{ inserted: number; updated: number }> {
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const out: Array<{ inserted: boolean }> = await m.query(
        `insert into public_contacts (risk_object_id, name, phone, category, note)
         select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[])
         on conflict (risk_object_id, phone) do update
           set name = excluded.name, category = excluded.category, note = excluded.note, updated_at = now()
           where (public_contacts.name, public_contacts.category, public_contacts.note)
                 is distinct from (excluded.name, excluded.category, excluded.note)
         returning (xmax = 0) as inserted`,
        [objectId, chunk.map((r) => r.name), chunk.map((r) => r.phone), chunk.map((r) => r.category), chunk.map((r) => r.note)],
      );
      inserted += out.filter((r) => r.inserted).length;
      updated += out.filter((r) => !r.inserted).length;
    }
    return { inserted, updated };
  }

  /** One page in (name, id) order; `after` is the last row of the previous page. */
  async listContacts(objectId: string, limit: number, desc: boolean, after: [string, string] | null): Promise<ContactRecord[]> {
    const cmp = desc ? '<' : '>';
    const dir = desc ? 'desc' : 'asc';
    return this.ds.query(
      `select id, name, phone, category, note, created_at as "createdAt" from public_contacts
       where risk_object_id = $1 and ($3::text is null or (name, id) ${cmp} ($3::text, $4::uuid))
       order by name ${dir}, id ${dir} limit $2`,
      [objectId, limit, after?.[0] ?? null, after?.[1] ?? null],
    );
  }

  async deleteContact(objectId: string, contactId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      'with d as (delete from public_contacts where risk_object_id = $1 and id = $2 returning id) select id from d',
      [objectId, contactId],
    );
    return rows.length > 0;
  }

  /** Distinct listed numbers of these objects, in phone order. */
  async contactPhones(m: EntityManager, objectIds: string[]): Promise<string[]> {
    if (!objectIds.length) return [];
    const rows: Array<{ phone: string }> = await m.query(
      'select distinct phone from public_contacts where risk_object_id = any($1::uuid[]) order by 1',
      [objectIds],
    );
    return rows.map((r) => r.phone);
  }

  /** Inserts the campaign, or (same request key) answers null: the caller then reads the first one. */
  async insertCampaign(m: EntityManager, c: NewCampaign): Promise<string | null> {
    const [row]: Array<{ id: string }> = await m.query(
      `insert into public_campaigns (request_key, title, params, risk_object_codes, division_paths, warning_id,
         include_vulnerable_helpers, created_by, created_by_name, recipients, queued, duplicates, capped)
       values ($1, $2, $3, $4, $5::ltree[], $6, $7, $8, $9, 0, 0, 0, 0)
       on conflict (request_key) do nothing returning id`,
      [
        c.requestKey,
        c.title,
        c.params,
        c.riskObjectCodes,
        c.divisionPaths,
        c.warningId,
        c.includeVulnerableHelpers,
        c.createdBy,
        c.createdByName,
      ],
    );
    return row?.id ?? null;
  }

  async setCounts(
    m: EntityManager,
    id: string,
    n: { recipients: number; queued: number; duplicates: number; capped: number },
  ): Promise<void> {
    await m.query('update public_campaigns set recipients = $2, queued = $3, duplicates = $4, capped = $5 where id = $1', [
      id,
      n.recipients,
      n.queued,
      n.duplicates,
      n.capped,
    ]);
  }

  async campaignIdByKey(m: EntityManager, requestKey: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await m.query('select id from public_campaigns where request_key = $1', [requestKey]);
    return row?.id ?? null;
  }

  /** The campaign, or undefined; `withinPath` (a town admin's area) hides campaigns that reached none of it. */
  async findCampaign(
    id: string,
    withinPath: string | null,
    m: EntityManager = this.ds.manager,
  ): Promise<(CampaignRecord & { inScope: boolean }) | undefined> {
    const [row]: Array<CampaignRecord & { inScope: boolean }> = await m.query(
      `select ${CAMPAIGN_COLS}, ($2::ltree is null or c.division_paths <@ $2::ltree) as "inScope" from public_campaigns c where c.id = $1`,
      [id, withinPath],
    );
    return row;
  }

  /** Newest first; `cursorAt` is created_at as text (microseconds kept, which a Date would lose). */
  async listCampaigns(
    limit: number,
    withinPath: string | null,
    after: [string, string] | null,
  ): Promise<Array<CampaignRecord & { cursorAt: string }>> {
    return this.ds.query(
      `select ${CAMPAIGN_COLS}, c.created_at::text as "cursorAt" from public_campaigns c
       where ($2::ltree is null or c.division_paths <@ $2::ltree)
         and ($3::timestamptz is null or (c.created_at, c.id) < ($3::timestamptz, $4::uuid))
       order by c.created_at desc, c.id desc limit $1`,
      [limit, withinPath, after?.[0] ?? null, after?.[1] ?? null],
    );
  }
}
