import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import type { Principal } from '@fangxun/common';
import { AppError, Clock, notFound, validationError } from '@fangxun/common';
import type { ResponseLevel } from '@fangxun/config';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { CommandStructure } from '../groups/command-structure';
import { LevelApplier, LevelEffects } from '../levels/level-applier';
import { checkLevelForKind, checkMove, Move } from '../levels/level-rules';
import { ResponseErrors } from '../response.errors';
import { incidentEntry } from '../response-audit';
import { IncidentEndGuards } from './end-guards';
import type { StartIncidentDto } from './incident.dto';
import { IncidentRepository } from './incident.repository';
import type { Actor, Incident, LevelAction } from './incident.types';
import { IncidentLive } from './incident-live';
import { TownDirectory } from './town-directory';

const KIND_ZH = { flood: '防汛', typhoon: '防台风' } as const;

export function actorOf(p: Principal): Actor {
  return p.kind === 'user' ? { who: p.username, role: p.role } : { who: `key:${p.name}`, role: null };
}

export function incidentTitle(kind: Incident['kind'], label: string): string {
  return `${KIND_ZH[kind]}${label}`;
}

/**
 * A commander's moves on an incident, each in one transaction: the row locked, the version the
 * commander saw checked (another change since → 409, so of two commanders at the same moment
 * one wins), the state machine's rule checked (409 naming it), the level's obligations applied,
 * the history written with who, when, why and what it re-scoped, the change published.
 */
@Injectable()
export class IncidentCommands {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly towns: TownDirectory,
    private readonly applier: LevelApplier,
    private readonly structure: CommandStructure,
    private readonly guards: IncidentEndGuards,
    private readonly live: IncidentLive,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** A commander starts a response directly (no proposal). */
  async start(p: Principal, dto: StartIncidentDto): Promise<Incident> {
    checkLevelForKind(dto.kind, dto.level);
    const scope = await this.scopeOf(dto.townCodes, dto.cityWide ?? false);
    const now = this.clock.now();
    const actor = actorOf(p);
    return inTransaction(this.ds, async (m) => {
      const created = await this.incidents.insert(m, {
        kind: dto.kind,
        level: dto.level,
        ...scope,
        orderNo: dto.orderNo ?? null,
        title: incidentTitle(dto.kind, this.config.response.levels[dto.level].label),
        status: 'active',
        source: 'manual',
        proposal: null,
        reportIntervalMinutes: this.config.response.levels[dto.level].reportIntervalMinutes,
        createdBy: actor.who,
        at: now,
      });
      if (!created) {
        throw new AppError(ResponseErrors.AlreadyOpen, `one-open-response-per-kind: a ${dto.kind} response is already open`, [
          { field: 'kind', problem: `one-open-response-per-kind: a ${dto.kind} response is already open; raise, widen or end it` },
        ]);
      }
      return this.applied(m, created, null, 'start', dto.reason, p, now, true);
    });
  }

  async confirm(p: Principal, id: string, v: { version: number; reason: string; orderNo?: string }): Promise<Incident> {
    return this.move(p, id, v, { action: 'confirm' }, (i, now) => ({
      ...i,
      status: 'active',
      startedAt: now,
      orderNo: v.orderNo ?? i.orderNo,
    }));
  }

  async dismiss(p: Principal, id: string, v: { version: number; reason: string }): Promise<Incident> {
    return this.move(p, id, v, { action: 'dismiss' }, (i, now) => ({ ...i, status: 'dismissed', endedAt: now, endReason: v.reason }));
  }

  async changeLevel(
    p: Principal,
    id: string,
    action: 'raise' | 'lower',
    v: { version: number; reason: string; level: ResponseLevel; orderNo?: string },
  ): Promise<Incident> {
    return this.move(p, id, v, { action, level: v.level }, (i) => ({
      ...i,
      level: v.level,
      title: incidentTitle(i.kind, this.config.response.levels[v.level].label),
      orderNo: v.orderNo ?? i.orderNo,
      // a suggestion the new level answers is spent
      suggestion: i.suggestion && i.suggestion.level === v.level ? null : i.suggestion,
    }));
  }

  async widen(
    p: Principal,
    id: string,
    v: { version: number; reason: string; townCodes?: string[]; cityWide?: boolean },
  ): Promise<Incident> {
    if (!v.cityWide && !v.townCodes?.length) throw validationError('townCodes', 'give townCodes or cityWide: true');
    const added = v.cityWide ? await this.towns.all() : await this.towns.resolve(v.townCodes!);
    return this.move(p, id, v, { action: 'widen', townCodes: added.map((t) => t.code), cityWide: v.cityWide ?? false }, (i) => {
      const codes = [...i.townCodes];
      const paths = [...i.townPaths];
      for (const t of added.filter((x) => !codes.includes(x.code))) {
        codes.push(t.code);
        paths.push(t.path);
      }
      return { ...i, cityWide: i.cityWide || (v.cityWide ?? false), townCodes: codes, townPaths: paths, suggestion: null };
    });
  }

  async end(p: Principal, id: string, v: { version: number; reason: string; force?: boolean }): Promise<Incident> {
    return this.move(p, id, v, { action: 'end' }, (i, now) => ({
      ...i,
      status: 'ended',
      endedAt: now,
      endReason: v.reason,
      nextReportDueAt: null,
    }));
  }

  private async move(
    p: Principal,
    id: string,
    v: { version: number; reason: string; force?: boolean },
    move: Move,
    change: (i: Incident, now: Date) => Incident,
  ): Promise<Incident> {
    const actor = actorOf(p);
    return inTransaction(this.ds, async (m) => {
      const before = await this.incidents.lock(m, id);
      if (!before) throw notFound('incident', 'id', id);
      if (before.version !== v.version) {
        throw new AppError(
          ResponseErrors.VersionConflict,
          `one-change-per-version: the incident is at version ${before.version}, you saw ${v.version}`,
          [
            {
              field: 'version',
              problem: `one-change-per-version: changed since you read it (now ${before.version}); reload and decide again`,
            },
          ],
        );
      }
      checkMove(before, move);
      const now = this.clock.now();
      let effects: Record<string, unknown> = {};
      if (move.action === 'end') {
        const open = await this.guards.openWork(m, before);
        if (open.length && !v.force) {
          throw new AppError(
            ResponseErrors.OpenWork,
            `${open[0].rule}: ${open.map((w) => `${w.count} ${w.what}`).join(', ')} still open; end with force to override`,
            open.map((w) => ({
              field: 'force',
              problem: `${w.rule}: ${w.count} ${w.what} still open`,
            })),
          );
        }
        effects = { ...(await this.applier.end(m, before, v.reason, now)), forced: open.length ? open : undefined };
      }
      const after = change(before, now);
      if (move.action === 'dismiss' || move.action === 'end') {
        const saved = await this.incidents.save(m, after);
        await this.incidents.addChange(m, {
          incident: saved,
          action: move.action,
          from: before,
          reason: v.reason,
          actor,
          at: now,
          effects,
        });
        await this.live.incident(m, saved, move.action, { by: actor.who, reason: v.reason });
        // An end over open work names what was still open (forced); last: the audit locks the chain's head.
        await this.audit.append(m, incidentEntry(p, move.action, before, saved, effects.forced ? { forced: effects.forced } : {}));
        return saved;
      }
      return this.applied(m, after, before, move.action, v.reason, p, now, move.action !== 'widen');
    });
  }

  /** Applies the level's obligations to an active incident, saves it, writes the history and publishes. */
  private async applied(
    m: EntityManager,
    i: Incident,
    before: Incident | null,
    action: LevelAction,
    reason: string,
    p: Principal,
    now: Date,
    cadence: boolean,
  ): Promise<Incident> {
    const actor = actorOf(p);
    const { incident, effects } = await this.applier.apply(m, i, actor.who, now, cadence);
    // A response that starts gets its steps and HQ groups (idempotent for the later moves).
    if (action === 'start' || action === 'confirm') await this.structure.instantiate(m, i.id);
    const saved = await this.incidents.save(m, incident);
    await this.incidents.addChange(m, {
      incident: saved,
      action,
      from: before,
      reason,
      actor,
      at: now,
      effects: { ...effects } satisfies LevelEffects,
    });
    await this.live.incident(m, saved, action, { by: actor.who, reason, effects: { ...effects } });
    await this.audit.append(m, incidentEntry(p, action, before, saved));
    return saved;
  }

  private async scopeOf(townCodes: string[] | undefined, cityWide: boolean) {
    if (cityWide === !!townCodes?.length) throw validationError('townCodes', 'give exactly one of townCodes or cityWide: true');
    const towns = cityWide ? await this.towns.all() : await this.towns.resolve(townCodes!);
    return { cityWide, townCodes: towns.map((t) => t.code), townPaths: towns.map((t) => t.path) };
  }
}
