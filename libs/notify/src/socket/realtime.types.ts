import type { EntityManager } from 'typeorm';
import type { Role } from '@fangxun/common';

/** The two socket.io namespaces: command-room screens and wardens' phones. */
export const REALTIME_NAMESPACES = ['command', 'warden'] as const;
export type RealtimeNamespace = (typeof REALTIME_NAMESPACES)[number];

/** Roles allowed on /command. /warden takes any active user linked to a responsibility holder. */
export const COMMAND_ROLES: readonly Role[] = ['commander', 'duty_officer', 'auditor', 'town_admin', 'village_admin'];

/**
 * Rooms events are addressed to. A `division:<code>` event reaches the screens of that division
 * and of every division above it (the city screen sees all); `command` is every city-level screen.
 */
export type RealtimeRoom = 'command' | `person:${string}` | `user:${string}` | `division:${string}`;

export const Rooms = {
  person: (holderId: string): RealtimeRoom => `person:${holderId}`,
  user: (userId: string): RealtimeRoom => `user:${userId}`,
  division: (divisionCode: string): RealtimeRoom => `division:${divisionCode}`,
  command: 'command' as RealtimeRoom,
};

export const ROOM_PATTERN = /^(command|(person|user):[0-9a-f-]{36}|division:[0-9A-Za-z_]{2,24})$/;
/** Dotted lower-case names (`wakeup.call_created`); `realtime.*` is reserved for the channel itself. */
export const EVENT_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * The live channel's event map, event name → payload: what `RealtimeService.publish` (durable)
 * and `broadcast` (ephemeral) accept, so an event and its payload cannot disagree. Each library
 * declares its own events beside its code by merging into this interface:
 * `declare module '@fangxun/notify' { interface ServerEvents { 'wakeup.call': WardenCallEvent } }`.
 * Names are dotted lower case (EVENT_PATTERN); payloads are JSON objects without an `id` key
 * (clients get `{ id, ...payload }` for a durable event, `id` being the replay cursor).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ServerEvents {}

export type ServerEventName = keyof ServerEvents & string;

/**
 * One durable event to publish, its payload's type following its name. Over a union of names it
 * is a union of such events, so one batch may mix events and each still has to match its own.
 */
export type RealtimeEvent<K extends ServerEventName = ServerEventName> = {
  [E in K]: { room: RealtimeRoom; event: E; payload: ServerEvents[E] };
}[K];

/** An event as the log stores it (untyped JSON); only the service's checked events get here. */
export interface RealtimeEventInput {
  room: RealtimeRoom;
  event: string;
  payload: Record<string, unknown>;
}

/** What a client receives for a durable event: the log id (its replay cursor) plus the payload. */
export type RealtimeMessage<P extends object = Record<string, unknown>> = P & { id: number };

/** Events the channel itself sends (server → client), outside the domain's ServerEvents. */
export interface RealtimeChannelEvents {
  /**
   * After replay, rooms joined: every event of the socket's rooms up to `lastEventId` (this
   * replica's position) has been sent; later ones come live. A client drops ids it already has
   * (possible only if it came from a replica that was ahead by more than the 2 s catch-up wait).
   */
  'realtime.ready': { lastEventId: number; replayed: number; rooms: string[] };
  /** More than `replayMaxEvents` were missed: the oldest were sent, reload state over HTTP. */
  'realtime.truncated': { replayed: number; lastEventId: number };
  /** The session ends (token expired, user deactivated); the client should log in again. */
  'realtime.closing': { code: string; message: string };
}

/** Everything a client receives, by event name: the channel's own events and the domain's (with `id`). */
export type RealtimeServerEvents = RealtimeChannelEvents & { [K in ServerEventName]: ServerEvents[K] & { id: number } };

/** Client → server messages handled by the channel itself. */
export interface RealtimeClientEvents {
  /** The client has shown every event up to `lastEventId`. Ack: `{ok:true, lastSeenId}`. */
  seen: { lastEventId: number };
}

/** The authenticated person behind a socket (built from the user row at handshake). */
export interface RealtimePrincipal {
  userId: string;
  username: string;
  role: Role;
  divisionId: string;
  divisionCode: string;
  divisionPath: string;
  /** The responsibility holder this user is (wardens); null for staff without one. */
  holderId: string | null;
}

export interface InboundContext {
  namespace: RealtimeNamespace;
  socketId: string;
}

/** Ack sent back for every inbound message that carried an acknowledgement callback. */
export type InboundAck = ({ ok: true } & Record<string, unknown>) | { ok: false; code: string; message: string; details?: unknown[] };

export type InboundHandler<P = Record<string, unknown>> = (
  principal: RealtimePrincipal,
  payload: P,
  ctx: InboundContext,
) => Promise<Record<string, unknown> | void>;

/** Minimal shape check for an inbound payload; throw (AppError VALIDATION_FAILED) or return the parsed value. */
export type InboundParser<P> = (raw: Record<string, unknown>) => P;

/** Events a user's client newly reported as seen (`seen` message), for "delivered over push". */
export interface SeenEvent {
  id: number;
  room: string;
  event: string;
  payload: Record<string, unknown>;
}

export interface SeenNotice {
  principal: RealtimePrincipal;
  userId: string;
  holderId: string | null;
  namespace: RealtimeNamespace;
  /** Cursor before this report (0 when the user never reported). */
  previousId: number;
  lastSeenId: number;
  /** Events in (previousId, lastSeenId] addressed to this socket's rooms (at most replayMaxEvents). */
  events: SeenEvent[];
}

export type SeenHandler = (notice: SeenNotice) => Promise<void>;

/** A transaction's manager (or the data source's) that `publish` writes through. */
export type RealtimeTx = Pick<EntityManager, 'query'>;
