import { Injectable } from '@nestjs/common';
import { AppError, assertInScope, Clock, Principal, validationError } from '@fangxun/common';
import { GeoErrors } from '../geo.errors';
import { ReportVesselPositionDto, VesselPositionDto, VesselPositionResultDto } from './dto/vessel-position.dto';
import { riskObjectNotFound } from './risk-object.errors';
import { toVesselPositionDto } from './risk-object.mapper';
import { RiskObjectRepository, RiskObjectRow } from './risk-object.repository';
import { VesselPositionRepository } from './vessel-position.repository';

/**
 * A report this far ahead of our clock is refused: boats only move forward in time, so one
 * report stamped in 2099 would pin a boat where it was for good. Five minutes covers clock drift
 * of shipborne terminals.
 */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Fishing-boat positions (北斗/AIS reports or a person at the harbour): history kept, the boat shows the newest. */
@Injectable()
export class VesselPositionService {
  constructor(
    private readonly objects: RiskObjectRepository,
    private readonly positions: VesselPositionRepository,
    private readonly clock: Clock,
  ) {}

  async report(principal: Principal, code: string, dto: ReportVesselPositionDto): Promise<VesselPositionResultDto> {
    const boat = await this.boatInScope(principal, code);
    return this.record(boat, dto);
  }

  /** For a position feed (trusted, no area check). */
  async reportByCode(code: string, dto: ReportVesselPositionDto): Promise<VesselPositionResultDto> {
    const row = await this.objects.findByCode(code);
    if (!row) throw riskObjectNotFound(code);
    return this.record(row, dto);
  }

  async history(principal: Principal, code: string, limit: number): Promise<VesselPositionDto[]> {
    const boat = await this.boatInScope(principal, code);
    return (await this.positions.history(boat.id, limit)).map(toVesselPositionDto);
  }

  private async record(boat: RiskObjectRow, dto: ReportVesselPositionDto): Promise<VesselPositionResultDto> {
    if (boat.type !== 'fishing_boat') {
      throw new AppError(GeoErrors.GeoRuleViolated, `${boat.code} is a ${boat.type}; only fishing boats report positions`, [
        { field: 'code', problem: 'not a fishing boat' },
      ]);
    }
    const at = Date.parse(dto.reportedAt);
    if (at > this.clock.now().getTime() + MAX_CLOCK_SKEW_MS) throw validationError('reportedAt', 'is in the future');
    const { stored, current } = await this.positions.report(boat.id, { ...dto, reportedAt: new Date(at).toISOString() });
    const [latest] = await this.positions.history(boat.id, 1);
    return { stored, current, latest: toVesselPositionDto(latest) };
  }

  private async boatInScope(principal: Principal, code: string): Promise<RiskObjectRow> {
    const row = await this.objects.findByCode(code);
    if (!row) throw riskObjectNotFound(code);
    assertInScope(principal, row.divisionPath, 'code');
    return row;
  }
}
