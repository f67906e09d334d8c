import { librarySources } from './source-files';

/**
 * One way to schedule (issue 15; README, Scheduling): a worker job is an `IntervalJob` (libs/common)
 * whose round claims its work in PostgreSQL. The timers that are not IntervalJobs are listed here
 * with the reason; a new one fails this test until it is an IntervalJob or argued for here.
 * (SmsSenderJob's two lanes chain setTimeout, which this does not look for: they re-run at once
 * while a pass comes back full.)
 */
const OWN_TIMERS: Record<string, string> = {
  'libs/common/src/interval-job.ts': 'the mechanism itself',
  'libs/feeds/src/polling/feed-poll.scheduler.ts': 'feed cadences are cron expressions in Beijing time (node-cron)',
  'libs/wakeup/src/events/wakeup.jobs.ts': 'also woken by outbox NOTIFY; rounds queue instead of being skipped',
  'libs/notify/src/sms/sms-sender.ts': 'lease extension while a pass works (not a schedule)',
  'libs/notify/src/socket/realtime-dispatcher.ts': 'api side: the live log tailer’s safety poll',
  'libs/notify/src/socket/realtime.gateway.ts': 'api side: sockets of deactivated users closed',
};

const SCHEDULES = /\bsetInterval\(|\bcron\.schedule\(|@nestjs\/schedule|@(Cron|Interval|Timeout)\(/;

describe('scheduling', () => {
  it('worker jobs are IntervalJobs; other timers are the listed ones', () => {
    const found = librarySources()
      .filter((f) => SCHEDULES.test(f.text))
      .map((f) => f.path);
    expect(found.filter((p) => !(p in OWN_TIMERS))).toEqual([]);
    expect(Object.keys(OWN_TIMERS).filter((p) => !found.includes(p))).toEqual([]);
  });

  it('@nestjs/schedule is not used (its module, decorators or registry)', () => {
    expect(SCHEDULES.test(`import { ScheduleModule } from '@nestjs/schedule';`)).toBe(true);
    expect(SCHEDULES.test('@Cron(CronExpression.EVERY_MINUTE)')).toBe(true);
  });
});
