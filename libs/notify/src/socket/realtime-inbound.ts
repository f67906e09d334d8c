import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AppError, Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { RealtimeRepository, toSeenEvents } from './realtime.repository';
import { RealtimeService } from './realtime.service';
import type { InboundAck, RealtimeNamespace } from './realtime.types';
import { RealtimeDispatcher } from './realtime-dispatcher';
import type { RealtimeSocketData } from './realtime-handshake';

type FxEvents = Record<string, (...args: unknown[]) => void>;
type AnySocket = Socket<FxEvents, FxEvents, FxEvents, RealtimeSocketData>;

/** Messages one socket may have in flight; more are refused (a phone retrying in a loop). */
const MAX_INFLIGHT = 16;

/**
 * Inbound client messages: `seen` (the channel's own) and whatever other modules registered
 * with RealtimeService.handle. Nothing a client sends can throw out of here: a bad payload, an
 * unknown event or a failing handler becomes `{ok: false, code, message}` on the ack callback.
 */
@Injectable()
export class RealtimeInbound {
  private readonly log = new Logger(RealtimeInbound.name);

  constructor(
    private readonly service: RealtimeService,
    private readonly repo: RealtimeRepository,
    private readonly dispatcher: RealtimeDispatcher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(ns: RealtimeNamespace, socket: AnySocket, event: unknown, args: unknown[]): Promise<void> {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (a: InboundAck) => void) : undefined;
    const reply = (a: InboundAck): void => {
      try {
        ack?.(a);
      } catch {
        // the client went away; nothing to tell
      }
    };
    if (socket.data.inflight >= MAX_INFLIGHT) return reply(fail('TOO_MANY_REQUESTS', 'too many messages in flight'));
    socket.data.inflight++;
    try {
      const raw = args[0];
      if (typeof event !== 'string') return reply(fail('UNKNOWN_EVENT', 'unknown event'));
      if (!isObject(raw)) return reply(fail('VALIDATION_FAILED', 'payload must be a JSON object'));
      if (event === 'seen') return reply(await this.seen(ns, socket, raw));
      const entry = this.service.inbound(ns, event);
      if (!entry) return reply(fail('UNKNOWN_EVENT', `no handler for ${event.slice(0, 64)} on /${ns}`));
      const payload = entry.parse ? entry.parse(raw) : raw;
      const result = await entry.handler(socket.data.principal, payload, { namespace: ns, socketId: socket.id });
      reply({ ...(result ?? {}), ok: true });
    } catch (err) {
      reply(this.toAck(err, event));
    } finally {
      socket.data.inflight--;
    }
  }

  /**
   * Records the user's seen cursor and tells the `onSeen` listeners which of this socket's
   * events are newly seen. Listeners run before the cursor moves: if one fails the client gets
   * an error and reports again later (listeners must be idempotent).
   */
  private async seen(ns: RealtimeNamespace, socket: AnySocket, raw: Record<string, unknown>): Promise<InboundAck> {
    const requested = raw.lastEventId;
    if (typeof requested !== 'number' || !Number.isSafeInteger(requested) || requested < 0) {
      return fail('VALIDATION_FAILED', 'lastEventId must be a non-negative integer');
    }
    // A client cannot have seen what was not sent yet.
    const lastSeenId = Math.min(requested, this.dispatcher.watermark);
    const { principal, sub } = socket.data;
    const listeners = this.service.seenListeners;
    const previousId = await this.repo.seenCursor(principal.userId);
    if (lastSeenId <= previousId) return { ok: true, lastSeenId: previousId };
    if (listeners.length) {
      const since = new Date(this.clock.now().getTime() - this.config.realtime.retentionHours * 3600_000);
      const rows = await this.repo.forSubscription(sub, previousId, lastSeenId, since, this.config.realtime.replayMaxEvents, 'newest');
      const notice = {
        principal,
        userId: principal.userId,
        holderId: principal.holderId,
        namespace: ns,
        previousId,
        lastSeenId,
        events: toSeenEvents(rows),
      };
      for (const listener of listeners) await listener(notice);
    }
    const cursor = await this.repo.recordSeen(principal.userId, lastSeenId, this.clock.now());
    return { ok: true, lastSeenId: cursor.lastSeenId };
  }

  private toAck(err: unknown, event: unknown): InboundAck {
    if (err instanceof AppError) return { ok: false, code: err.code, message: err.message, details: err.details };
    const e = err as { name?: string; issues?: Array<{ path: PropertyKey[]; message: string }> };
    if (e?.name === 'ZodError' && Array.isArray(e.issues)) {
      const details = e.issues.map((i) => ({ field: i.path.map(String).join('.'), problem: i.message }));
      return { ok: false, code: 'VALIDATION_FAILED', message: 'invalid payload', details };
    }
    this.log.error(`realtime handler for ${String(event).slice(0, 64)} failed: ${(err as Error)?.message ?? String(err)}`);
    return fail('INTERNAL', 'internal error');
  }
}

function fail(code: string, message: string): InboundAck {
  return { ok: false, code, message };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof ArrayBuffer);
}
