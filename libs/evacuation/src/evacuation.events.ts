/**
 * The evacuation's events on /command (typed into the live channel's map): a town's room gets
 * its orders, its tasks' changes and its totals; every payload names its order or town.
 */
declare module '@fangxun/notify' {
  interface ServerEvents {
    'evacuation.order_raised': EvacuationOrderEvent;
    'evacuation.order_lifted': EvacuationOrderEvent;
    'evacuation.task_rerouted': EvacuationOrderEvent;
    'evacuation.task_flagged': EvacuationOrderEvent;
    'evacuation.task_reported': EvacuationOrderEvent;
    'evacuation.task_arrived': EvacuationOrderEvent;
    'evacuation.task_cancelled': EvacuationOrderEvent;
    'evacuation.totals': { town: string } & Record<string, unknown>;
  }
}

/** An order's or a task's change: the order's id and what changed (as the API shows it). */
export type EvacuationOrderEvent = { orderId: string } & Record<string, unknown>;
