import type { OrderBoardRowDto, OrderTargetDto } from './dto/order.dto';

/** The orders' and sheet chains' events on /command (division rooms of their towns; overdue also to `command`). */
declare module '@fangxun/notify' {
  interface ServerEvents {
    'response.order_issued': {
      orderId: string;
      incidentId: string;
      title: string;
      issuerName: string;
      deadlineAt: string;
      targets: number;
      townCode: string;
    };
    /** A target signed (签收), escalated, completed (反馈) or overdue. */
    'response.order_target': Omit<OrderTargetDto, 'id'> & {
      change: 'signed' | 'escalated' | 'completed' | 'overdue';
      orderId: string;
      incidentId: string;
      targetId: string;
    };
    /** The town's row of the order's board after a change. */
    'response.order_progress': Omit<OrderBoardRowDto, 'townName'> & { orderId: string; incidentId: string };
    'response.order_overdue': {
      orderId: string;
      incidentId: string;
      title: string;
      deadlineAt: string;
      targets: Array<{ targetId: string; label: string; townCode: string; state: string }>;
    };
    'response.order_completed': { orderId: string; incidentId: string; title: string };
    'response.sheet_chain': {
      chainId: string;
      incidentId: string;
      change: string;
      state: string;
      overdue: boolean;
      title: string;
      townCodes: string[];
      orderId: string | null;
    };
  }
}
