import { Injectable, OnModuleInit } from '@nestjs/common';
import { UUID_PATTERN, validationError } from '@fangxun/common';
import { RealtimeService } from '@fangxun/notify';
import { OrderService } from './order.service';

interface SocketFeedback {
  orderId: string;
  report: string;
  counts?: Record<string, unknown>;
}

/** `order.feedback {orderId, report, counts?}` over /warden (counts are checked against the order by the service). */
export function parseSocketFeedback(raw: Record<string, unknown>): SocketFeedback {
  if (typeof raw.orderId !== 'string' || !UUID_PATTERN.test(raw.orderId)) throw validationError('orderId', 'must be an order id (uuid)');
  if (typeof raw.report !== 'string' || !raw.report.trim().length || raw.report.length > 2000)
    throw validationError('report', 'must be a text of 1–2000 characters');
  if (raw.counts !== undefined && (typeof raw.counts !== 'object' || raw.counts === null || Array.isArray(raw.counts)))
    throw validationError('counts', 'must be an object');
  return { orderId: raw.orderId, report: raw.report, counts: raw.counts as Record<string, unknown> | undefined };
}

/** A warden reports an order done (反馈) from his phone, on the socket he got it on. */
@Injectable()
export class OrderSocket implements OnModuleInit {
  constructor(
    private readonly realtime: RealtimeService,
    private readonly orders: OrderService,
  ) {}

  onModuleInit(): void {
    this.realtime.handle<SocketFeedback>(
      'warden',
      'order.feedback',
      async (principal, p) => ({
        ...(await this.orders.feedbackBySocket(principal, p.orderId, p.report, p.counts)),
      }),
      parseSocketFeedback,
    );
  }
}
