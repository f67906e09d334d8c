import { AppError, CITY_WIDE_ROLES } from '@fangxun/common';
import type { Subscription } from './realtime.repository';
import { COMMAND_ROLES, RealtimeNamespace, RealtimePrincipal, Rooms } from './realtime.types';

/** What the handshake leaves on `socket.data`. */
export interface RealtimeSocketData {
  principal: RealtimePrincipal;
  sub: Subscription;
  /** Replay cursor the client sent (`handshake.auth.lastEventId`); undefined = no replay. */
  lastEventId?: number;
  /** Token expiry (ms since epoch); the socket is closed then. */
  expiresAt?: number;
  inflight: number;
}

/** Refusal carried to the client's `connect_error`: `err.message` is the code. */
export class HandshakeError extends Error {
  readonly data: { code: string; message: string };
  constructor(code: string, message: string) {
    super(code);
    this.data = { code, message };
  }
}

/**
 * Rooms of a socket. /warden: the person (holder) and the user. /command: the division the
 * user is responsible for (city-wide roles: the city) and, at city level, `command`; events of
 * the divisions below arrive because a division event is emitted to all its ancestors' rooms.
 */
export function subscriptionFor(ns: RealtimeNamespace, p: RealtimePrincipal): Subscription {
  if (ns === 'warden') {
    if (!p.holderId) throw new HandshakeError('FORBIDDEN', 'the warden channel is for users linked to a responsibility holder');
    return { rooms: [Rooms.person(p.holderId), Rooms.user(p.userId)], scopePath: null };
  }
  if (!COMMAND_ROLES.includes(p.role)) throw new HandshakeError('FORBIDDEN', `role ${p.role} may not open the command channel`);
  const scopePath = CITY_WIDE_ROLES.includes(p.role) ? p.divisionPath.split('.')[0] : p.divisionPath;
  const code = scopePath.split('.').pop() as string;
  const rooms: string[] = [Rooms.division(code)];
  if (!scopePath.includes('.')) rooms.push(Rooms.command);
  return { rooms, scopePath };
}

/** `handshake.auth.lastEventId`: absent, or a non-negative integer (number or digit string). */
export function parseLastEventId(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new HandshakeError('VALIDATION_FAILED', 'auth.lastEventId must be a non-negative integer');
  }
  return n;
}

/** The token's `exp` (already verified), in ms; undefined when it has none. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function toHandshakeError(err: unknown): HandshakeError {
  if (err instanceof HandshakeError) return err;
  if (err instanceof AppError) return new HandshakeError(err.code, err.message);
  return new HandshakeError('INTERNAL', 'handshake failed');
}
