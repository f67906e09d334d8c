import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { AppError, CommonErrors } from '@fangxun/common';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { RealtimeGateway, RealtimeRetentionJob, RealtimeService, Rooms, SeenNotice } from '@fangxun/notify';
import { RealtimeRepository } from '../../libs/notify/src/socket/realtime.repository';
import type { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { client, linkHolder, listen, ready, refused, TestClient, until, userId } from './socket-support';

describe('live channel (socket.io): wardens and command screens get their events once, in order, after any outage', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let port: number;
  let rt: RealtimeService;
  let config: AppConfig;
  let holderA: string;
  let wardenUserId: string;
  const open: TestClient[] = [];
  const connect = (ns: string, auth: Record<string, unknown>): TestClient => {
    const c = client(port, ns, auth);
    open.push(c);
    return c;
  };
  const warden = (lastEventId?: number) => connect('warden', { token: tok['warden-a'], lastEventId });
  const publish = (events: Parameters<RealtimeService['publish']>[1]) => t.ds.transaction((m) => rt.publish(m, events));
  const call = (room: ReturnType<typeof Rooms.person>, n: number) => ({
    room,
    event: 'test.call' as const,
    payload: { callId: `c${n}`, n },
  });

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    port = await listen(t.app);
    rt = t.app.get(RealtimeService);
    config = t.app.get<AppConfig>(APP_CONFIG);
    holderA = await linkHolder(t.ds, 'warden-a', TREE.gridA, '+8619900001001');
    wardenUserId = await userId(t.ds, 'warden-a');
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(() => t.close());

  describe('handshake', () => {
    const claims = async () => {
      const [u]: Array<Record<string, string>> = await t.ds.query(
        `select u.id as sub, u.username, u.role, d.id as "divisionId", d.code as "divisionCode", d.path::text as "divisionPath"
         from users u join divisions d on d.id = u.division_id where u.username = 'warden-a'`,
      );
      return u;
    };

    it('refuses a missing, malformed, forged or expired token with UNAUTHENTICATED', async () => {
      const forged = new JwtService({ secret: 'another-secret-that-is-long-enough-0123456789' }).sign(await claims(), {
        algorithm: 'HS256',
        issuer: config.auth.jwtIssuer,
      });
      const expired = new JwtService({ secret: process.env.JWT_SECRET }).sign(await claims(), {
        algorithm: 'HS256',
        issuer: config.auth.jwtIssuer,
        expiresIn: -60,
      });
      for (const auth of [{}, { token: 'garbage' }, { token: 42 }, { token: forged }, { token: expired }]) {
        const err = await refused(connect('warden', auth));
        expect(err.message).toBe('UNAUTHENTICATED');
      }
    });

    it('closes the session when its token expires, telling the client why', async () => {
      const short = new JwtService({ secret: process.env.JWT_SECRET }).sign(await claims(), {
        algorithm: 'HS256',
        issuer: config.auth.jwtIssuer,
        expiresIn: 2,
      });
      const c = connect('warden', { token: short });
      await ready(c);
      const gone = new Promise((r) => c.socket.once('disconnect', r));
      await until(() => c.received.some((x) => x.event === 'realtime.closing'), 'the closing notice', 5000);
      expect(c.received.find((x) => x.event === 'realtime.closing')?.msg).toEqual({
        code: 'TOKEN_EXPIRED',
        message: 'access token expired',
      });
      await gone;
    });

    it('closes open sockets of a user deactivated (or moved) since the handshake', async () => {
      const gateway = t.app.get(RealtimeGateway);
      const admin = connect('command', { token: tok['admin-b'] });
      const village = connect('command', { token: tok['village-a'] });
      await Promise.all([ready(admin), ready(village)]);
      const closed = (c: TestClient) => c.received.find((x) => x.event === 'realtime.closing')?.msg;
      await t.ds.query(`update users set active = false where username = 'admin-b'`);
      await t.ds.query(`update users set division_id = (select id from divisions where code = $1) where username = 'village-a'`, [
        TREE.villageB,
      ]);
      try {
        await gateway.recheckUsers();
        await until(() => !!closed(admin) && !!closed(village), 'both closing notices');
        expect(closed(admin)).toEqual({ code: 'UNAUTHENTICATED', message: 'user no longer active' });
        expect(closed(village)).toMatchObject({ code: 'SESSION_CHANGED' });
      } finally {
        await t.ds.query(`update users set active = true where username = 'admin-b'`);
        await t.ds.query(`update users set division_id = (select id from divisions where code = $1) where username = 'village-a'`, [
          TREE.villageA,
        ]);
      }
    });

    it('refuses a deactivated user even with a valid token', async () => {
      await t.ds.query(`update users set active = false where username = 'admin-b'`);
      try {
        expect((await refused(connect('command', { token: tok['admin-b'] }))).message).toBe('UNAUTHENTICATED');
      } finally {
        await t.ds.query(`update users set active = true where username = 'admin-b'`);
      }
    });

    it('keeps wardens off /command and users without a holder off /warden; refuses a bad lastEventId and the root namespace', async () => {
      expect((await refused(connect('command', { token: tok['warden-a'] }))).message).toBe('FORBIDDEN');
      expect((await refused(connect('warden', { token: tok['admin-a'] }))).message).toBe('FORBIDDEN');
      expect((await refused(connect('warden', { token: tok['warden-a'], lastEventId: 'x' }))).message).toBe('VALIDATION_FAILED');
      expect((await refused(connect('', { token: tok['warden-a'] }))).message).toBe('UNKNOWN_NAMESPACE');
    });
  });

  describe('delivery', () => {
    it('a warden gets the events of his person and user rooms, not another person’s', async () => {
      const c = warden();
      const r = await ready(c);
      expect(r.rooms).toEqual([`person:${holderA}`, `user:${wardenUserId}`]);
      await publish([call(Rooms.person(randomUUID()), 1), call(Rooms.person(holderA), 2), call(Rooms.user(wardenUserId), 3)]);
      await publish([call(Rooms.person(holderA), 4)]);
      await until(() => c.events().length >= 3, 'three events');
      expect(c.events().map((e) => e.msg.n)).toEqual([2, 3, 4]);
      const [first] = c.events();
      expect(first).toEqual({ event: 'test.call', msg: { id: expect.any(Number), callId: 'c2', n: 2 } });
    });

    it('a town admin gets his town’s and his villages’ events, not another town’s; the city screen gets all', async () => {
      const admin = connect('command', { token: tok['admin-a'] });
      const city = connect('command', { token: tok.commander });
      expect((await ready(admin)).rooms).toEqual([`division:${TREE.townA}`]);
      expect((await ready(city)).rooms).toEqual([`division:${TREE.city}`, 'command']);
      await publish([
        { room: Rooms.division(TREE.townB), event: 'test.board', payload: { n: 1 } },
        { room: Rooms.division(TREE.villageB), event: 'test.board', payload: { n: 2 } },
        { room: Rooms.division(TREE.townA), event: 'test.board', payload: { n: 3 } },
        { room: Rooms.division(TREE.villageA), event: 'test.board', payload: { n: 4 } },
        { room: Rooms.command, event: 'test.board', payload: { n: 5 } },
      ]);
      await until(() => city.events().length >= 5 && admin.events().length >= 2, 'board events');
      expect(admin.events().map((e) => e.msg.n)).toEqual([3, 4]);
      expect(city.events().map((e) => e.msg.n)).toEqual([1, 2, 3, 4, 5]);
    });

    it('nothing is delivered from a transaction that rolls back', async () => {
      const c = warden();
      await ready(c);
      await expect(
        t.ds.transaction(async (m) => {
          await rt.publish(m, [call(Rooms.person(holderA), 1)]);
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await publish([call(Rooms.person(holderA), 2)]);
      await until(() => c.events().length >= 1, 'the committed event');
      expect(c.events().map((e) => e.msg.n)).toEqual([2]);
    });

    it('an event committed late behind a larger id is still delivered, and in id order', async () => {
      const c = warden();
      await ready(c);
      const slow = t.ds.createQueryRunner();
      await slow.connect();
      await slow.startTransaction();
      try {
        await rt.publish(slow.manager, [call(Rooms.person(holderA), 1)]);
        await publish([call(Rooms.person(holderA), 2)]);
        // The later id is committed, but the hole before it may still fill: it waits.
        await new Promise((r) => setTimeout(r, 300));
        expect(c.events()).toEqual([]);
        await slow.commitTransaction();
      } finally {
        await slow.release();
      }
      await until(() => c.events().length >= 2, 'both events');
      expect(c.events().map((e) => e.msg.n)).toEqual([1, 2]);
      expect(c.events()[0].msg.id).toBeLessThan(c.events()[1].msg.id as number);
    });

    it('an event whose writer took its transaction id after the later event’s writer still waits for it (snapshot xmax bounds completed ids, not running ones)', async () => {
      // Snapshot xmax is latestCompletedXid + 1: when the hole's writer has the newest xid and
      // an older one commits the later event, xmin = xmax although the writer still runs.
      const c = warden();
      await ready(c);
      const older = t.ds.createQueryRunner();
      const newer = t.ds.createQueryRunner();
      for (const q of [older, newer]) {
        await q.connect();
        await q.startTransaction();
      }
      try {
        await older.query('select pg_current_xact_id()');
        await rt.publish(newer.manager, [call(Rooms.person(holderA), 1)]);
        await rt.publish(older.manager, [call(Rooms.person(holderA), 2)]);
        await older.commitTransaction();
        await new Promise((r) => setTimeout(r, 4 * config.realtime.gapRetryMs));
        expect(c.events()).toEqual([]);
        await newer.commitTransaction();
      } finally {
        for (const q of [older, newer]) {
          if (q.isTransactionActive) await q.rollbackTransaction();
          await q.release();
        }
      }
      await until(() => c.events().length >= 2, 'both events');
      expect(c.events().map((e) => e.msg.n)).toEqual([1, 2]);
    });

    it('a rolled-back publish does not hold the channel behind an unrelated long transaction', async () => {
      const c = warden();
      await ready(c);
      const unrelated = t.ds.createQueryRunner();
      await unrelated.connect();
      await unrelated.startTransaction();
      try {
        // An open transaction with an xid (a long import, say) that never touches the log.
        await unrelated.query('select pg_current_xact_id()');
        await expect(
          t.ds.transaction(async (m) => {
            await rt.publish(m, [call(Rooms.person(holderA), 1)]);
            throw new Error('rollback');
          }),
        ).rejects.toThrow('rollback');
        await publish([call(Rooms.person(holderA), 2)]);
        await until(() => c.events().length >= 1, 'the event behind the hole');
        expect(c.events().map((e) => e.msg.n)).toEqual([2]);
      } finally {
        await unrelated.rollbackTransaction();
        await unrelated.release();
      }
    });
  });

  describe('replay', () => {
    it('a phone off the network while 20 calls went out gets exactly those 20 on reconnect, in order, once', async () => {
      const first = warden();
      const { lastEventId } = await ready(first);
      first.close();
      // Another device of his stays online: once it has the 20, this replica has dispatched them.
      const watch = warden();
      await ready(watch);
      for (let n = 1; n <= 20; n++) await publish([call(Rooms.person(holderA), n), call(Rooms.person(randomUUID()), 100 + n)]);
      await until(() => watch.events().length >= 20, 'the live copies');
      const back = warden(lastEventId);
      const r = await ready(back);
      expect(r.replayed).toBe(20);
      await publish([call(Rooms.person(holderA), 21)]);
      await until(() => back.events().length >= 21, 'the live event after the replay');
      expect(back.events().map((e) => e.msg.n)).toEqual([...Array.from({ length: 21 }, (_, i) => i + 1)]);
      const ids = back.events().map((e) => e.msg.id as number);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      // The ready notice comes after every replayed event.
      expect(back.received.findIndex((x) => x.event === 'realtime.ready')).toBe(20);
    });

    it('events published while the client replays are neither lost nor doubled', async () => {
      const first = warden();
      const { lastEventId } = await ready(first);
      first.close();
      for (let n = 1; n <= 30; n++) await publish([call(Rooms.person(holderA), n)]);
      const publishing = (async () => {
        for (let n = 31; n <= 80; n++) await publish([call(Rooms.person(holderA), n)]);
      })();
      const back = warden(lastEventId);
      await ready(back);
      await publishing;
      await until(() => back.events().length >= 80, '80 events');
      await publish([call(Rooms.person(holderA), 81)]);
      await until(() => back.events().length >= 81, 'the marker');
      expect(back.events().map((e) => e.msg.n)).toEqual(Array.from({ length: 81 }, (_, i) => i + 1));
    });
  });

  describe('inbound', () => {
    const notices: SeenNotice[] = [];
    beforeAll(() => {
      rt.handle<{ callId: string }>(
        'warden',
        'test.echo',
        async (principal, payload) => {
          if (payload.callId === 'closed') throw new AppError(CommonErrors.Conflict, 'call is closed');
          if (payload.callId === 'boom') throw new Error('database on fire');
          return { callId: payload.callId, holderId: principal.holderId, userId: principal.userId };
        },
        (raw) => {
          if (typeof raw.callId !== 'string')
            throw new AppError(CommonErrors.Validation, 'callId: required', [{ field: 'callId', problem: 'required' }]);
          return { callId: raw.callId };
        },
      );
      rt.onSeen(async (n) => {
        notices.push(n);
      });
    });

    it('a registered handler (a call.ack-like test.echo) gets the principal and payload; its result or error comes back on the ack', async () => {
      const c = warden();
      await ready(c);
      expect(await c.socket.emitWithAck('test.echo', { callId: 'c1' })).toEqual({
        ok: true,
        callId: 'c1',
        holderId: holderA,
        userId: wardenUserId,
      });
      expect(await c.socket.emitWithAck('test.echo', { callId: 'closed' })).toMatchObject({
        ok: false,
        code: 'CONFLICT',
        message: 'call is closed',
      });
      expect(await c.socket.emitWithAck('test.echo', { callId: 7 })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      expect(await c.socket.emitWithAck('test.echo', { callId: 'boom' })).toEqual({
        ok: false,
        code: 'INTERNAL',
        message: 'internal error',
      });
      expect(await c.socket.emitWithAck('call.nope', {})).toMatchObject({ ok: false, code: 'UNKNOWN_EVENT' });
    });

    it('garbage does not crash the server', async () => {
      const c = warden();
      await ready(c);
      c.socket.emit('test.echo');
      c.socket.emit('test.echo', 'text');
      c.socket.emit('test.echo', null, null, null);
      c.socket.emit('seen', { lastEventId: -1 });
      expect(await c.socket.emitWithAck('test.echo', [1, 2])).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      expect(await c.socket.emitWithAck('test.echo', Buffer.from('binary'))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      expect(await c.socket.emitWithAck('seen', { lastEventId: 'x' })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      expect(await c.socket.emitWithAck('seen', 'x')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      // Over maxMessageBytes: the server drops that connection, and only that one.
      const big = warden();
      await ready(big);
      const dropped = new Promise((r) => big.socket.once('disconnect', r));
      big.socket.emit('test.echo', { callId: 'x'.repeat(config.realtime.maxMessageBytes + 10) });
      await dropped;
      // A malformed socket.io packet (60,000 nested arrays, never closed) straight onto the wire.
      const raw = warden();
      await ready(raw);
      const rawDropped = new Promise((r) => raw.socket.once('disconnect', r));
      (raw.socket.io.engine as unknown as { write(data: string): void }).write(`2/warden,${'['.repeat(60_000)}`);
      await rawDropped;
      expect(await c.socket.emitWithAck('test.echo', { callId: 'still-up' })).toMatchObject({ ok: true, callId: 'still-up' });
    });

    it('seen moves the user’s cursor and tells the listeners which events are newly seen', async () => {
      const c = warden();
      const { lastEventId: start } = await ready(c);
      await c.socket.emitWithAck('seen', { lastEventId: start });
      notices.length = 0;
      await publish([call(Rooms.person(holderA), 1), call(Rooms.person(randomUUID()), 2), call(Rooms.person(holderA), 3)]);
      await until(() => c.events().length >= 2, 'two events');
      const last = c.events()[1].msg.id as number;
      expect(await c.socket.emitWithAck('seen', { lastEventId: last })).toEqual({ ok: true, lastSeenId: last });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        userId: wardenUserId,
        holderId: holderA,
        namespace: 'warden',
        previousId: start,
        lastSeenId: last,
      });
      expect(notices[0].events.map((e) => e.payload.n)).toEqual([1, 3]);
      // Reporting again (or an older id) changes nothing and tells nobody.
      expect(await c.socket.emitWithAck('seen', { lastEventId: start })).toEqual({ ok: true, lastSeenId: last });
      expect(notices).toHaveLength(1);
      const [row]: Array<{ id: string }> = await t.ds.query('select last_seen_id::text as id from realtime_cursors where user_id = $1', [
        wardenUserId,
      ]);
      expect(Number(row.id)).toBe(last);
    });
  });

  describe('retention', () => {
    it('events older than the window are neither replayed nor kept: the worker deletes them in batches', async () => {
      const first = warden();
      const { lastEventId } = await ready(first);
      first.close();
      const watch = warden();
      await ready(watch);
      for (let n = 1; n <= 7; n++) await publish([call(Rooms.person(holderA), n)]);
      await until(() => watch.events().length >= 7, 'the live copies');
      // Events 1..5 went out 25 hours ago (the window is 24 h).
      await t.ds.query(`update realtime_events set created_at = now() - interval '25 hours' where id > $1 and (payload->>'n')::int <= 5`, [
        lastEventId,
      ]);
      const back = warden(lastEventId);
      expect((await ready(back)).replayed).toBe(2);
      expect(back.events().map((e) => e.msg.n)).toEqual([6, 7]);

      const clock = new Clock();
      const small = { ...config, realtime: { ...config.realtime, retentionDeleteBatch: 2 } };
      const job = new RealtimeRetentionJob(new RealtimeRepository(t.ds), clock, small);
      expect(config.realtime.retentionHours).toBe(24);
      expect(await job.tick()).toBe(5);
      const rows: Array<{ n: number }> = await t.ds.query(
        `select (payload->>'n')::int as n from realtime_events where id > $1 order by id`,
        [lastEventId],
      );
      expect(rows.map((r) => r.n)).toEqual([6, 7]);
      expect(await job.tick()).toBe(0);
    });
  });

  describe('without Redis', () => {
    it('broadcast reaches the room over NOTIFY and is not stored', async () => {
      const admin = connect('command', { token: tok['admin-a'] });
      await ready(admin);
      const [{ n: before }]: Array<{ n: number }> = await t.ds.query('select count(*)::int as n from realtime_events');
      await rt.broadcast(Rooms.division(TREE.villageA), 'test.refresh', { reason: 'test' });
      await until(() => admin.events().length >= 1, 'the broadcast');
      expect(admin.events()).toEqual([{ event: 'test.refresh', msg: { reason: 'test' } }]);
      const [{ n: after }]: Array<{ n: number }> = await t.ds.query('select count(*)::int as n from realtime_events');
      expect(after).toBe(before);
    });

    it('publish refuses bad rooms, event names and payloads before writing anything', async () => {
      const bad = [
        { room: 'everyone', event: 'a.b', payload: {} },
        { room: Rooms.command, event: 'connect', payload: {} },
        { room: Rooms.command, event: 'realtime.ready', payload: {} },
        { room: Rooms.command, event: 'a.b', payload: { id: 1 } },
        { room: Rooms.command, event: 'a.b', payload: [] },
      ];
      for (const e of bad) await expect(publish([e as never])).rejects.toThrow(/realtime/);
    });
  });
});
