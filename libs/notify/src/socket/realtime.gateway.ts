import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { Namespace, Server, Socket } from 'socket.io';
import { AccessTokenService, UsersService } from '@fangxun/auth';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { RealtimeRepository, RealtimeRow } from './realtime.repository';
import { RealtimeService } from './realtime.service';
import { REALTIME_NAMESPACES, RealtimeChannelEvents, RealtimeNamespace } from './realtime.types';
import { LiveMessage, RealtimeDispatcher } from './realtime-dispatcher';
import { HandshakeError, parseLastEventId, RealtimeSocketData, subscriptionFor, toHandshakeError, tokenExpiry } from './realtime-handshake';
import { RealtimeInbound } from './realtime-inbound';

/** Event names are open-ended (domain events); payloads are JSON objects. */
type FxEvents = Record<string, (...args: unknown[]) => void>;
type FxSocket = Socket<FxEvents, FxEvents, FxEvents, RealtimeSocketData>;
type FxNamespace = Namespace<FxEvents, FxEvents, FxEvents, RealtimeSocketData>;

/** How long a connecting client waits for this replica to catch up with a lastEventId seen elsewhere. */
const CATCH_UP_MS = 2000;

/**
 * The socket.io server of an api replica, attached to Nest's HTTP server (no Nest gateway
 * decorators: this keeps the adapter, the handshake and shutdown in one readable place).
 *
 * Durable events come from the database log (RealtimeDispatcher) and are emitted to THIS
 * replica's sockets only (`.local`): each replica tails the log itself, so a client gets an
 * event once, from the replica it is connected to, and can replay it after a reconnect. Redis
 * pub/sub is fire-and-forget (a replica that is restarting or a subscriber that lags loses
 * messages), so it only carries ephemeral `broadcast`s.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RealtimeGateway.name);
  private io?: Server;
  private redis: Redis[] = [];
  private recheckTimer?: NodeJS.Timeout;
  private readonly nsps = new Map<RealtimeNamespace, FxNamespace>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: AccessTokenService,
    private readonly users: UsersService,
    private readonly repo: RealtimeRepository,
    private readonly service: RealtimeService,
    private readonly dispatcher: RealtimeDispatcher,
    private readonly inbound: RealtimeInbound,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The socket.io server (tests and the bench use it for baselines). */
  get server(): Server | undefined {
    return this.io;
  }

  async onApplicationBootstrap(): Promise<void> {
    const rt = this.config.realtime;
    const io = new Server(this.adapterHost.httpAdapter.getHttpServer(), {
      serveClient: false,
      maxHttpBufferSize: rt.maxMessageBytes,
      pingInterval: rt.pingIntervalMs,
      pingTimeout: rt.pingTimeoutMs,
    });
    this.io = io;
    if (rt.redisUrl) {
      const pub = new Redis(rt.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
      const sub = pub.duplicate();
      for (const c of [pub, sub]) c.on('error', (err: Error) => this.log.warn(`realtime redis: ${err.message}`));
      this.redis = [pub, sub];
      // One deployment = one database: replicas of another deployment sharing this Redis stay apart.
      io.adapter(createAdapter(pub, sub, { key: `fx-realtime:${new URL(this.config.database.url).pathname.slice(1)}` }));
      this.service.attachLive((rooms, event, payload) => this.emitEverywhere(rooms, event, payload));
    }
    io.of('/').use((_socket, next) => next(new HandshakeError('UNKNOWN_NAMESPACE', 'connect to /command or /warden')));
    for (const ns of REALTIME_NAMESPACES) {
      const nsp = io.of(`/${ns}`) as unknown as FxNamespace;
      nsp.use((socket, next) => {
        this.authenticate(ns, socket).then(
          () => next(),
          (err: unknown) => next(toHandshakeError(err)),
        );
      });
      nsp.on('connection', (socket) => this.onConnection(ns, socket));
      this.nsps.set(ns, nsp);
    }
    await this.dispatcher.start({ durable: (row) => this.emitRow(row), live: (m) => this.emitLocal(m) });
    this.recheckTimer = setInterval(() => void this.recheckUsers(), rt.recheckSeconds * 1000);
    this.recheckTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.service.attachLive(undefined);
    await this.dispatcher.stop();
    const io = this.io;
    this.io = undefined;
    if (io) {
      // Not io.close(): that would also close Nest's HTTP server, which Nest closes itself.
      for (const nsp of this.nsps.values()) nsp.local.disconnectSockets(true);
      await Promise.allSettled([...this.nsps.values(), io.of('/')].map((nsp) => nsp.adapter.close()));
      io.engine.close();
    }
    await Promise.allSettled(this.redis.map((c) => c.quit()));
    for (const c of this.redis) c.disconnect();
    this.redis = [];
  }

  private async authenticate(ns: RealtimeNamespace, socket: FxSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const token = auth.token;
    if (typeof token !== 'string' || !token || token.length > 8192) throw new HandshakeError('UNAUTHENTICATED', 'auth.token required');
    // One query: the token's user, still active, with its division and holder; the rooms follow from them.
    const { principal: user, holderId } = await this.tokens.verifyWithHolder(token);
    const principal = { ...user, holderId };
    socket.data = {
      principal,
      sub: subscriptionFor(ns, principal),
      lastEventId: parseLastEventId(auth.lastEventId),
      expiresAt: tokenExpiry(token),
      inflight: 0,
    };
  }

  private onConnection(ns: RealtimeNamespace, socket: FxSocket): void {
    socket.onAny((event: string, ...args: unknown[]) => void this.inbound.handle(ns, socket, event, args));
    const { expiresAt } = socket.data;
    if (expiresAt !== undefined) {
      // A JWT's expiry is wall-clock time (the JWT library checks it against the system clock),
      // so the timer is too; capped at setTimeout's 24.8-day limit.
      const timer = setTimeout(
        () => this.close(socket, 'TOKEN_EXPIRED', 'access token expired'),
        Math.min(2_147_483_647, Math.max(0, expiresAt - Date.now())),
      );
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
    }
    this.replayThenJoin(socket).catch((err: unknown) => {
      this.log.error(`realtime replay failed: ${(err as Error).message}`);
      this.close(socket, 'INTERNAL', 'replay failed, reconnect');
    });
  }

  /**
   * Sends what the client missed, then joins its rooms. The last watermark check and the join
   * happen in one synchronous step, and the dispatcher emits and moves the watermark in one
   * synchronous step too: every event is either replayed (id <= watermark at join) or
   * emitted live (after the join), never both, never neither.
   */
  private async replayThenJoin(socket: FxSocket): Promise<void> {
    const { sub, lastEventId } = socket.data;
    const rt = this.config.realtime;
    let after = lastEventId;
    let replayed = 0;
    if (after !== undefined) await this.dispatcher.reach(after, CATCH_UP_MS);
    for (;;) {
      if (!socket.connected) return;
      const upTo = this.dispatcher.watermark;
      if (after === undefined || after >= upTo) {
        void socket.join(sub.rooms);
        this.emit(socket, 'realtime.ready', { lastEventId: upTo, replayed, rooms: sub.rooms });
        return;
      }
      const since = new Date(this.clock.now().getTime() - rt.retentionHours * 3600_000);
      const limit = Math.min(rt.dispatchBatch, rt.replayMaxEvents - replayed);
      const rows = await this.repo.forSubscription(sub, after, upTo, since, limit);
      for (const row of rows) socket.emit(row.event, { ...row.payload, id: row.id });
      replayed += rows.length;
      after = rows.length === limit ? rows[rows.length - 1].id : upTo;
      if (replayed >= rt.replayMaxEvents) {
        this.emit(socket, 'realtime.truncated', { replayed, lastEventId: after });
        after = this.dispatcher.watermark;
      }
    }
  }

  /** A durable row to this replica's sockets: person/user rooms on /warden, divisions and `command` on /command. */
  private emitRow(row: RealtimeRow): void {
    const message = { ...row.payload, id: row.id };
    if (row.room.startsWith('person:') || row.room.startsWith('user:')) {
      this.nsps.get('warden')?.local.to(row.room).emit(row.event, message);
      return;
    }
    const rooms = row.divisionPath ? row.divisionPath.split('.').map((code) => `division:${code}`) : [row.room];
    this.nsps.get('command')?.local.to(rooms).emit(row.event, message);
  }

  private emitLocal(m: LiveMessage): void {
    for (const nsp of this.nsps.values()) nsp.local.to(m.rooms).emit(m.event, m.payload);
  }

  /** Through the Redis adapter: every replica's sockets in these rooms. */
  private emitEverywhere(rooms: string[], event: string, payload: Record<string, unknown>): void {
    for (const nsp of this.nsps.values()) nsp.to(rooms).emit(event, payload);
  }

  private emit<K extends keyof RealtimeChannelEvents>(socket: FxSocket, event: K, body: RealtimeChannelEvents[K]): void {
    socket.emit(event, body);
  }

  private close(socket: FxSocket, code: string, message: string): void {
    this.emit(socket, 'realtime.closing', { code, message });
    socket.disconnect(true);
  }

  /**
   * Deactivated users lose their open sockets within `recheckSeconds`; so do users whose role,
   * division or holder changed (their rooms were derived from those), to reconnect afresh.
   */
  async recheckUsers(): Promise<void> {
    try {
      const sockets = [...this.nsps.values()].flatMap((nsp) => [...nsp.sockets.values()]).filter((s) => s.data.principal);
      const users = await this.users.activeSessions([...new Set(sockets.map((s) => s.data.principal.userId))]);
      for (const s of sockets) {
        const p = s.data.principal;
        const now = users.get(p.userId);
        if (!now) this.close(s, 'UNAUTHENTICATED', 'user no longer active');
        else if (now.role !== p.role || now.divisionId !== p.divisionId || now.holderId !== p.holderId) {
          this.close(s, 'SESSION_CHANGED', 'your role or area changed, reconnect');
        }
      }
    } catch (err) {
      this.log.warn(`realtime user re-check failed: ${(err as Error).message}`);
    }
  }
}
