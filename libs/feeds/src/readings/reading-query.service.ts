import { Injectable } from '@nestjs/common';
import { Principal } from '@fangxun/common';
import { StationService } from '../gauges/station.service';
import { ListReadingsQuery, ReadingDto } from './reading.dto';
import { ReadingRepository } from './reading.repository';

const MAX_LISTED = 10_000;

/** Readings as people read them: one station's series, suspect rows included and marked. */
@Injectable()
export class ReadingQueryService {
  constructor(
    private readonly readings: ReadingRepository,
    private readonly stations: StationService,
  ) {}

  async list(principal: Principal, q: ListReadingsQuery): Promise<ReadingDto[]> {
    const station = await this.stations.get(principal, q.stationCode, 'stationCode');
    const rows = await this.readings.list(station.id, new Date(q.from), new Date(q.to), MAX_LISTED);
    return rows.map((r) => ({
      observedAt: new Date(r.observedAt).toISOString(),
      value: r.value,
      intervalMinutes: r.intervalMinutes,
      quality: r.quality,
      qualityReason: r.qualityReason,
      source: r.source,
      receivedAt: new Date(r.receivedAt).toISOString(),
      revisions: r.revisions,
    }));
  }
}
