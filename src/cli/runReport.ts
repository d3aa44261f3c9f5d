// What `hammock run` and `hammock test` ran, and the three ways they print it: text for people, JUnit XML for CI
// (the schema CI test reporters validate against: Jenkins' junit-10.xsd, test/fixtures/junit), JSON for scripts. Pure.

import type { ConsoleLine, TestResult } from '../http/scripts/scriptProtocol';
import { maskable, maskSecretsIn } from '../http/secretMask';
import { describeRunError } from '../util/runError';

/** One request of a run, as reported. */
export interface RequestReport {
  readonly collection: string;
  /** folder names down to the request. */
  readonly folders: readonly string[];
  readonly id: string;
  readonly name: string;
  readonly method: string;
  readonly url?: string;
  readonly status?: number;
  readonly statusText?: string;
  readonly durationMs: number;
  readonly tests: readonly (TestResult & { phase?: string })[];
  readonly console: readonly ConsoleLine[];
  /** the request could not be run or sent: the stage and the message. */
  readonly error?: { readonly stage: string; readonly message: string };
  readonly skipped?: boolean;
}

/** One unit test suite run (`hammock test`). */
export interface SuiteReport {
  readonly collection: string;
  readonly name: string;
  readonly tests: readonly TestResult[];
  readonly error?: string;
}

export interface RunReport {
  readonly kind: 'run' | 'test';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly requests: readonly RequestReport[];
  readonly suites: readonly SuiteReport[];
  /** requests and suites not run, with why (a gRPC request, --bail). */
  readonly notRun: readonly { readonly name: string; readonly why: string }[];
}

export interface RunTotals {
  readonly requests: number;
  readonly requestErrors: number;
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function totals(report: RunReport): RunTotals {
  const tests = [...report.requests.flatMap((r) => r.tests), ...report.suites.flatMap((s) => s.tests)];
  return {
    requests: report.requests.length,
    requestErrors: report.requests.filter((r) => r.error).length + report.suites.filter((s) => s.error).length,
    tests: tests.length,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status === 'failed').length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
  };
}

/** Whether the run failed: a test failed, or a request (or a suite) could not be run. */
export function failed(report: RunReport): boolean {
  const t = totals(report);
  return t.failed > 0 || t.requestErrors > 0;
}

/** `value` with every secret (4 characters or more, longest first) masked in each of its strings. */
export function masked<T>(value: T, secrets: readonly string[]): T {
  const list = maskable(secrets);
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskSecretsIn(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}

const MAX_SHOWN = 10_000;

/**
 * Text from a collection or a script as one line of the terminal: control characters (escape sequences that would
 * recolour, move the cursor or clear the CI log, carriage returns and line breaks that would forge lines such as a
 * `::` workflow command or a false summary) and bidirectional overrides are shown as escapes; a huge text is cut.
 */
export function shown(text: string): string {
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length - MAX_SHOWN} more characters)` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Several lines of such text: each shown, the ones after the first indented, and none may read as a CI workflow
 * command (GitHub's runner takes a line that starts with `::` after its leading spaces as one).
 */
function shownLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => shown(line).replace(/^(\s*)::/, '$1\\x3a:'))
    .join(`\n${indent}`);
}

function label(r: RequestReport): string {
  return shown([...r.folders, r.name].join(' / '));
}

function testLine(t: TestResult, ok: string, bad: string, skip: string): string {
  const m = t.status === 'passed' ? ok : t.status === 'failed' ? bad : skip;
  return `      ${m} ${shown(t.name)}${t.status === 'failed' && t.error ? `: ${shownLines(t.error, '        | ')}` : t.status === 'skipped' ? ' (skipped)' : ''}`;
}

/** The text report: a line per request with its status, its tests below it, what failed and why, then the totals. */
export function formatText(report: RunReport, color = false): string {
  const c = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const ok = c('32', '✓');
  const bad = c('31', '✗');
  const skip = c('33', '-');
  const lines: string[] = [];
  let collection = '';
  for (const r of report.requests) {
    if (r.collection !== collection) {
      collection = r.collection;
      lines.push(c('1', shown(collection)));
    }
    const failedTests = r.tests.some((t) => t.status === 'failed');
    const mark = r.skipped ? skip : r.error || failedTests ? bad : ok;
    const status = r.skipped ? 'skipped by its script' : r.status !== undefined ? `${r.status} ${r.statusText ?? ''}`.trim() : 'not sent';
    lines.push(`  ${mark} ${shown(r.method.toUpperCase())} ${label(r)}  ${shown(status)}  ${ms(r.durationMs)}`);
    for (const t of r.tests) lines.push(testLine(t, ok, bad, skip));
    if (r.error) lines.push(`      ${bad} ${shownLines(describeRunError(r.error), '        | ')}`);
    if (r.error || failedTests) for (const l of r.console) lines.push(`      | ${l.level === 'log' ? '' : `${l.level}: `}${shownLines(l.text, '      | ')}`);
  }
  for (const s of report.suites) {
    if (s.collection !== collection) {
      collection = s.collection;
      lines.push(c('1', shown(collection)));
    }
    const mark = s.error || s.tests.some((t) => t.status === 'failed') ? bad : ok;
    lines.push(`  ${mark} suite ${shown(s.name)}`);
    for (const t of s.tests) lines.push(testLine(t, ok, bad, skip));
    if (s.error) lines.push(`      ${bad} ${shownLines(s.error, '        | ')}`);
  }
  for (const n of report.notRun) lines.push(`  ${skip} ${shown(n.name)}: not run (${shown(n.why)})`);
  const t = totals(report);
  lines.push('');
  // a request whose after-response script failed was sent: it is a script error, not one "not sent"
  const notSent = report.requests.filter((r) => r.error && r.status === undefined).length;
  const scriptErrors = report.requests.filter((r) => r.error && r.status !== undefined).length;
  const what = report.kind === 'run'
    ? `${t.requests} request${t.requests === 1 ? '' : 's'}${notSent ? `, ${notSent} not sent` : ''}${scriptErrors ? `, ${scriptErrors} script error${scriptErrors === 1 ? '' : 's'}` : ''}, `
    : '';
  lines.push(`${what}${t.tests} test${t.tests === 1 ? '' : 's'} in ${ms(report.durationMs)}`);
  // the plain closing line CI systems read
  lines.push(`${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
  return lines.join('\n') + '\n';
}

function xml(s: string): string {
  // XML 1.0 has no place for most control characters: they are dropped
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function secs(msValue: number): string {
  return (Math.max(0, msValue) / 1000).toFixed(3);
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * JUnit XML as CI reporters read it: one `<testsuite>` per request (its tests are the `<testcase>`s; a request that
 * could not be sent, or whose script failed, is an `<error>`) and one per unit test suite.
 */
export function formatJunit(report: RunReport, hostname = 'localhost'): string {
  const timestamp = report.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, '');
  const suites: string[] = [];
  const suite = (name: string, pkg: string, time: number, cases: readonly string[], n: Counts, out: string) =>
    `  <testsuite name="${xml(name)}" package="${xml(pkg)}" id="${suites.length}" hostname="${xml(hostname)}" timestamp="${timestamp}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${secs(time)}">\n` +
    `    <properties/>\n${cases.join('')}    <system-out>${xml(out)}</system-out>\n    <system-err/>\n  </testsuite>\n`;
  const testcase = (classname: string, t: TestResult) => {
    const open = `    <testcase name="${xml(t.name)}" classname="${xml(classname)}" time="${secs(t.durationMs)}"`;
    if (t.status === 'passed') return `${open}/>\n`;
    if (t.status === 'skipped') return `${open}>\n      <skipped/>\n    </testcase>\n`;
    const message = t.error ?? 'failed';
    return `${open}>\n      <failure message="${xml(message)}" type="AssertionError">${xml(message)}</failure>\n    </testcase>\n`;
  };
  const counts = (tests: readonly TestResult[], cases: number, error: boolean): Counts => ({
    tests: cases,
    failures: tests.filter((t) => t.status === 'failed').length,
    errors: error ? 1 : 0,
    skipped: tests.filter((t) => t.status === 'skipped').length,
  });
  for (const r of report.requests) {
    const classname = [r.collection, ...r.folders, r.name].join('.');
    const cases = r.tests.map((t) => testcase(classname, t));
    if (r.error) {
      cases.push(`    <testcase name="${xml(`${r.method.toUpperCase()} ${r.name}`)}" classname="${xml(classname)}" time="${secs(r.durationMs)}">\n      <error message="${xml(describeRunError(r.error))}" type="${xml(r.error.stage)}">${xml(r.error.message)}</error>\n    </testcase>\n`);
    }
    // a request whose URL was not rendered (a missing variable, a pre-request script that threw) has none to show
    const url = r.url === undefined ? '(the URL was not rendered)' : r.url === '' ? '(an empty URL)' : r.url;
    const out = [`${r.method.toUpperCase()} ${url} -> ${r.status ?? 'not sent'}`, ...r.console.map((l) => `${l.level}: ${l.text}`)].join('\n');
    suites.push(suite(label(r), r.collection, r.durationMs, cases, counts(r.tests, cases.length, !!r.error), out));
  }
  for (const s of report.suites) {
    const classname = `${s.collection}.${s.name}`;
    const cases = s.tests.map((t) => testcase(classname, t));
    if (s.error) cases.push(`    <testcase name="${xml(s.name)}" classname="${xml(classname)}" time="0.000">\n      <error message="${xml(s.error)}" type="sandbox">${xml(s.error)}</error>\n    </testcase>\n`);
    const time = s.tests.reduce((n, t) => n + t.durationMs, 0);
    suites.push(suite(s.name, s.collection, time, cases, counts(s.tests, cases.length, !!s.error), ''));
  }
  // what was not run (--bail, a gRPC request...) is there too, skipped with why: a CI's count of tests does not drop
  if (report.notRun.length) {
    const cases = report.notRun.map((n) => `    <testcase name="${xml(n.name)}" classname="not run" time="0.000">\n      <skipped message="${xml(n.why)}"/>\n    </testcase>\n`);
    suites.push(suite('not run', '', 0, cases, { tests: cases.length, failures: 0, errors: 0, skipped: cases.length }, ''));
  }
  const t = totals(report);
  const all = report.requests.reduce((n, r) => n + r.tests.length + (r.error ? 1 : 0), 0) + report.suites.reduce((n, s) => n + s.tests.length + (s.error ? 1 : 0), 0) + report.notRun.length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="hammock ${report.kind}" tests="${all}" failures="${t.failed}" errors="${t.requestErrors}" time="${secs(report.durationMs)}">\n` +
    suites.join('') +
    `</testsuites>\n`
  );
}

export function formatJson(report: RunReport): string {
  return JSON.stringify({ ...report, totals: totals(report), failed: failed(report) }, null, 2) + '\n';
}
