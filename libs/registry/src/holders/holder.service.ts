import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import {
  AppError,
  assertInScope,
  decodeCursor,
  defaultScopePath,
  encodeCursor,
  ErrorDetail,
  inScope,
  Page,
  Principal,
} from '@fangxun/common';
import { inTransaction, PG_CHECK_VIOLATION, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService } from '../divisions/division.service';
import { rolesOfKind } from '../divisions/division-rules';
import { RegistryErrors } from '../registry.errors';
import { CreateHolderDto, HolderDto, ListHoldersQuery, UpdateHolderDto } from './holder.dto';
import { toHolderDto } from './holder.mapper';
import { ChainHolderRow, HolderRepository, HolderRow, HolderWrite } from './holder.repository';
import { holderAuditFields } from './holder-audit';
import { backupProblem, roleLevelProblem, superiorProblem } from './holder-rules';

export type { ChainHolderRow, HolderRow } from './holder.repository';

const SORT_VALUE = {
  name: (r: HolderRow) => r.name,
  role: (r: HolderRow) => r.role,
  createdAt: (r: HolderRow) => new Date(r.createdAt).toISOString(),
} as const;

@Injectable()
export class HolderService {
  constructor(
    private readonly holders: HolderRepository,
    private readonly divisions: DivisionService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async get(principal: Principal, id: string): Promise<HolderDto> {
    return toHolderDto(await this.getRowInScope(principal, id));
  }

  async list(principal: Principal, query: ListHoldersQuery, pageSize: number): Promise<Page<HolderDto>> {
    const withinPath = query.divisionCode
      ? (await this.divisions.getInScope(principal, query.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    const sort = query.sort ?? 'name';
    const limit = query.limit ?? pageSize;
    const roles = query.role ? [query.role] : query.kind ? rolesOfKind(query.kind) : undefined;
    const after = query.cursor ? (decodeCursor(query.cursor, sort, 2) as [string, string]) : undefined;
    const rows = await this.holders.list({
      withinPath,
      roles,
      active: query.active,
      q: query.q,
      sort,
      desc: query.order === 'desc',
      after,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toHolderDto),
      nextCursor: rows.length > limit && last ? encodeCursor(sort, [SORT_VALUE[sort](last), last.id]) : null,
    };
  }

  async create(principal: Principal, dto: CreateHolderDto): Promise<HolderDto> {
    const id = await this.write(principal, undefined, {
      name: dto.name,
      role: dto.role,
      divisionCode: dto.divisionCode,
      mobile: dto.mobile,
      otherPhones: dto.otherPhones ?? [],
      superiorId: dto.superiorId ?? null,
      backupId: dto.backupId ?? null,
      active: dto.active ?? true,
      appointedYear: dto.appointedYear ?? null,
    });
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, dto: UpdateHolderDto): Promise<HolderDto> {
    const current = await this.getRowInScope(principal, id);
    await this.write(principal, current, {
      name: dto.name ?? current.name,
      role: dto.role ?? current.role,
      divisionCode: dto.divisionCode ?? current.divisionCode,
      mobile: dto.mobile ?? current.mobile,
      otherPhones: dto.otherPhones ?? current.otherPhones,
      superiorId: dto.superiorId !== undefined ? dto.superiorId : current.superiorId,
      backupId: dto.backupId !== undefined ? dto.backupId : current.backupId,
      active: dto.active ?? current.active,
      appointedYear: dto.appointedYear !== undefined ? dto.appointedYear : current.appointedYear,
    });
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const row = await this.getRowInScope(principal, id);
    const dependants = await this.holders.subordinateCount(row.id);
    if (dependants) {
      throw new AppError(RegistryErrors.HolderInUse, `${dependants} holders answer to or stand in for this holder`, [
        { field: 'id', problem: 'reassign their superior/backup first, or set active=false' },
      ]);
    }
    try {
      await inTransaction(this.ds, async (m) => {
        await this.holders.delete(row.id, m);
        await this.audit.append(m, {
          actor: principal,
          action: 'holder.delete',
          entity: 'holder',
          entityId: row.id,
          before: holderAuditFields(row),
        });
      });
    } catch (err) {
      if (pgError(err)?.code === PG_FOREIGN_KEY_VIOLATION) {
        throw new AppError(RegistryErrors.HolderInUse, 'holder is still on a duty roster or linked to a user', [
          { field: 'id', problem: 'still referenced; set active=false instead' },
        ]);
      }
      throw err;
    }
  }

  /** The 包保 chain above a holder, nearest first. */
  async chain(principal: Principal, id: string): Promise<HolderDto[]> {
    const row = await this.getRowInScope(principal, id);
    return (await this.holders.chainAbove(row.id)).map(toHolderDto);
  }

  /** Holders by id for other modules (wake-up recipients, rosters); no scoping. */
  /** For other modules (evacuation's import): holders with these mobiles (no area check). */
  async findByMobiles(mobiles: string[], manager?: EntityManager): Promise<HolderRow[]> {
    return this.holders.findByMobiles([...new Set(mobiles)], manager);
  }

  async findRows(ids: string[], manager?: EntityManager): Promise<HolderRow[]> {
    return this.holders.findByIds(ids, manager);
  }

  /**
   * For "who must answer": these holders, every holder filed at these divisions, and the whole
   * 包保 chain above them, each once (active or not); no scoping, the caller scoped its inputs.
   */
  async withSuperiorChains(input: { holderIds: string[]; divisionIds: string[] }): Promise<ChainHolderRow[]> {
    return this.holders.withSuperiorChains([...new Set(input.holderIds)], [...new Set(input.divisionIds)]);
  }

  /** Numbers the registry already uses that start with `prefix` (the demo seed's fake range); for seeds only. */
  async phonesStartingWith(prefix: string): Promise<string[]> {
    return this.holders.phonesStartingWith(prefix);
  }

  private async getRowInScope(principal: Principal, id: string): Promise<HolderRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.holders.findById(id) : undefined;
    if (!row) throw new AppError(RegistryErrors.HolderNotFound, `holder ${id} not found`, [{ field: 'id', problem: 'no such holder' }]);
    assertInScope(principal, row.divisionPath, 'id');
    return row;
  }

  /** Validates one appointment against every registry rule and writes it in one transaction. */
  private async write(
    principal: Principal,
    current: HolderRow | undefined,
    input: Omit<HolderWrite, 'divisionId'> & { divisionCode: string },
  ): Promise<string> {
    const division = await this.divisions.getInScope(principal, input.divisionCode);
    const problems: ErrorDetail[] = [];
    const roleProblem = roleLevelProblem(input.role, division.level);
    if (roleProblem) problems.push(roleProblem);
    const related = await this.holders.findByIds([input.superiorId, input.backupId].filter((x): x is string => !!x));
    const byId = new Map(related.map((r) => [r.id, r]));
    const self = { id: current?.id, divisionPath: division.path };
    if (input.superiorId) {
      const p = superiorProblem(self, byId.get(input.superiorId));
      if (p) problems.push(p);
    }
    if (input.backupId) {
      const backup = byId.get(input.backupId);
      const p =
        backupProblem(self, backup) ??
        (backup && !inScope(principal, backup.divisionPath) ? { field: 'backupId', problem: 'outside your area' } : undefined);
      if (p) problems.push(p);
    }
    if (problems.length) throw ruleError(problems);
    const w: HolderWrite = { ...input, divisionId: division.id };
    try {
      return await inTransaction(this.ds, async (m) => {
        if (current && w.superiorId && (await this.holders.wouldLoop(current.id, w.superiorId, m))) throw cycleError();
        const after = holderAuditFields({ ...w, divisionCode: division.code });
        if (current) {
          await this.holders.update(current.id, w, m);
          await this.audit.append(m, {
            actor: principal,
            action: 'holder.update',
            entity: 'holder',
            entityId: current.id,
            before: holderAuditFields(current),
            after,
          });
          return current.id;
        }
        const id = await this.holders.insert(w, m);
        await this.audit.append(m, { actor: principal, action: 'holder.create', entity: 'holder', entityId: id, after });
        return id;
      });
    } catch (err) {
      const pg = pgError(err);
      if (pg?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(RegistryErrors.DuplicateAppointment, 'this person already holds this role at this division', [
          { field: 'mobile', problem: 'already appointed with this role here' },
        ]);
      }
      if (pg?.code === PG_CHECK_VIOLATION && pg.constraint === 'holders_superior_acyclic') throw cycleError();
      throw err;
    }
  }
}

/** SUPERIOR_OUT_OF_SCOPE and ROLE_LEVEL_MISMATCH are named for the commonest mistakes; the rest is a rule violation. */
function ruleError(problems: ErrorDetail[]): AppError {
  const kind = problems.some((p) => p.field === 'superiorId' && p.problem.includes('包保'))
    ? RegistryErrors.SuperiorOutOfScope
    : problems.every((p) => p.field === 'role')
      ? RegistryErrors.RoleLevelMismatch
      : RegistryErrors.RuleViolated;
  return new AppError(kind, problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
}

function cycleError(): AppError {
  return new AppError(RegistryErrors.SuperiorCycle, 'superiorId: this would make the 包保 chain loop', [
    { field: 'superiorId', problem: 'would make the chain loop back to this holder' },
  ]);
}
