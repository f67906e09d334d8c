import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { WarningService } from '@fangxun/feeds';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { seedTree, TREE } from '../support/fixtures';
import { AliyunStandin } from '../support/sms-standins';
import { eventually } from './wakeup.support';
import { addPatrollers, seedWorld } from './wakeup.world';

const EXTRA = 5000;
const ROOT = join(__dirname, '../..');

/**
 * The worker as production runs it (apps/worker/src/main.ts), in its own OS process, on this
 * jest worker's database, sending through a local Aliyun stand-in. Config comes from a
 * temporary config dir: the repo's files plus the provider and faster loops.
 */
function startWorker(configDir: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, FANGXUN_CONFIG_DIR: configDir, NODE_ENV: 'test', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return child;
}

function configDirFor(standin: AliyunStandin): string {
  const dir = mkdtempSync(join(tmpdir(), 'fangxun-crash-'));
  copyFileSync(join(ROOT, 'config/default.yaml'), join(dir, 'default.yaml'));
  const test = parse(readFileSync(join(ROOT, 'config/test.yaml'), 'utf8')) as Record<string, unknown>;
  const codes = { rainstorm: 'SMS_R0001', wakeup_order: 'SMS_W0001', escalation: 'SMS_E0001', public_warning: 'SMS_P0001' };
  test.sms = {
    providers: [
      {
        name: 'aliyun',
        kind: 'aliyun',
        endpoint: standin.url,
        accessKeyId: standin.accessKeyId,
        accessKeySecret: standin.accessKeySecret,
        signName: '临海防汛',
        templates: codes,
        timeoutMs: 2000,
        ratePerSecond: 1000,
        burst: 200,
        callbackSecret: 'crash-test-callback-token',
      },
    ],
    chain: ['aliyun'],
    sender: {
      enabled: true,
      intervalMs: 50,
      claimLimit: 500,
      leaseSeconds: 5,
      maxAttempts: 6,
      backoffBaseMs: 200,
      backoffMaxMs: 2000,
      unknownGiveUpSeconds: 600,
    },
  };
  test.wakeup = { tickMs: 100 };
  writeFileSync(join(dir, 'test.yaml'), stringify(test));
  return dir;
}

describe(`kill -9 of the worker during a ${EXTRA + 5}-call fan-out, then a restart: every call's SMS is sent, none twice`, () => {
  let t: TestApp;
  let standin: AliyunStandin;
  let dir: string;
  let worker: ChildProcess | undefined;
  const count = async (sql: string): Promise<number> => (await t.ds.query(sql))[0].n as number;

  beforeAll(async () => {
    standin = await new AliyunStandin().start();
    dir = configDirFor(standin);
    t = await bootApi();
    await truncateAll(t.ds);
    await seedTree(t.ds);
    const ids = await seedWorld(t.ds);
    await addPatrollers(t.ds, EXTRA, ids.villageHeadA, '+86138100');
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await t?.close();
    await standin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and doubles nothing', async () => {
    await t.app.get(WarningService).raise({
      kind: 'rainstorm',
      level: 'red',
      origin: 'manual',
      event: '暴雨红色预警',
      headline: '暴雨红色预警',
      divisionCodes: [TREE.townA],
      createdBy: 'crash-test',
    });
    worker = startWorker(dir);
    // Mid-way through the sending: some sent, some still queued or in flight.
    await eventually(() => expect(standin.sends.length).toBeGreaterThanOrEqual(1500), 120_000);
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
    const sentBeforeCrash = standin.sends.length;
    expect(sentBeforeCrash).toBeLessThan(EXTRA + 5);
    expect(await count(`select count(*)::int as n from wakeup_calls`)).toBe(EXTRA + 5);
    expect(await count(`select count(*)::int as n from sms_messages where status in ('queued', 'sending')`)).toBeGreaterThan(0);

    worker = startWorker(dir);
    await eventually(
      async () => expect(await count(`select count(*)::int as n from sms_messages where status = 'sent'`)).toBe(EXTRA + 5),
      120_000,
    );
    // the sender's status events reached every call (the board's "SMS sent")
    await eventually(
      async () => expect(await count(`select count(*)::int as n from wakeup_calls where sms_status = 'sent'`)).toBe(EXTRA + 5),
      60_000,
    );
    worker.kill('SIGKILL');

    const perNumber = new Map<string, number>();
    for (const s of standin.sends) perNumber.set(s.to, (perNumber.get(s.to) ?? 0) + 1);
    expect(perNumber.size).toBe(EXTRA + 5);
    expect([...perNumber.values()].filter((n) => n !== 1)).toEqual([]);
    expect(await count(`select count(*)::int as n from wakeup_campaigns`)).toBe(1);
  }, 300_000);
});
