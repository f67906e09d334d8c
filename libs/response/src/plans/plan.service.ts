import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import type { Principal } from '@fangxun/common';
import { AppError, CITY_WIDE_ROLES, Clock, notFound } from '@fangxun/common';
import type { ResponsePlanTemplate } from '@fangxun/config';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { RiskObjectService } from '@fangxun/geo';
import { leadCode } from '../groups/command-structure';
import { GroupRepository } from '../groups/group.repository';
import { IncidentRepository } from '../incidents/incident.repository';
import { IncidentService } from '../incidents/incident.service';
import { actorOf } from '../incidents/incident-commands';
import { IncidentLive, RESPONSE_EVENTS } from '../incidents/incident-live';
import { ResponseErrors } from '../response.errors';
import { responseEntry } from '../response-audit';
import { StepRepository } from '../steps/step.repository';
import type { ControlPointDto, PlanActivationDto, PlanTemplateDto, SetControlPointDto } from './plan.dto';
import { ControlPointRow, PlanRepository } from './plan.repository';

type Selector = ResponsePlanTemplate['controlPoints'][number];
type Found = { kind: 'road' | 'point'; id: string; code: string; name: string; divisionPath: string };

/** Risk objects read per page while a plan's control points are looked up (geo's list allows 500). */
const PAGE = 500;

function toControlPointDto(c: ControlPointRow): ControlPointDto {
  return {
    id: c.id,
    planCode: c.planCode,
    kind: c.kind,
    code: c.code,
    name: c.name,
    status: c.status,
    statusAt: c.statusAt?.toISOString() ?? null,
    statusBy: c.statusBy,
  };
}

/**
 * Special plans (专项救援指挥工作方案) as templates (config `response.plans`): activating one for
 * an active incident adds its groups (special and on-site HQ), its steps after the standard ones,
 * and its pre-named control points — risk objects of the geo register found through geo's
 * exported RiskObjectService (the Datian plan: its 14 roads and 23 points, seeded by
 * libs/geo works-risk-plan.ts). Once per incident and plan.
 */
@Injectable()
export class PlanService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly groups: GroupRepository,
    private readonly steps: StepRepository,
    private readonly incidents: IncidentRepository,
    private readonly reads: IncidentService,
    private readonly risks: RiskObjectService,
    private readonly live: IncidentLive,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  templates(): PlanTemplateDto[] {
    return this.config.response.plans.map((p) => ({
      code: p.code,
      name: p.name,
      kinds: [...p.kinds],
      groups: p.groups.map((g) => ({ ...g })),
      steps: p.steps.map((s) => s.code),
      controlPoints: p.controlPoints.map((c) => ({ ...c, nameContains: [...c.nameContains] })),
    }));
  }

  async activate(p: Principal, incidentId: string, planCode: string): Promise<PlanActivationDto> {
    const plan = this.config.response.plans.find((x) => x.code === planCode);
    if (!plan)
      throw new AppError(ResponseErrors.PlanNotFound, `no special plan ${planCode}`, [
        { field: 'code', problem: 'no such plan in config response.plans' },
      ]);
    const incident = await this.reads.visible(p, incidentId);
    if (incident.status !== 'active')
      throw new AppError(ResponseErrors.NotActive, `plans-need-an-active-response: the incident is ${incident.status}`, [
        { field: 'id', problem: `plans-need-an-active-response: the incident is ${incident.status}` },
      ]);
    // Read outside the transaction: the register is geo's, and the commander's principal scopes the read.
    const found = (await Promise.all(plan.controlPoints.map((s) => this.find(p, s)))).flat();
    const shortfall = plan.controlPoints.flatMap((s) => {
      const n = found.filter((f) => f.kind === s.kind).length;
      return n < s.expected ? [{ kind: s.kind, expected: s.expected, found: n }] : [];
    });
    const who = actorOf(p).who;
    const now = this.clock.now();
    return inTransaction(this.ds, async (m) => {
      if (!(await this.plans.activate(m, incidentId, { planCode, activatedBy: who, activatedAt: now, shortfall })))
        throw new AppError(ResponseErrors.PlanAlreadyActive, `one-activation-per-plan: ${planCode} is already active for this incident`, [
          { field: 'code', problem: `one-activation-per-plan: ${planCode} is already active` },
        ]);
      const groups = await this.groups.addMissing(m, incidentId, [
        ...[...new Set(plan.groups.map((g) => g.tier))].map((tier) => ({
          tier,
          code: leadCode(tier),
          name: this.config.response.tiers[tier].name,
          isLead: true,
          planCode: null,
        })),
        ...plan.groups.map((g) => ({ tier: g.tier, code: g.code, name: g.name, isLead: false, planCode })),
      ]);
      const steps = await this.steps.addMissing(
        m,
        incidentId,
        plan.steps.map((s) => ({ ...s, planCode })),
      );
      const controlPoints = await this.plans.addControlPoints(m, incidentId, planCode, found);
      const out: PlanActivationDto = {
        planCode,
        activatedBy: who,
        activatedAt: now.toISOString(),
        groups,
        steps,
        controlPoints,
        shortfall,
      };
      await this.live.detail(m, RESPONSE_EVENTS.planActivated, incidentId, { activation: { ...out } });
      const after = { planCode, groups: groups, steps: steps, controlPoints: controlPoints, shortfall };
      await this.audit.append(
        m,
        responseEntry(p, 'plan.activate', incidentId, { kind: 'plan_activation', id: `${incidentId}/${planCode}` }, null, after),
      );
      return out;
    });
  }

  async controlPoints(p: Principal, incidentId: string): Promise<ControlPointDto[]> {
    await this.reads.visible(p, incidentId);
    const within = p.kind === 'user' && !CITY_WIDE_ROLES.includes(p.role) ? p.divisionPath : undefined;
    return (await this.plans.controlPoints(incidentId, within)).map(toControlPointDto);
  }

  async setControlPoint(p: Principal, incidentId: string, id: string, dto: SetControlPointDto): Promise<ControlPointDto> {
    await this.reads.visible(p, incidentId);
    const cp = await this.plans.controlPoint(incidentId, id);
    if (!cp) throw notFound('control point', 'cpId', id);
    // A town marks its own points; the city any.
    const within = p.kind === 'user' && !CITY_WIDE_ROLES.includes(p.role) ? p.divisionPath : null;
    if (within && !(cp.divisionPath === within || cp.divisionPath.startsWith(`${within}.`))) throw notFound('control point', 'cpId', id);
    const who = actorOf(p).who;
    return inTransaction(this.ds, async (m) => {
      const saved = toControlPointDto((await this.plans.setStatus(m, incidentId, id, dto.status, who, this.clock.now()))!);
      const town = cp.divisionPath.split('.')[1] ?? null;
      await this.live.detail(m, RESPONSE_EVENTS.controlPointChanged, incidentId, { controlPoint: { ...saved }, by: who }, town);
      await this.audit.append(
        m,
        responseEntry(
          p,
          'control_point.update',
          incidentId,
          { kind: 'control_point', id },
          { status: cp.status },
          { status: saved.status },
        ),
      );
      return saved;
    });
  }

  /** Risk objects of one selector: geo's list by division and type, the name filter, then their ids and paths. */
  private async find(p: Principal, s: Selector): Promise<Found[]> {
    const codes: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.risks.list(
        p,
        { divisionCode: s.divisionCode, type: s.riskType as never, q: s.nameContains[0], limit: PAGE, cursor },
        PAGE,
      );
      codes.push(...page.items.filter((r) => s.nameContains.every((t) => r.name.includes(t))).map((r) => r.code));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const refs = await this.risks.refsByCodes(codes);
    return refs.map((r) => ({ kind: s.kind, id: r.id, code: r.code, name: r.name, divisionPath: r.divisionPath }));
  }
}
