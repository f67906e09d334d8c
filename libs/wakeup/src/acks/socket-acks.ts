import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock, UUID_PATTERN, validationError } from '@fangxun/common';
import type { SeenNotice } from '@fangxun/notify';
import { RealtimeService } from '@fangxun/notify';
import { CallRepository } from '../calls/call.repository';
import type { Stage } from '../wakeup.types';
import { STAGES } from '../wakeup.types';
import { AckService } from './ack.service';

interface SocketAck {
  callId: string;
  stage: Stage;
  counts?: Record<string, number>;
}

const COUNT_KEYS = ['peopleMoved', 'households', 'vulnerableMoved'];

/** `call.ack {callId, stage?, counts?}` over the warden namespace. */
export function parseSocketAck(raw: Record<string, unknown>): SocketAck {
  if (typeof raw.callId !== 'string' || !UUID_PATTERN.test(raw.callId)) throw validationError('callId', 'must be a call id (uuid)');
  const stage = raw.stage ?? 'received';
  if (!(STAGES as readonly unknown[]).includes(stage)) throw validationError('stage', 'must be received or done');
  let counts: Record<string, number> | undefined;
  if (raw.counts !== undefined) {
    if (typeof raw.counts !== 'object' || raw.counts === null || Array.isArray(raw.counts))
      throw validationError('counts', 'must be an object');
    counts = {};
    for (const [k, v] of Object.entries(raw.counts)) {
      if (!COUNT_KEYS.includes(k)) throw validationError(`counts.${k}`, `unknown count (one of ${COUNT_KEYS.join(', ')})`);
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 1_000_000)
        throw validationError(`counts.${k}`, 'must be a whole number 0..1000000');
      counts[k] = v as number;
    }
  }
  return { callId: raw.callId, stage: stage as Stage, counts };
}

/**
 * Binds the wake-up to the socket.io channel: wardens answer calls with `call.ack`, and a
 * phone reporting a `wakeup.call` event as seen marks that call delivered over push.
 */
@Injectable()
export class SocketAcks implements OnModuleInit {
  private readonly log = new Logger(SocketAcks.name);

  constructor(
    private readonly realtime: RealtimeService,
    private readonly acks: AckService,
    private readonly calls: CallRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.realtime.handle<SocketAck>(
      'warden',
      'call.ack',
      async (principal, p) => ({
        ...(await this.acks.bySocket(principal.holderId, principal.userId, p.callId, p.stage, p.counts, {
          kind: 'user',
          userId: principal.userId,
          username: principal.username,
          role: principal.role,
          divisionId: principal.divisionId,
          divisionCode: principal.divisionCode,
          divisionPath: principal.divisionPath,
        })),
      }),
      parseSocketAck,
    );
    this.realtime.onSeen((notice) => this.seen(notice));
  }

  private async seen(notice: SeenNotice): Promise<void> {
    const ids = notice.events
      .filter((e) => e.event === 'wakeup.call' && typeof e.payload.callId === 'string')
      .map((e) => e.payload.callId as string);
    if (!ids.length) return;
    const marked = await this.calls.markPushDelivered(ids, this.clock.now());
    if (marked.length) this.log.debug?.(`${marked.length} call(s) seen on ${notice.principal.username}'s phone`);
  }
}
