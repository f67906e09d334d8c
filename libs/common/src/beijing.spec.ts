import { beijingClock, beijingDate } from './beijing';

describe('Beijing wall-clock time (UTC+8, no DST)', () => {
  it('rolls the day over at 16:00 UTC', () => {
    expect(beijingDate(new Date('2026-06-30T15:59:59Z'))).toBe('2026-06-30');
    expect(beijingDate(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07-01');
    expect(beijingClock(new Date('2026-06-30T16:05:00Z'))).toBe('00:05');
  });
});
