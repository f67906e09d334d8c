import { AppError } from '@fangxun/common';
import { orderIdOfSourceKey, orderSourceKey } from './order-delivery';
import { parseSocketFeedback } from './order-socket';

const fieldOf = (raw: Record<string, unknown>): string | undefined => {
  try {
    parseSocketFeedback(raw);
  } catch (err) {
    return (err as AppError).details[0]?.field;
  }
  return undefined;
};

describe('order.feedback over /warden', () => {
  const orderId = '1b4e28ba-2fa1-4d3b-9b8e-3a0e6c1f0a11';
  it('takes an order id, a report and counts', () => {
    expect(parseSocketFeedback({ orderId, report: '已转移', counts: { peopleMoved: 3 } })).toEqual({
      orderId,
      report: '已转移',
      counts: { peopleMoved: 3 },
    });
  });
  it('names the bad field', () => {
    expect(fieldOf({ orderId: 'x', report: 'r' })).toBe('orderId');
    expect(fieldOf({ orderId, report: '  ' })).toBe('report');
    expect(fieldOf({ orderId, report: 'r'.repeat(2001) })).toBe('report');
    expect(fieldOf({ orderId, report: 'r', counts: [1] })).toBe('counts');
  });
});

describe("an order's campaign key", () => {
  it('round-trips, and other campaigns are not orders', () => {
    expect(orderIdOfSourceKey(orderSourceKey('abc'))).toBe('abc');
    expect(orderIdOfSourceKey('warning:abc')).toBeNull();
    expect(orderIdOfSourceKey('manual:duty:abc')).toBeNull();
  });
});
