import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { inTransaction } from '@fangxun/database';
import { RealtimeRepository } from './realtime.repository';
import {
  EVENT_PATTERN,
  InboundHandler,
  InboundParser,
  REALTIME_NAMESPACES,
  RealtimeEvent,
  RealtimeEventInput,
  RealtimeNamespace,
  RealtimeRoom,
  ROOM_PATTERN,
  SeenHandler,
  ServerEventName,
  ServerEvents,
} from './realtime.types';

/** Largest batch one publish takes (one statement; 5,000 is a town-wide wake-up). */
const MAX_PUBLISH = 50_000;
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_LIVE_BYTES = 7_500;

export interface InboundEntry {
  handler: InboundHandler<unknown>;
  parse?: InboundParser<unknown>;
}

/** How the gateway reaches every replica's sockets (set only when the Redis adapter is on). */
export type LiveEmitter = (rooms: string[], event: string, payload: Record<string, unknown>) => void;

/**
 * The live channel as other modules see it: durable `publish` inside their own transaction,
 * ephemeral `broadcast`, inbound message handlers and the "seen" hook. Usable in the worker
 * too (publish and broadcast need no socket server in the process).
 */
@Injectable()
export class RealtimeService {
  private readonly handlers = new Map<string, InboundEntry>();
  private readonly seenHandlers: SeenHandler[] = [];
  private liveEmitter?: LiveEmitter;

  constructor(private readonly repo: RealtimeRepository) {}

  /**
   * Appends durable events in the caller's transaction; they reach sockets (and the replay
   * log) only if it commits. Called outside a transaction, it opens one of its own.
   * Clients receive `socket.on(event, ({ id, ...payload }) => …)`; `id` is the replay cursor.
   * Each event's payload must be its name's type in ServerEvents (checked by the compiler; the
   * checks below are for what a cast or plain JavaScript lets through).
   */
  async publish<K extends ServerEventName>(manager: EntityManager, batch: ReadonlyArray<RealtimeEvent<K>>): Promise<{ count: number }> {
    const events = batch as unknown as RealtimeEventInput[];
    if (!events.length) return { count: 0 };
    if (events.length > MAX_PUBLISH) throw new Error(`realtime publish: at most ${MAX_PUBLISH} events per call`);
    for (const e of events) {
      checkRoom(e.room);
      checkEvent(e.event);
      checkPayload(e.payload);
      if ('id' in e.payload) throw new Error(`realtime publish: payload of ${e.event} may not have "id" (the event id goes there)`);
    }
    if (manager.queryRunner?.isTransactionActive) await this.repo.insert(manager, events);
    else await inTransaction(manager.dataSource, (m) => this.repo.insert(m, events));
    return { count: events.length };
  }

  /**
   * Ephemeral message (not stored, not replayed), e.g. "the command board changed, refresh".
   * With the Redis adapter it goes through socket.io to every replica; otherwise (or from the
   * worker) over NOTIFY, which every api replica's LISTEN connection receives.
   */
  async broadcast<K extends ServerEventName>(room: RealtimeRoom, event: K, typed: ServerEvents[K]): Promise<void> {
    const payload = typed as unknown as Record<string, unknown>;
    checkRoom(room);
    checkEvent(event);
    checkPayload(payload);
    const rooms = await this.expandRoom(room);
    if (this.liveEmitter) {
      this.liveEmitter(rooms, event, payload);
      return;
    }
    const message = JSON.stringify({ rooms, event, payload });
    if (Buffer.byteLength(message) > MAX_LIVE_BYTES)
      throw new Error(`realtime broadcast: ${event} is over ${MAX_LIVE_BYTES} bytes without Redis`);
    await this.repo.notifyLive(message);
  }

  /**
   * Registers the handler of an inbound client message on a namespace (`call.ack` on /warden).
   * The client's acknowledgement callback gets `{ok: true, ...result}` or `{ok: false, code,
   * message}` (AppError code; VALIDATION_FAILED for a bad payload). `parse` checks the payload
   * (already known to be a JSON object): a zod schema's `parse` fits.
   */
  handle<P = Record<string, unknown>>(
    namespace: RealtimeNamespace,
    event: string,
    handler: InboundHandler<P>,
    parse?: InboundParser<P>,
  ): void {
    if (!REALTIME_NAMESPACES.includes(namespace)) throw new Error(`realtime handle: unknown namespace ${namespace}`);
    checkEvent(event);
    const key = `${namespace} ${event}`;
    if (this.handlers.has(key)) throw new Error(`realtime handle: ${event} on /${namespace} is already handled`);
    this.handlers.set(key, { handler: handler as InboundHandler<unknown>, parse });
  }

  /** Called when a user's client reports events as seen (the `seen` message), after the cursor moved. */
  onSeen(handler: SeenHandler): void {
    this.seenHandlers.push(handler);
  }

  /** @internal for the gateway. */
  inbound(namespace: RealtimeNamespace, event: string): InboundEntry | undefined {
    return this.handlers.get(`${namespace} ${event}`);
  }

  /** @internal for the gateway. */
  get seenListeners(): readonly SeenHandler[] {
    return this.seenHandlers;
  }

  /** @internal the gateway sets this when the Redis adapter is attached. */
  attachLive(emitter: LiveEmitter | undefined): void {
    this.liveEmitter = emitter;
  }

  /** A division room also reaches the screens of every division above it. */
  private async expandRoom(room: RealtimeRoom): Promise<string[]> {
    if (!room.startsWith('division:')) return [room];
    const path = await this.repo.divisionPath(room.slice(9));
    return path ? path.split('.').map((code) => `division:${code}`) : [room];
  }
}

function checkRoom(room: string): void {
  if (typeof room !== 'string' || !ROOM_PATTERN.test(room)) throw new Error(`realtime: bad room "${String(room)}"`);
}

function checkEvent(event: string): void {
  if (typeof event !== 'string' || !EVENT_PATTERN.test(event) || event.startsWith('realtime.')) {
    throw new Error(`realtime: bad event name "${String(event)}" (dotted lower case; realtime.* is reserved)`);
  }
}

function checkPayload(payload: unknown): void {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('realtime: payload must be a JSON object');
}
