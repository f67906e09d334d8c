import type { Clock } from '@fangxun/common';
import type { AppConfig } from '@fangxun/config';
import type { ThresholdService } from './threshold.service';
import { ThresholdEvaluationJob } from './threshold-evaluation.job';

describe('threshold evaluation tick', () => {
  const at = new Date('2026-07-28T03:00:00Z');
  const clock = { now: () => at } as Clock;
  const config = { feeds: { thresholds: { evaluateSeconds: 60 } } } as AppConfig;

  it('evaluates every subject at the clock’s now and reports the crossings', async () => {
    const evaluate = jest.fn().mockResolvedValue({ subjects: 3, crossings: 2 });
    const job = new ThresholdEvaluationJob({ evaluate } as unknown as ThresholdService, clock, config);
    expect(await job.tick()).toBe(2);
    expect(evaluate).toHaveBeenCalledWith(at);
  });

  it('does not overlap itself, and a failed run does not stop the next', async () => {
    let release!: () => void;
    const evaluate = jest
      .fn()
      .mockImplementationOnce(() => new Promise((r) => (release = () => r({ subjects: 1, crossings: 1 }))))
      .mockRejectedValueOnce(new Error('database restarting'))
      .mockResolvedValue({ subjects: 1, crossings: 0 });
    const job = new ThresholdEvaluationJob({ evaluate } as unknown as ThresholdService, clock, config);
    const first = job.tick();
    expect(await job.tick()).toBe(0);
    release();
    expect(await first).toBe(1);
    expect(await job.tick()).toBe(0);
    expect(await job.tick()).toBe(0);
    expect(evaluate).toHaveBeenCalledTimes(3);
  });
});
