import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, Clock, CommonErrors, Principal } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { StationService } from '../gauges/station.service';
import { ThresholdTrigger } from '../thresholds/threshold-trigger';
import { MarkReadingQualityDto, ReadingQualityDto } from './reading.dto';
import { OPERATOR_REASON_PREFIX, ReadingRepository } from './reading.repository';
import { parseObservedAt } from './reading-checks';

/**
 * A duty officer's judgement on one stored reading ("the bucket was stuck", "checked on site:
 * it did rain"). Marking a reading that was ok `suspect` withdraws it as evidence exactly like a
 * neighbour's report would: flagged_at is set and its station's subjects are re-judged at once
 * (a warning that stood on it is lifted or lowered without the hold). The automatic checks leave
 * an operator's `suspect` alone; a corrected value replaces it.
 */
@Injectable()
export class ReadingQualityService {
  constructor(
    private readonly readings: ReadingRepository,
    private readonly stations: StationService,
    private readonly trigger: ThresholdTrigger,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async mark(principal: Principal, q: MarkReadingQualityDto): Promise<ReadingQualityDto> {
    const station = await this.stations.get(principal, q.stationCode);
    const at = parseObservedAt(q.observedAt);
    if (typeof at === 'string') throw new AppError(CommonErrors.Validation, `observedAt ${at}`, [{ field: 'observedAt', problem: at }]);
    const who = principal.kind === 'user' ? principal.username : `api-key:${principal.name}`;
    const reason = q.quality === 'suspect' ? `${OPERATOR_REASON_PREFIX} ${q.reason.trim()} (${who})`.slice(0, 500) : null;
    const now = this.clock.now();
    const row = await inTransaction(this.ds, (m) => this.readings.setQuality(station.id, at, q.quality, reason, now, m));
    if (!row) {
      throw new AppError(CommonErrors.NotFound, `no reading of ${station.code} at ${at.toISOString()}`, [
        { field: 'observedAt', problem: 'no stored reading of this station at this time' },
      ]);
    }
    if (station.kind === 'rain' && row.withdrawn) this.trigger.rainWritten([{ stationId: station.id, observedAt: at }]);
    return {
      stationCode: station.code,
      observedAt: at.toISOString(),
      value: row.value,
      quality: q.quality,
      qualityReason: reason,
      withdrawn: row.withdrawn,
    };
  }
}
