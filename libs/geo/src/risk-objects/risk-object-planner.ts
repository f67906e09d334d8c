import { Injectable } from '@nestjs/common';
import { CommonErrors, ErrorKind, inScope, Principal } from '@fangxun/common';
import { DivisionRef, DivisionService, HolderService, RegistryErrors } from '@fangxun/registry';
import { GeoErrors } from '../geo.errors';
import type { RiskObjectPropertiesDto } from './dto/risk-object-input.dto';
import { toProps } from './risk-object.mapper';
import { RiskObjectRepository, RiskObjectRow } from './risk-object.repository';
import type { RiskObjectProps, VulnerablePerson } from './risk-object.types';
import { RiskObjectDetailsRepository, RiskObjectWrite } from './risk-object-details.repository';
import { diffProps, sortIndicators, sortPeople } from './risk-object-diff';
import { divisionLevelProblem, geometryTypeProblem, holderProblem, normaliseAttributes, townPathOf } from './risk-object-rules';

type HolderRow = Awaited<ReturnType<HolderService['findRows']>>[number];

/** An entry whose shape is valid (DTO and per-type rules passed) and whose geometry passed the GeoJSON checker. */
export interface Candidate {
  index: number;
  dto: RiskObjectPropertiesDto;
  /** Normalised RFC 7946 text from GeoJsonChecker. */
  geometry: string;
  /** PostGIS name, e.g. POLYGON. */
  geometryType: string;
}

export interface Plan {
  index: number;
  code: string;
  write: RiskObjectWrite;
  props: RiskObjectProps;
  existing?: RiskObjectRow;
  /** Stored fields this entry changes; ['created'] for a new object, [] when nothing changes. */
  changes: string[];
}

export interface PlanProblem {
  index: number;
  kind: ErrorKind;
  field: string;
  problem: string;
}

/**
 * Turns checked entries into writes: resolves the division, holders, helpers and shelters they
 * name, applies the rules that need stored data (scope, division level, holder placement,
 * geometry type per risk type), and compares each with what is stored. Shared by single writes
 * and GeoJSON imports; all lookups are batched, so a file costs the same few queries as one entry.
 */
@Injectable()
export class RiskObjectPlanner {
  constructor(
    private readonly objects: RiskObjectRepository,
    private readonly details: RiskObjectDetailsRepository,
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
  ) {}

  /** `principal` null means a trusted caller (seed, other modules): no area checks. */
  async plan(principal: Principal | null, candidates: Candidate[]): Promise<{ plans: Plan[]; problems: PlanProblem[] }> {
    const codes = candidates.map((c) => c.dto.code);
    const holderIds = candidates.flatMap((c) => [
      c.dto.primaryHolderId,
      c.dto.backupHolderId,
      ...(c.dto.vulnerablePeople ?? []).map((p) => p.helperHolderId),
    ]);
    const [divisions, existingRows, holders, shelters] = await Promise.all([
      this.divisions.findRefsByCodes(candidates.map((c) => c.dto.divisionCode)),
      this.objects.findByCodes(codes, true),
      this.holders.findRows([...new Set(holderIds.filter((x): x is string => !!x))]),
      this.details.findShelters([...new Set(candidates.flatMap((c) => c.dto.shelters ?? []))]),
    ]);
    const existing = new Map(existingRows.map((r) => [r.code, r]));
    const stored = await this.details.load(existingRows.map((r) => r.id));
    const holderById = new Map(holders.map((h) => [h.id, h]));
    const shelterByCode = new Map(shelters.map((s) => [s.code, s.id]));

    const plans: Plan[] = [];
    const problems: PlanProblem[] = [];
    for (const c of candidates) {
      const found: PlanProblem[] = [];
      const fail = (kind: ErrorKind, field: string, problem: string) => found.push({ index: c.index, kind, field, problem });
      const { dto } = c;
      const current = existing.get(dto.code);
      if (principal && current && !inScope(principal, current.divisionPath)) {
        fail(CommonErrors.OutOfScope, 'code', `risk object ${dto.code} belongs to ${current.divisionCode}, outside your area`);
      }
      const division = divisions.get(dto.divisionCode);
      const level = division && divisionLevelProblem(division.level);
      if (!division) fail(RegistryErrors.DivisionNotFound, 'divisionCode', `no division ${dto.divisionCode}`);
      else if (principal && !inScope(principal, division.path))
        fail(CommonErrors.OutOfScope, 'divisionCode', 'outside the area you are responsible for');
      else if (level) fail(GeoErrors.GeoRuleViolated, 'divisionCode', level);
      else this.checkHolders(c, current, division, holderById, fail);
      const geometryProblem = geometryTypeProblem(dto.type, c.geometryType);
      if (geometryProblem) fail(GeoErrors.WrongGeometryType, 'geometry', geometryProblem);
      const shelterIds = (dto.shelters ?? []).map((code, i) => {
        const id = shelterByCode.get(code);
        if (!id) fail(GeoErrors.GeoRuleViolated, `shelters[${i}]`, `no shelter ${code}`);
        return id ?? '';
      });
      const people = (dto.vulnerablePeople ?? []).map((p, i): VulnerablePerson => {
        const helper = p.helperHolderId ? holderById.get(p.helperHolderId) : undefined;
        if (p.helperHolderId && !helper) fail(GeoErrors.GeoRuleViolated, `vulnerablePeople[${i}].helperHolderId`, 'no such holder');
        return {
          name: p.name,
          category: p.category,
          needs: p.needs ?? null,
          helperName: p.helperName ?? helper?.name ?? '',
          helperPhone: p.helperPhone ?? helper?.mobile ?? '',
          helperHolderId: p.helperHolderId ?? null,
        };
      });
      if (found.length || !division) {
        problems.push(...found);
        continue;
      }
      const props: RiskObjectProps = {
        code: dto.code,
        name: dto.name,
        type: dto.type,
        divisionCode: division.code,
        attributes: normaliseAttributes(dto.type, dto.attributes),
        threatenedHouseholds: dto.threatenedHouseholds ?? 0,
        threatenedPeople: dto.threatenedPeople ?? 0,
        primaryHolderId: dto.primaryHolderId ?? null,
        backupHolderId: dto.backupHolderId ?? null,
        shelters: dto.shelters ?? [],
        vulnerablePeople: sortPeople(people),
        indicators: sortIndicators(
          (dto.indicators ?? []).map(({ windowHours, prepareMm, immediateMm }) => ({ windowHours, prepareMm, immediateMm })),
        ),
      };
      const write: RiskObjectWrite = {
        code: props.code,
        name: props.name,
        type: props.type,
        divisionId: division.id,
        geometry: c.geometry,
        attributes: props.attributes,
        threatenedHouseholds: props.threatenedHouseholds,
        threatenedPeople: props.threatenedPeople,
        primaryHolderId: props.primaryHolderId,
        backupHolderId: props.backupHolderId,
        shelterIds,
        vulnerablePeople: props.vulnerablePeople,
        indicators: props.indicators,
      };
      const changes = current ? diffProps(toProps(current, stored), current.geometry ?? '', props, c.geometry) : ['created'];
      plans.push({ index: c.index, code: props.code, write, props, existing: current, changes });
    }
    return { plans, problems };
  }

  /**
   * Holders are checked when they are assigned or the object moves to another town: a holder
   * who went inactive since keeps the object editable (the invariants report lists it), but no
   * one assigns an inactive or far-away holder anew.
   */
  private checkHolders(
    c: Candidate,
    current: RiskObjectRow | undefined,
    division: DivisionRef,
    holders: Map<string, HolderRow>,
    fail: (kind: ErrorKind, field: string, problem: string) => void,
  ): void {
    const town = townPathOf(division);
    const townMoved = !current || townPathOf({ level: current.divisionLevel, path: current.divisionPath }) !== town;
    for (const field of ['primaryHolderId', 'backupHolderId'] as const) {
      const id = c.dto[field];
      if (!id || (!townMoved && current?.[field] === id)) continue;
      const problem = holderProblem(holders.get(id), town);
      if (problem) fail(GeoErrors.GeoRuleViolated, field, problem);
    }
  }
}
