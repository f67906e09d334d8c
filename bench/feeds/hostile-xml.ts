/**
 * Bench: time to refuse each hostile XML file of the CAP bad-input corpus
 * (test/fixtures/cap/hostile-corpus.ts), through the same reader the API uses (safe-XML
 * checks, then fast-xml-parser with entities off). Aim: every file refused in under 50 ms.
 * Prints p50 and max over 20 runs per file with the machine's core count; it is not a test
 * (the tests assert the refusals, not the times).
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/feeds/hostile-xml.ts
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { validateCapAlert } from '../../libs/feeds/src/cap/cap-validate';
import { readCapXml } from '../../libs/feeds/src/cap/cap-xml.reader';
import { hostileCorpus } from '../../test/fixtures/cap/hostile-corpus';

const RUNS = 20;
const limits = { maxBytes: 1024 * 1024, maxDepth: 32 };

function refuse(body: Buffer): string {
  try {
    validateCapAlert(readCapXml(body, limits).json);
    return 'ACCEPTED (!)';
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message;
  }
}

console.log(`cores: ${cpus().length}, node ${process.version}, ${RUNS} runs per file`);
console.log(['file'.padEnd(32), 'bytes'.padStart(9), 'p50 ms'.padStart(8), 'max ms'.padStart(8), '  answer'].join(' '));
let worst = 0;
for (const c of hostileCorpus(limits.maxBytes)) {
  const times: number[] = [];
  let answer = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    answer = refuse(c.body);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  worst = Math.max(worst, times[times.length - 1]);
  console.log(
    [
      c.name.padEnd(32),
      String(c.body.length).padStart(9),
      times[RUNS >> 1].toFixed(2).padStart(8),
      times[RUNS - 1].toFixed(2).padStart(8),
      `  ${answer}`,
    ].join(' '),
  );
}
console.log(`worst refusal: ${worst.toFixed(2)} ms (aim < 50 ms) ${worst < 50 ? 'OK' : 'OVER'}`);
