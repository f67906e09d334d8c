import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { AuditActor, AuditService, systemActor } from '@fangxun/audit';
import {
  AppError,
  assertInScope,
  CommonErrors,
  decodeCursor,
  defaultScopePath,
  encodeCursor,
  ErrorDetail,
  Page,
  Principal,
} from '@fangxun/common';
import { inTransaction, OutboxService, PG_FOREIGN_KEY_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService, HolderService, RegistryErrors } from '@fangxun/registry';
import { GeoErrors } from '../geo.errors';
import { GeoJsonChecker } from '../geojson/geojson-checker.service';
import { CreateRiskObjectDto, RiskObjectPropertiesDto, UpdateRiskObjectDto } from './dto/risk-object-input.dto';
import {
  ListRiskObjectsQuery,
  RiskObjectDto,
  RiskObjectSummaryDto,
  RiskStatusResultDto,
  SetRiskStatusDto,
} from './dto/risk-object-view.dto';
import { riskObjectNotFound } from './risk-object.errors';
import { toDetailDto, toProps, toSummaryDto } from './risk-object.mapper';
import { FlashFloodWatchRow, RiskObjectRepository, RiskObjectRow } from './risk-object.repository';
import type { EvacuationFacts, RiskObjectRef, RiskObjectSurfacePoint, RiskStatus, RiskType } from './risk-object.types';
import { RiskObjectDetailsRepository } from './risk-object-details.repository';
import { Candidate, PlanProblem, RiskObjectPlanner } from './risk-object-planner';
import { shapeProblems } from './risk-object-rules';
import { RiskObjectWriter } from './risk-object-writer';

/** Fields a PATCH may not set to null (the lists accept null as "empty", holders as "none"). */
const NOT_NULL = ['name', 'type', 'divisionCode', 'attributes', 'geometry', 'threatenedHouseholds', 'threatenedPeople'] as const;
const STATUS_HISTORY = 20;

/** Outbox topic of every risk-object status change (human or threshold). */
export const RISK_STATUS_TOPIC = 'risk_object.status_changed';

/** Risk objects of the eight lists: reads, single writes and status. GeoJSON import/export lives in RiskObjectGeoJsonService. */
@Injectable()
export class RiskObjectService {
  constructor(
    private readonly objects: RiskObjectRepository,
    private readonly details: RiskObjectDetailsRepository,
    private readonly planner: RiskObjectPlanner,
    private readonly writer: RiskObjectWriter,
    private readonly checker: GeoJsonChecker,
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async get(principal: Principal, code: string): Promise<RiskObjectDto> {
    const row = await this.getRowInScope(principal, code, true);
    const [details, holders, history] = await Promise.all([
      this.details.load([row.id]),
      this.holders.findRows([row.primaryHolderId, row.backupHolderId].filter((x): x is string => !!x)),
      this.objects.statusHistory(row.id, STATUS_HISTORY),
    ]);
    return toDetailDto(row, details, new Map(holders.map((h) => [h.id, h])), history);
  }

  async list(principal: Principal, query: ListRiskObjectsQuery, pageSize: number): Promise<Page<RiskObjectSummaryDto>> {
    const withinPath = query.divisionCode
      ? (await this.divisions.getInScope(principal, query.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    const sort = query.sort ?? 'code';
    const limit = query.limit ?? pageSize;
    const after = query.cursor ? (decodeCursor(query.cursor, sort, 2) as [string, string]) : undefined;
    const rows = await this.objects.list({
      withinPath,
      type: query.type,
      status: query.status,
      q: query.q,
      sort,
      desc: query.order === 'desc',
      after,
      limit: limit + 1,
      withGeometry: query.withGeometry ?? false,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toSummaryDto),
      nextCursor: rows.length > limit && last ? encodeCursor(sort, [last[sort], last.id]) : null,
    };
  }

  async create(principal: Principal, dto: CreateRiskObjectDto): Promise<RiskObjectDto> {
    const { geometry, ...props } = dto;
    const entry = Object.assign(new RiskObjectPropertiesDto(), props);
    throwIfInvalid(shapeProblems(entry));
    const { plans, problems } = await this.planner.plan(principal, [{ index: 0, dto: entry, ...(await this.checkGeometry(geometry)) }]);
    if (plans[0]?.existing || problems.some((p) => p.field === 'code' && p.kind === CommonErrors.OutOfScope)) {
      throw new AppError(GeoErrors.RiskCodeTaken, `risk object code ${dto.code} is already used`, [
        { field: 'code', problem: 'already used' },
      ]);
    }
    throwPlanProblems(problems);
    await this.writer.write(principal, plans, 'insert');
    return this.get(principal, dto.code);
  }

  /** Merges the patch into the stored entry and runs the whole entry through the create rules again. */
  async update(principal: Principal, code: string, patch: UpdateRiskObjectDto): Promise<RiskObjectDto> {
    const row = await this.getRowInScope(principal, code, true);
    const nulls = NOT_NULL.filter((k) => patch[k] === null);
    if (nulls.length) throwIfInvalid(nulls.map((field) => ({ field, problem: 'cannot be null' })));
    const { geometry, ...fields } = patch;
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    for (const list of ['shelters', 'vulnerablePeople', 'indicators'] as const) if (given[list] === null) given[list] = [];
    const entry = Object.assign(new RiskObjectPropertiesDto(), toProps(row, await this.details.load([row.id])), given, { code: row.code });
    throwIfInvalid(shapeProblems(entry));
    const checked: Omit<Candidate, 'index' | 'dto'> = geometry
      ? await this.checkGeometry(geometry)
      : { geometry: row.geometry!, geometryType: (JSON.parse(row.geometry!) as { type: string }).type.toUpperCase() };
    const { plans, problems } = await this.planner.plan(principal, [{ index: 0, dto: entry, ...checked }]);
    throwPlanProblems(problems);
    await this.writer.write(principal, plans, 'update');
    return this.get(principal, row.code);
  }

  async remove(principal: Principal, code: string): Promise<void> {
    const row = await this.getRowInScope(principal, code);
    try {
      await this.audit.changed(
        (m) => this.objects.delete(row.id, m),
        () => ({
          actor: principal,
          action: 'risk_object.delete',
          entity: 'risk_object',
          entityId: code,
          before: { name: row.name, type: row.type },
        }),
      );
    } catch (err) {
      if (pgError(err)?.code === PG_FOREIGN_KEY_VIOLATION) {
        throw new AppError(CommonErrors.Conflict, `risk object ${code} is still referenced`, [
          { field: 'code', problem: 'still referenced (tasks, orders)' },
        ]);
      }
      throw err;
    }
  }

  async changeStatus(principal: Principal, code: string, dto: SetRiskStatusDto): Promise<RiskStatusResultDto> {
    const row = await this.getRowInScope(principal, code);
    const by = principal.kind === 'user' ? principal.username : `api-key:${principal.name}`;
    return this.setStatus(row.id, dto.status, dto.reason, by, undefined, principal);
  }

  /**
   * For other modules (feeds, response): sets a risk object's status by code or id, stamping
   * status_changed_at and logging the change with its reason. The same status again is a no-op
   * (`changed: false`), so a feed may call it on every poll. No area check: callers are trusted.
   * With `manager` it runs in the caller's transaction (the thresholds commit it with their event).
   */
  async setStatus(
    codeOrId: string,
    status: RiskStatus,
    reason: string,
    by = 'system',
    manager?: EntityManager,
    /** Who, for the audit log; other modules' calls are recorded as the system job `by`. */
    actor: AuditActor = systemActor(by),
  ): Promise<RiskStatusResultDto> {
    // The change, its history row and its outbox event commit together (or not at all), so
    // the wake-up and response modules never miss a status change across a crash.
    const run = async (m: EntityManager): Promise<RiskStatusResultDto> => {
      const row = await this.objects.findByCodeOrId(codeOrId, m);
      const result = row && (await this.objects.setStatus(row.id, status, reason.trim(), by, m));
      if (!row || !result) throw riskObjectNotFound(codeOrId);
      const at = new Date(result.at).toISOString();
      if (result.changed) {
        await this.outbox.append(m, {
          topic: RISK_STATUS_TOPIC,
          key: row.id,
          payload: { riskObjectId: row.id, code: row.code, from: result.previous, to: status, reason: result.reason, by, at },
        });
        await this.audit.append(m, {
          actor,
          action: 'risk_object.status',
          entity: 'risk_object',
          entityId: row.code,
          before: { status: result.previous },
          after: { status, reason: result.reason },
        });
      }
      return {
        code: row.code,
        status,
        previousStatus: result.previous,
        changed: result.changed,
        reason: result.reason,
        statusChangedAt: at,
      };
    };
    return manager ? run(manager) : inTransaction(this.ds, run);
  }

  /**
   * For other modules (public warning SMS): the objects among `codes` that exist, in one query
   * (no area check: callers scope them). Unknown codes are simply absent.
   */
  async refsByCodes(codes: string[], manager?: EntityManager): Promise<RiskObjectRef[]> {
    const rows = await this.objects.findByCodes([...new Set(codes)], false, manager);
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, divisionPath: r.divisionPath }));
  }

  /** For other modules (evacuation): the object's status now, or undefined when it is gone. */
  async currentStatus(id: string): Promise<RiskStatus | undefined> {
    return (await this.objects.findByIds([id]))[0]?.status;
  }

  /** For other modules (evacuation): refs of the objects with these ids that exist (no area check). */
  async refsByIds(ids: string[], manager?: EntityManager): Promise<RiskObjectRef[]> {
    const rows = await this.objects.findByIds([...new Set(ids)], manager);
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, divisionPath: r.divisionPath }));
  }

  /**
   * For other modules (the evacuation seed): every object on land with threatened people, with
   * its holders, assigned shelters and vulnerable people (no area check).
   */
  async evacuationFacts(manager?: EntityManager): Promise<EvacuationFacts[]> {
    const rows = await this.objects.landWithPeople(manager);
    const details = await this.details.load(
      rows.map((r) => r.id),
      manager,
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      type: r.type,
      divisionId: r.divisionId,
      divisionPath: r.divisionPath,
      threatenedHouseholds: r.threatenedHouseholds,
      threatenedPeople: r.threatenedPeople,
      primaryHolderId: r.primaryHolderId,
      backupHolderId: r.backupHolderId,
      shelterIds: (details.shelters.get(r.id) ?? []).map((s) => s.id),
      vulnerablePeople: (details.people.get(r.id) ?? []).sort(
        (a, b) => a.name.localeCompare(b.name) || a.helperPhone.localeCompare(b.helperPhone),
      ),
    }));
  }

  /** For other modules: distinct phones of the helpers (帮扶人) of these objects' vulnerable people. */
  async helperPhones(objectIds: string[], manager?: EntityManager): Promise<string[]> {
    return this.details.helperPhones(objectIds, manager);
  }

  /**
   * For other libraries placing things near risk objects (the demo gauge seed puts a rain gauge
   * by every flash-flood zone): the objects of one type under a division, as surface points.
   */
  async surfacePoints(type: RiskType, underDivisionCode: string, manager?: EntityManager): Promise<RiskObjectSurfacePoint[]> {
    return this.objects.surfacePoints(type, underDivisionCode, manager);
  }

  /** For the feeds' thresholds: flash-flood zones with indicators (no area check: callers are trusted). */
  async flashFloodWatch(manager?: EntityManager): Promise<FlashFloodWatchRow[]> {
    return this.objects.flashFloodWatch(manager);
  }

  /** Checks one geometry with the shared GeoJSON checker (structure, limits, validity, winding); no repair for single writes. */
  private async checkGeometry(geometry: unknown): Promise<Omit<Candidate, 'index' | 'dto'>> {
    const checked = await this.checker.check(
      { type: 'FeatureCollection', features: [{ type: 'Feature', geometry, properties: {} }] },
      { repair: false },
    );
    const rejected = checked.rejected[0];
    if (rejected) {
      const kind = /vertices; at most/.test(rejected.problem) ? CommonErrors.PayloadTooLarge : CommonErrors.InvalidGeometry;
      throw new AppError(kind, `geometry: ${rejected.problem}`, [{ field: 'geometry', problem: rejected.problem }]);
    }
    return { geometry: checked.features[0].geometry, geometryType: checked.features[0].geometryType };
  }

  private async getRowInScope(principal: Principal, code: string, withGeometry = false): Promise<RiskObjectRow> {
    const row = await this.objects.findByCode(code, withGeometry);
    if (!row) throw riskObjectNotFound(code);
    assertInScope(principal, row.divisionPath, 'code');
    return row;
  }
}

function throwIfInvalid(problems: ErrorDetail[]): void {
  if (problems.length) throw new AppError(CommonErrors.Validation, problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
}

/** Several problems, one status: the caller's area first, then what does not exist, then the rules. */
function throwPlanProblems(problems: PlanProblem[]): void {
  if (!problems.length) return;
  const rank = (p: PlanProblem) =>
    p.kind === CommonErrors.OutOfScope
      ? 0
      : p.kind === RegistryErrors.DivisionNotFound
        ? 1
        : p.kind === GeoErrors.WrongGeometryType
          ? 2
          : 3;
  const first = [...problems].sort((a, b) => rank(a) - rank(b))[0];
  const details = problems.map(({ field, problem }) => ({ field, problem }));
  throw new AppError(first.kind, details.map((d) => `${d.field}: ${d.problem}`).join('; '), details);
}
