import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('runs once for a burst, with every key of the burst once', async () => {
    const runs: string[][] = [];
    const c = new Coalescer<string>(
      5,
      async (keys) => void runs.push(keys.sort()),
      () => undefined,
    );
    c.add(['a', 'b']);
    c.add(['b', 'c']);
    c.add([]);
    await c.idle();
    expect(runs).toEqual([['a', 'b', 'c']]);
  });

  it('never runs twice at once: keys that arrive during a run go into one more run after it', async () => {
    const runs: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let active = 0;
    let maxActive = 0;
    const c = new Coalescer<string>(
      1,
      async (keys) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push(keys);
        if (runs.length === 1) await gate;
        active--;
      },
      () => undefined,
    );
    c.add(['a']);
    while (runs.length === 0) await new Promise((r) => setTimeout(r, 1));
    c.add(['b']);
    c.add(['c']);
    release();
    await c.idle();
    expect(runs).toEqual([['a'], ['b', 'c']]);
    expect(maxActive).toBe(1);
  });

  it('reports a failed run and goes on', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const c = new Coalescer<string>(
      1,
      async () => {
        if (++n === 1) throw new Error('db down');
      },
      (e) => errors.push(e),
    );
    c.add(['a']);
    await c.idle();
    c.add(['b']);
    await c.idle();
    expect(n).toBe(2);
    expect(errors).toEqual([new Error('db down')]);
  });

  it('after close, adds are ignored and idle resolves', async () => {
    let n = 0;
    const c = new Coalescer<string>(
      1,
      async () => void n++,
      () => undefined,
    );
    c.add(['a']);
    await c.close();
    c.add(['b']);
    await c.idle();
    expect(n).toBe(0);
  });
});
