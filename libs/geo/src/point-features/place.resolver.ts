import { Injectable } from '@nestjs/common';
import { AppError, CommonErrors, ErrorDetail, ErrorKind, inScope, isWithin, Principal } from '@fangxun/common';
import { DivisionRef, DivisionService, HolderService, RegistryErrors } from '@fangxun/registry';
import { GeoErrors } from '../geo.errors';

/** Where a shelter, team or depot is filed, and who manages it (depots and shelters). */
export interface PlaceInput {
  divisionCode: string;
  /** Checked only when present: a PATCH that leaves the manager alone does not re-judge them. */
  managerHolderId?: string | null;
}

/** A problem with the status it deserves when it is the only one (404 unknown division, 403 out of area, 422 rule). */
export interface PlaceProblem extends ErrorDetail {
  kind: ErrorKind;
}

export interface ResolvedPlace {
  division?: DivisionRef;
  problems: PlaceProblem[];
}

/** Which status wins when one write has several problems: the most basic one first. */
const PRIORITY = [404, 403, 409, 422, 400];

/** One error for a single write; every problem is in details. */
export function placeError(problems: PlaceProblem[]): AppError {
  const kind = [...problems].sort((a, b) => PRIORITY.indexOf(a.kind.status) - PRIORITY.indexOf(b.kind.status))[0].kind;
  return new AppError(
    kind,
    problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
    problems.map(({ field, problem }) => ({ field, problem })),
  );
}

/**
 * Division and manager of many places in two queries (registry services, never its tables):
 * the division must exist and lie in the caller's area; a manager must be an active holder
 * in the caller's area working on the place's branch of the tree (at its division, below it,
 * or above it: a town head may manage a village shelter, a holder of the next village may not).
 */
@Injectable()
export class PlaceResolver {
  constructor(
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
  ) {}

  async resolve(principal: Principal, items: PlaceInput[]): Promise<ResolvedPlace[]> {
    const divisions = await this.divisions.findRefsByCodes(items.map((i) => i.divisionCode));
    const managerIds = [...new Set(items.map((i) => i.managerHolderId).filter((id): id is string => !!id))];
    const managers = new Map((await this.holders.findRows(managerIds)).map((h) => [h.id, h]));
    return items.map((i) => {
      const problems: PlaceProblem[] = [];
      const division = divisions.get(i.divisionCode);
      if (!division) problems.push({ kind: RegistryErrors.DivisionNotFound, field: 'divisionCode', problem: 'no such division' });
      else if (!inScope(principal, division.path)) {
        problems.push({ kind: CommonErrors.OutOfScope, field: 'divisionCode', problem: 'outside the area you are responsible for' });
      }
      if (i.managerHolderId) {
        const m = managers.get(i.managerHolderId);
        const rule = (problem: string) => problems.push({ kind: GeoErrors.GeoRuleViolated, field: 'managerHolderId', problem });
        if (!m) problems.push({ kind: RegistryErrors.UnknownHolder, field: 'managerHolderId', problem: 'no such holder' });
        else if (!m.active) rule('the holder is not active');
        else if (!inScope(principal, m.divisionPath)) rule('the holder works outside your area');
        else if (division && !isWithin(m.divisionPath, division.path) && !isWithin(division.path, m.divisionPath)) {
          rule(`the holder works at ${m.divisionCode}, not on the branch of ${division.code}`);
        }
      }
      return { division: problems.some((p) => p.field === 'divisionCode') ? undefined : division, problems };
    });
  }
}
