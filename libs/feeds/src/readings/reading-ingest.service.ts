import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { AppError, Clock, CommonErrors } from '@fangxun/common';
import { StationLivenessService } from '../gauges/station-liveness.service';
import { ThresholdTrigger } from '../thresholds/threshold-trigger';
import { CheckedReading, checkRow } from './reading-checks';
import { ReadingRepository, WrittenKey } from './reading.repository';
import type { IngestError, IngestReport, RawReading } from './reading.types';

const SOURCE = /^(push|csv|poll:[0-9A-Za-z_.-]{1,70})$/;

/**
 * The one way readings get in (push, polled feeds, CSV back-fill). Rows are checked one by
 * one; good rows are upserted in bulk on (station, observed_at) — a changed value is a
 * correction and its old value is kept — bad rows come back with index, field and problem.
 * Everything of one call is written in one transaction: a crash half-way stores nothing.
 */
@Injectable()
export class ReadingIngestService {
  constructor(
    private readonly readings: ReadingRepository,
    private readonly liveness: StationLivenessService,
    private readonly trigger: ThresholdTrigger,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ingest(rows: RawReading[], source: string): Promise<IngestReport> {
    if (!SOURCE.test(source)) throw new Error(`reading source "${source}" must be push, csv or poll:<feed>`);
    if (!Array.isArray(rows)) {
      throw new AppError(CommonErrors.Validation, 'readings must be an array', [{ field: 'readings', problem: 'must be an array' }]);
    }
    const feeds = this.config.feeds;
    if (rows.length > feeds.ingestMaxRows) {
      throw new AppError(CommonErrors.PayloadTooLarge, `at most ${feeds.ingestMaxRows} readings per batch`, [
        { field: 'readings', problem: `${rows.length} rows; split into batches of at most ${feeds.ingestMaxRows}` },
      ]);
    }
    const now = this.clock.now();
    const codes = [...new Set(rows.map((r) => (typeof r?.stationCode === 'string' ? r.stationCode.trim() : '')).filter(Boolean))];
    const stations = await this.readings.stationRefs(codes);
    const errors: IngestError[] = [];
    // Within one batch the last row for a (station, time) wins: a single statement cannot
    // update the same row twice, and later rows in a feed are its later word.
    const byKey = new Map<string, CheckedReading>();
    let supersededInBatch = 0;
    rows.forEach((raw, index) => {
      const r = checkRow(raw, index, { stations, now, feeds });
      if ('error' in r) return void errors.push(r.error);
      const key = `${r.stationId}|${r.observedAt.getTime()}`;
      const prev = byKey.get(key);
      // An identical repeat counts as unchanged; a different value as a correction within the batch.
      if (prev && (prev.value !== r.value || prev.intervalMinutes !== r.intervalMinutes)) supersededInBatch++;
      byKey.set(key, r);
    });
    const good = [...byKey.values()];
    let inserted = 0;
    let corrected = 0;
    let flagged = 0;
    const written: WrittenKey[] = [];
    await this.ds.transaction(async (manager) => {
      for (let i = 0; i < good.length; i += feeds.ingestChunkRows) {
        const res = await this.readings.upsert(good.slice(i, i + feeds.ingestChunkRows), source, now, manager);
        inserted += res.counts.inserted;
        corrected += res.counts.corrected;
        written.push(...res.written);
      }
      const q = feeds.quality;
      const rules = {
        spikeMinMm: q.spikeMinMm,
        dryNeighbourMaxMm: q.dryNeighbourMaxMm,
        radiusM: q.neighbourRadiusKm * 1000,
        minNeighbours: q.minNeighbours,
        unitMistakeNeighbourMinMm: q.unitMistakeNeighbourMinMm,
      };
      for (let i = 0; i < written.length; i += feeds.ingestChunkRows) {
        flagged += await this.readings.flagAgainstNeighbours(written.slice(i, i + feeds.ingestChunkRows), rules, manager);
      }
      await this.readings.touchStations(written, now, manager);
      await this.liveness.revive([...new Set(written.map((k) => k.stationId))], now, manager);
    });
    // Committed: rain that changed may cross a line now, so thresholds hear of it at once.
    const rain = new Set(good.filter((r) => r.kind === 'rain').map((r) => r.stationId));
    this.trigger.rainWritten(written.filter((k) => rain.has(k.stationId)));
    const accepted = rows.length - errors.length;
    return {
      accepted,
      inserted,
      corrected: corrected + supersededInBatch,
      unchanged: accepted - inserted - corrected - supersededInBatch,
      rejected: errors.length,
      flagged,
      errors,
    };
  }
}
