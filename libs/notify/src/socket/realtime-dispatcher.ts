import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { advanceCursor, IdHole, PgListener, withWriters } from '@fangxun/database';
import { NOTIFY_DURABLE, NOTIFY_LIVE } from './realtime.repository';
import { RealtimeLogReader, RealtimeRow } from './realtime-log-reader';

/** An ephemeral broadcast that came over NOTIFY (no Redis): emit to these rooms, store nothing. */
export interface LiveMessage {
  rooms: string[];
  event: string;
  payload: Record<string, unknown>;
}

export interface DispatchTargets {
  durable(row: RealtimeRow): void;
  live(message: LiveMessage): void;
}

/**
 * Tails realtime_events on this api replica and hands each new row, in id order, exactly once,
 * to this replica's sockets. Woken by LISTEN fx_realtime (a dedicated pg connection, reconnected
 * on error) and by a poll, the safety net for a NOTIFY lost while that connection was down.
 *
 * `watermark`: every event with id <= watermark has been emitted and no such id can still
 * appear. A hole in the ids (a publisher not yet committed, or rolled back) blocks the events
 * behind it until it fills or is known final, judged by the log's writers (advanceCursor in
 * @fangxun/database says how), so an unrelated long transaction never delays the channel.
 * Emitting and moving the watermark happen in one synchronous run, which the gateway's
 * replay relies on.
 */
@Injectable()
export class RealtimeDispatcher {
  private readonly log = new Logger(RealtimeDispatcher.name);
  private watermarkId = 0;
  private targets?: DispatchTargets;
  private listener?: PgListener;
  private pollTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  /** The hole the dispatch waits at (see advanceCursor). */
  private gap: IdHole | null = null;
  private running = false;
  private again = false;
  private stopped = true;
  private drained: Promise<void> = Promise.resolve();

  /** Its own connections (see RealtimeLogReader): the tail never waits behind answers. */
  private reader?: RealtimeLogReader;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Highest event id this replica has emitted (with no hole below it). */
  get watermark(): number {
    return this.watermarkId;
  }

  /**
   * Starts a batch behind the newest event and runs the first drain before any socket can
   * have joined a room: those rows go to nobody, but a hole among them (a publisher committing
   * across this instant) is treated like any other, so that event is emitted live when it lands.
   */
  async start(targets: DispatchTargets): Promise<void> {
    this.targets = targets;
    this.stopped = false;
    this.reader = new RealtimeLogReader(this.config);
    this.watermarkId = await this.reader.idBeforeTail(this.config.realtime.dispatchBatch);
    // Anything committed while the LISTEN connection was down is picked up on (re)connect.
    this.listener = new PgListener(
      this.config.database.url,
      'fangxun-realtime-listen',
      [NOTIFY_DURABLE, NOTIFY_LIVE],
      (channel, payload) => {
        if (channel === NOTIFY_DURABLE) this.kick();
        else if (payload) this.onLive(payload);
      },
      () => this.kick(),
    );
    await this.listener.start();
    this.kick();
    await this.drained;
    this.pollTimer = setInterval(() => this.kick(), this.config.realtime.pollSeconds * 1000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.pollTimer, this.retryTimer]) if (t) clearTimeout(t);
    await this.listener?.stop();
    await this.drained;
    await this.reader?.close();
    this.reader = undefined;
  }

  /** Reads and emits what is new; coalesces calls that arrive while a drain runs. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.drained = this.drain().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when the watermark reaches `id` or after `waitMs` (an id from another replica may be ahead). */
  async reach(id: number, waitMs: number): Promise<void> {
    const step = Math.max(10, Math.min(100, this.config.realtime.gapRetryMs));
    for (let waited = 0; this.watermarkId < id && waited < waitMs && !this.stopped; waited += step) {
      this.kick();
      await new Promise((r) => setTimeout(r, step));
    }
  }

  private async drain(): Promise<void> {
    const { dispatchBatch } = this.config.realtime;
    const reader = this.reader;
    if (!reader) return;
    try {
      for (;;) {
        const { rows, maxId } = await reader.rowsAfter(this.watermarkId, dispatchBatch);
        if (this.stopped) return;
        if (maxId !== null && maxId < this.watermarkId) {
          // Ids went back: the log was truncated or restored. Everything in it now is new to us.
          this.log.warn(`realtime log ids restarted (max ${maxId} < ${this.watermarkId}); dispatching from the start`);
          this.watermarkId = 0;
          this.gap = null;
          continue;
        }
        const blocked = this.emitInOrder(rows);
        if (blocked) {
          // Read after this round's snapshot, so the next round may judge the hole by it.
          const writers = await reader.writers();
          if (this.gap) this.gap = withWriters(this.gap, writers);
          this.scheduleRetry();
          return;
        }
        if (rows.length < dispatchBatch) return;
      }
    } catch (err) {
      this.log.error(`realtime dispatch failed: ${(err as Error).message}`);
      this.scheduleRetry();
    }
  }

  /** Emits rows up to the first hole that may still fill; true when such a hole stopped it. Synchronous. */
  private emitInOrder(rows: RealtimeRow[]): boolean {
    const step = advanceCursor(
      this.watermarkId,
      rows.map((r) => r.id),
      this.gap,
    );
    this.gap = step.hole;
    for (const row of rows) {
      if (row.id > step.cursor) break;
      try {
        this.targets?.durable(row);
      } catch (err) {
        this.log.error(`realtime emit of event ${row.id} failed: ${(err as Error).message}`);
      }
      this.watermarkId = row.id;
    }
    return step.blocked;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, this.config.realtime.gapRetryMs);
    this.retryTimer.unref();
  }

  private onLive(raw: string): void {
    try {
      const msg = JSON.parse(raw) as LiveMessage;
      if (Array.isArray(msg.rooms) && typeof msg.event === 'string' && msg.payload && typeof msg.payload === 'object') {
        this.targets?.live(msg);
      }
    } catch (err) {
      this.log.warn(`bad realtime live message: ${(err as Error).message}`);
    }
  }
}
