import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './source-files';

/**
 * A socket event and its payload cannot disagree (issue 15): `RealtimeService.publish` and
 * `broadcast` take an event name of the ServerEvents map and that name's payload type. The
 * fixture holds calls that must compile and mismatches marked `@ts-expect-error`; jest does not
 * type-check (ts-jest diagnostics are off), so this test runs the compiler itself: once as
 * written (no error: every marked line did fail), once with the markers removed (an error on
 * each marked line, and only there).
 */
const FIXTURE = join(ROOT, 'test', 'architecture', 'fixtures', 'realtime-publish.typecheck.ts');
const MARKER = '// @ts-expect-error';

function compilerOptions(): ts.CompilerOptions {
  const file = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  return { ...ts.parseJsonConfigFileContent(file.config, ts.sys, ROOT).options, noEmit: true, types: ['node'] };
}

/** Semantic errors in the fixture (as given) as `line: message`. */
function errorsIn(text: string, oldProgram?: ts.Program): { lines: string[]; program: ts.Program } {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, fresh) =>
    name === FIXTURE ? ts.createSourceFile(name, text, lang) : read(name, lang, onError, fresh);
  const program = ts.createProgram({ rootNames: [FIXTURE], options, host, oldProgram });
  const source = program.getSourceFile(FIXTURE)!;
  const lines = program.getSemanticDiagnostics(source).map((d) => {
    const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`;
  });
  return { lines, program };
}

describe('typed live events', () => {
  const text = ts.sys.readFile(FIXTURE)!;
  const marked = text
    .split('\n')
    .flatMap((l, i) => (l.trim().startsWith(MARKER) ? [i + 2] : [])) // the line after the marker, 1-based
    .sort((a, b) => a - b);

  it('matching payloads compile and every marked mismatch fails to compile', () => {
    expect(marked.length).toBe(6);
    const { lines, program } = errorsIn(text);
    expect(lines).toEqual([]);

    const unmarked = text.split(MARKER).join('//');
    const errors = errorsIn(unmarked, program).lines;
    expect([...new Set(errors.map((e) => Number(e.split(':')[0])))].sort((a, b) => a - b)).toEqual(marked);
  }, 120_000);
});
