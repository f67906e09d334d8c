import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, Clock, CommonErrors } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { StationLivenessService } from '../gauges/station-liveness.service';
import { ThresholdTrigger } from '../thresholds/threshold-trigger';
import { ReadingRepository, ReflaggedRow, WrittenKey, WrittenRow } from './reading.repository';
import type { IngestError, IngestReport, RawReading } from './reading.types';
import { CheckedReading, checkRow } from './reading-checks';
import { QualityChange, ReadingPlausibilityRepository } from './reading-plausibility.repository';

const SOURCE = /^(push|csv|poll:[0-9A-Za-z_.-]{1,70})$/;

const keyOf = (k: WrittenKey) => `${k.stationId}|${new Date(k.observedAt).getTime()}`;

/**
 * The one way readings get in (push, polled feeds, CSV back-fill). Rows are checked one by
 * one; a rain row whose interval overlaps another reading of its station is refused (its rain
 * would be counted twice); good rows are upserted in bulk on (station, observed_at) — a
 * changed value is a correction and its old value is kept — bad rows come back with index,
 * field and problem. Then the rows around them are judged: rolling windows over their limits
 * and neighbour checks store rows `suspect`. Earlier readings this turns suspect are reported
 * (`reflagged`) and marked, so a warning they raised is re-judged at once without the hold.
 * Everything of one call is written in one transaction: a crash half-way stores nothing.
 */
@Injectable()
export class ReadingIngestService {
  constructor(
    private readonly readings: ReadingRepository,
    private readonly plausibility: ReadingPlausibilityRepository,
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
    const superseded = new Map<string, number>();
    rows.forEach((raw, index) => {
      const r = checkRow(raw, index, { stations, now, feeds });
      if ('error' in r) return void errors.push(r.error);
      const key = keyOf(r);
      const prev = byKey.get(key);
      // An identical repeat counts as unchanged; a different value as a correction within the batch.
      if (prev && (prev.value !== r.value || prev.intervalMinutes !== r.intervalMinutes))
        superseded.set(key, (superseded.get(key) ?? 0) + 1);
      byKey.set(key, r);
    });
    let good = [...byKey.values()];
    let inserted = 0;
    let corrected = 0;
    let flagged = 0;
    let reflagged: ReflaggedRow[] = [];
    const written: WrittenRow[] = [];
    await inTransaction(this.ds, async (manager) => {
      await this.plausibility.lockStations([...new Set(good.map((r) => r.stationId))].sort(), manager);
      const overlapping = await this.plausibility.overlaps(good, manager);
      if (overlapping.length) {
        const refused = new Set(overlapping.map((o) => o.index));
        for (const o of overlapping) errors.push({ index: o.index, field: 'intervalMinutes', problem: o.problem });
        good = good.filter((r) => !refused.has(r.index));
      }
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
      const changes: QualityChange[] = [];
      // Windows first: a row they hold suspect is theirs; the neighbour checks leave it alone.
      // One statement for the whole batch: its cost follows the station-days read, not the keys.
      changes.push(...(await this.plausibility.flagWindows(written, q.windowLimits, manager)));
      for (let i = 0; i < written.length; i += feeds.ingestChunkRows) {
        changes.push(...(await this.readings.flagAgainstNeighbours(written.slice(i, i + feeds.ingestChunkRows), rules, manager)));
      }
      const wasOk = earlierOk(written, changes);
      reflagged = await this.readings.suspectAmong(wasOk, manager);
      await this.readings.markFlagged(reflagged, now, manager);
      flagged = await this.readings.countSuspect(written, manager);
      await this.readings.touchStations(written, now, manager);
      await this.liveness.revive([...new Set(written.map((k) => k.stationId))], now, manager);
    });
    // Committed: rain that changed (or evidence that went) may cross a line now, so thresholds hear of it at once.
    const rain = new Set(good.filter((r) => r.kind === 'rain').map((r) => r.stationId));
    this.trigger.rainWritten([...written.filter((k) => rain.has(k.stationId)), ...reflagged.filter((r) => r.kind === 'rain')]);
    const refused = new Set(errors.map((e) => e.index));
    const supersededInBatch = [...superseded.entries()].filter(([k]) => !refused.has(byKey.get(k)!.index)).reduce((a, [, n]) => a + n, 0);
    const accepted = rows.length - errors.length;
    return {
      accepted,
      inserted,
      corrected: corrected + supersededInBatch,
      unchanged: accepted - inserted - corrected - supersededInBatch,
      rejected: errors.length,
      flagged,
      reflagged: reflagged.map((r) => ({
        stationCode: r.stationCode,
        observedAt: new Date(r.observedAt).toISOString(),
        value: r.value,
        intervalMinutes: r.intervalMinutes,
        reason: r.reason,
      })),
      errors: errors.sort((a, b) => a.index - b.index),
    };
  }
}

/**
 * Keys of rows that were `ok` before this ingest and that it wrote or re-judged: corrected rows
 * whose stored predecessor was ok, and other stored rows whose first change in this ingest
 * started from ok. New rows were never evidence for anything.
 */
function earlierOk(written: WrittenRow[], changes: QualityChange[]): WrittenKey[] {
  const before = new Map<string, { key: WrittenKey; ok: boolean }>();
  for (const w of written) before.set(keyOf(w), { key: w, ok: w.oldQuality === 'ok' });
  for (const c of changes) if (!before.has(keyOf(c))) before.set(keyOf(c), { key: c, ok: c.wasOk });
  return [...before.values()].filter((b) => b.ok).map((b) => b.key);
}
