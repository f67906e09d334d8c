import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AppError,
  CommonErrors,
  decodeCursor,
  defaultScopePath,
  encodeCursor,
  ErrorDetail,
  inScope,
  Page,
  Principal,
} from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { WarningService } from '@fangxun/feeds';
import { IntersectingService, RiskObjectRef, RiskObjectService } from '@fangxun/geo';
import { SmsService, type SmsStatus } from '@fangxun/notify';
import type { CreatedPublicWarningDto, CreatePublicWarningDto, ListPublicWarningsQuery, PublicWarningDto } from './public-warning.dto';
import { campaignNotFound, PublicWarningErrors } from './public-warning.errors';
import { CampaignRecord, PublicWarningRepository } from './public-warning.repository';

export const PUBLIC_CAMPAIGN_REF = 'public_campaign';
const TEMPLATE = 'public_warning';
const EMPTY: Record<SmsStatus, number> = { queued: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, capped: 0 };

/**
 * Public warning SMS (一键直达): one campaign texts every number listed for the named risk
 * objects (and, when asked, the helpers of their vulnerable people), each number once. The
 * campaign row and every SMS commit together or not at all.
 */
@Injectable()
export class PublicWarningService {
  private readonly log = new Logger(PublicWarningService.name);

  constructor(
    private readonly repo: PublicWarningRepository,
    private readonly sms: SmsService,
    private readonly objects: RiskObjectService,
    private readonly intersecting: IntersectingService,
    private readonly warnings: WarningService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async create(p: Principal, dto: CreatePublicWarningDto): Promise<CreatedPublicWarningDto> {
    if (!dto.riskObjectCodes && !dto.warningId) {
      throw new AppError(CommonErrors.Validation, 'riskObjectCodes: required unless warningId is given', [
        { field: 'riskObjectCodes', problem: 'name the risk objects, or give warningId to text the objects in its area' },
      ]);
    }
    const max = this.config.publicWarnings.maxRiskObjects;
    if (dto.riskObjectCodes && new Set(dto.riskObjectCodes).size > max) {
      throw new AppError(CommonErrors.Validation, `riskObjectCodes: at most ${max} objects`, [
        { field: 'riskObjectCodes', problem: `at most ${max} risk objects per campaign` },
      ]);
    }
    const who = p.kind === 'user' ? { id: p.userId, name: p.username } : { id: null, name: p.name };
    const requestKey = `${p.kind === 'user' ? p.userId : p.keyId}:${dto.requestKey}`;
    const params = { issuer: dto.issuer, kind: dto.kind, level: dto.level, summary: dto.summary };

    const objects = await this.targets(p, dto);
    const { id, replayed } = await inTransaction(this.ds, async (m) => {
      const campaignId = await this.repo.insertCampaign(m, {
        requestKey,
        title: dto.title ?? `${dto.issuer}${dto.kind}${dto.level}预警`,
        params,
        riskObjectCodes: objects.map((o) => o.code),
        divisionPaths: [...new Set(objects.map((o) => o.divisionPath))],
        warningId: dto.warningId ?? null,
        includeVulnerableHelpers: dto.includeVulnerableHelpers ?? false,
        createdBy: who.id,
        createdByName: who.name,
      });
      // Same request key: a concurrent twin waited on the unique index and now reads the first campaign.
      if (!campaignId) return { id: (await this.repo.campaignIdByKey(m, requestKey))!, replayed: true };
      await this.fanOut(
        m,
        campaignId,
        objects.map((o) => o.id),
        dto.includeVulnerableHelpers ?? false,
        params,
      );
      return { id: campaignId, replayed: false };
    });
    return { ...(await this.get(p, id, true)), replayed };
  }

  /**
   * The named objects (every code must exist and lie in the caller's area), or the objects in
   * the warning's area — for a town admin, those in his town: he asked for his part of it.
   */
  private async targets(p: Principal, dto: CreatePublicWarningDto): Promise<RiskObjectRef[]> {
    const ground = dto.warningId ? await this.ground(dto.warningId) : null;
    if (dto.riskObjectCodes) {
      const codes = [...new Set(dto.riskObjectCodes)];
      const found = new Map((await this.objects.refsByCodes(codes)).map((o) => [o.code, o]));
      this.checkObjects(p, dto.riskObjectCodes, found);
      return codes.map((c) => found.get(c)!);
    }
    const objects = await this.intersecting.objectsInGround(ground!, this.scopePath(p));
    if (!objects.length) {
      throw new AppError(PublicWarningErrors.NoTargets, 'warningId: its area holds no risk object in your area', [
        { field: 'warningId', problem: 'the warning’s area holds no risk object (in your area): name riskObjectCodes' },
      ]);
    }
    return objects;
  }

  /**
   * The relayed warning's ground, read city-wide (a town admin may name a warning that reaches
   * past his town: its objects are then limited to his area); an unknown id is 422 on the field.
   */
  private async ground(id: string) {
    const areas = await this.warnings.areasOf(id);
    if (!areas) {
      throw new AppError(PublicWarningErrors.UnknownWarning, `warningId: no warning ${id}`, [
        { field: 'warningId', problem: 'no such warning' },
      ]);
    }
    return areas;
  }

  async get(p: Principal, id: string, skipScope = false): Promise<PublicWarningDto> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw campaignNotFound(id);
    const row = await this.repo.findCampaign(id, this.scopePath(p));
    if (!row) throw campaignNotFound(id);
    if (!row.inScope && !skipScope) {
      throw new AppError(CommonErrors.OutOfScope, 'this public warning reached no part of your area', [
        { field: 'id', problem: 'outside the area you are responsible for' },
      ]);
    }
    const counts = await this.sms.countsByRef(PUBLIC_CAMPAIGN_REF, [row.id]);
    return toDto(row, counts.get(row.id) ?? EMPTY);
  }

  async list(p: Principal, q: ListPublicWarningsQuery): Promise<Page<PublicWarningDto>> {
    const limit = q.limit ?? this.config.publicWarnings.pageSizeDefault;
    const after = q.cursor ? (decodeCursor(q.cursor, 'created:desc', 2) as [string, string]) : null;
    const rows = await this.repo.listCampaigns(limit + 1, this.scopePath(p), after);
    const page = rows.slice(0, limit);
    const counts = await this.sms.countsByRef(
      PUBLIC_CAMPAIGN_REF,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toDto(r, counts.get(r.id) ?? EMPTY)),
      nextCursor: rows.length > limit && last ? encodeCursor('created:desc', [last.cursorAt, last.id]) : null,
    };
  }

  /** Every distinct number once; idempotency keys per campaign and number, so a retried transaction cannot text twice. */
  private async fanOut(
    m: EntityManager,
    campaignId: string,
    objectIds: string[],
    withHelpers: boolean,
    params: Record<string, string>,
  ): Promise<void> {
    const listed = await this.repo.contactPhones(m, objectIds);
    const helpers = withHelpers ? await this.objects.helperPhones(objectIds, m) : [];
    // Code-point order, as the database's C collation sorted them before: the daily cap meets numbers in a stable order.
    const phones = [...new Set([...listed, ...helpers])].sort();
    const results = await this.sms.enqueueMany(
      m,
      phones.map((to) => ({
        to,
        template: TEMPLATE,
        params,
        purpose: 'public' as const,
        refType: PUBLIC_CAMPAIGN_REF,
        refId: campaignId,
        idempotencyKey: `public:${campaignId}:${to}`,
      })),
    );
    const n = { recipients: phones.length, queued: 0, duplicates: 0, capped: 0 };
    for (const r of results) {
      if (r.status === 'queued') n.queued++;
      else if (r.status === 'duplicate') n.duplicates++;
      else n.capped++;
    }
    await this.repo.setCounts(m, campaignId, n);
    this.log.log(`public warning ${campaignId}: ${n.queued} SMS queued, ${n.capped} capped, ${objectIds.length} objects`);
  }

  /** Unknown codes (422) before codes outside the caller's area (403), each named by its index. */
  private checkObjects(p: Principal, codes: string[], found: Map<string, { divisionPath: string }>): void {
    const unknown: ErrorDetail[] = [];
    const outside: ErrorDetail[] = [];
    codes.forEach((code, i) => {
      const o = found.get(code);
      if (!o) unknown.push({ field: `riskObjectCodes[${i}]`, problem: `no risk object ${code}` });
      else if (!inScope(p, o.divisionPath)) outside.push({ field: `riskObjectCodes[${i}]`, problem: `${code} is outside your area` });
    });
    if (unknown.length) {
      throw new AppError(PublicWarningErrors.UnknownRiskObject, unknown.map((d) => `${d.field}: ${d.problem}`).join('; '), unknown);
    }
    if (outside.length) throw new AppError(CommonErrors.OutOfScope, 'risk objects outside your area', outside);
  }

  /** Null for city-wide roles; a town admin's own subtree otherwise. */
  private scopePath(p: Principal): string | null {
    const path = defaultScopePath(p, '');
    return path === '' ? null : path;
  }
}

function toDto(r: CampaignRecord, counts: Record<SmsStatus, number>): PublicWarningDto {
  return {
    id: r.id,
    title: r.title,
    params: r.params,
    riskObjectCodes: r.riskObjectCodes,
    warningId: r.warningId,
    includeVulnerableHelpers: r.includeVulnerableHelpers,
    createdBy: r.createdByName,
    createdAt: new Date(r.createdAt).toISOString(),
    recipients: r.recipients,
    queued: r.queued,
    duplicates: r.duplicates,
    // capped: not queued (our daily cap) plus refused by a provider's per-number limit
    delivery: { ...counts, capped: r.capped + counts.capped },
  };
}
