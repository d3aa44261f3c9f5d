// `hammock run` and `hammock test`: a collection's requests sent in collection order with their scripts and tests
// (Insomnia's `inso run collection`), and its unit test suites (`inso run test`), for a terminal or CI. No 'vscode'.
//
// - Secrets never come from the repository: variables are taken from the environment (`HAMMOCK_ENV_<NAME>=value`)
//   and from `--vars-file FILE` (`NAME=value` lines; `--env-file` too, where Node leaves it alone: see RUN_USAGE), on
//   top of the environment chosen with `--env`.
// - Nothing is written: what scripts set lives for the run (as inso's in-memory database keeps it).
// - `--changed REF[..REF2|...REF2]` runs only the requests the working tree (or REF2) changed against REF, as `hammock diff`
//   lists them, and the requests inside a folder whose own fields (headers, auth, scripts, variables) changed.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRepositoryRoot } from '../git/findRoot';
import type { Collection, Folder, HttpRequest, Item, Problem } from '../collections/model';
import { holdsItems, walkItems } from '../collections/model';
import { loadWorkspace, unreadableFiles, unreadSides } from '../collections/scan';
import { diffSnapshots, type SnapshotDiff } from '../collections/diff';
import { loadWorkspaceAtRef, UnknownRefError } from '../git/snapshotAtRef';
import { diffRefs, diffRefWithWorkingTree, isPlainScope, NoMergeBaseError } from '../git/refDiff';
import { ScriptSandbox } from '../http/scripts/scriptSandbox';
import { RunSession, type RequestRun } from '../http/run/runSession';
import { closeConnections, loadJar, sendRequest } from '../http/sendRequest';
import { sentSecrets } from '../http/secretMask';
import { looksSecret } from '../collections/secrets/detect';
import { ancestorFolders } from '../http/template';
import { pickCollection } from '../cliConvert';
import { isDirectory, posixRelative as relative } from '../util/posixRelative';
import { failed, formatJson, formatJunit, formatText, masked, type RequestReport, type RunReport, type SuiteReport } from './runReport';

export const RUN_USAGE = `  run [DIR] [--collection PATH_NAME_OR_ID] [--folder NAME_OR_ID]... [--env NAME_OR_ID]
      [--changed REF[..REF2|...REF2]] [--reporter text|junit|json] [--out FILE] [--bail]
      [--timeout MS] [--vars-file FILE] [--insecure]
                      send every HTTP request (or those under --folder, or those
                      changed since REF; REF...REF2: since their merge base) in
                      collection order, with their pre-request and after-response
                      scripts and tests; exit 1 if a test fails, a request cannot
                      be sent or a collection file cannot be read (it is named),
                      2 on a wrong option (an --env no collection has, a REF git
                      does not know, REF...REF2 with no merge base among them).
                      --timeout: each response's limit
                      (default 60000 ms, 0: none); a request past it is not sent.
                      Variables: HAMMOCK_ENV_<NAME>=value in the environment and
                      --vars-file lines (NAME=value) override the environment's;
                      nothing is written to the repository. --env-file FILE is
                      the same, but Node 20 reads that option itself wherever it
                      is (nodejs/node#54232): a missing FILE stops with 'node:
                      FILE: not found' and a NODE_OPTIONS line in it applies to
                      Node; use --vars-file
  test [DIR] [--collection PATH_NAME_OR_ID] [--env NAME_OR_ID] [--test-name-pattern RE]
      [--reporter text|junit|json] [--out FILE] [--bail] [--vars-file FILE]
                      run the collections' unit test suites as \`inso run test\` does;
                      exit 1 if a test fails, 2 on a wrong option (an unknown --env)
`;

export interface RunIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** the process environment (HAMMOCK_ENV_* variables). */
  readonly env?: NodeJS.ProcessEnv;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** How long `hammock run` waits for each response unless `--timeout` says. */
const DEFAULT_TIMEOUT_MS = 60_000;

class UsageError extends Error {}

export interface RunOptions {
  dir: string;
  collection?: string;
  folders: string[];
  env?: string;
  changed?: string;
  reporter: 'text' | 'junit' | 'json';
  out?: string;
  bail: boolean;
  timeoutMs?: number;
  /** `--vars-file` (or `--env-file`) as given, and the option's name (for messages). */
  envFile?: string;
  envFileOption?: string;
  insecure: boolean;
  testNamePattern?: string;
}

export function parseRunArgs(command: 'run' | 'test', args: readonly string[], io: RunIo): RunOptions {
  const withValue = command === 'run' ? ['--collection', '--folder', '--env', '--changed', '--reporter', '--out', '--timeout', '--vars-file', '--env-file'] : ['--collection', '--env', '--reporter', '--out', '--vars-file', '--env-file', '--test-name-pattern'];
  const flags = command === 'run' ? ['--bail', '--insecure'] : ['--bail'];
  const positional: string[] = [];
  const o: Partial<RunOptions> & { folders: string[] } = { folders: [], reporter: 'text', bail: false, insecure: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (flags.includes(name) && eq < 0) {
      if (name === '--bail') o.bail = true;
      if (name === '--insecure') o.insecure = true;
      continue;
    }
    if (!withValue.includes(name)) throw new UsageError(`unknown option for ${command}: ${a}`);
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    switch (name) {
      case '--collection': o.collection = value; break;
      case '--folder': o.folders.push(value); break;
      case '--env': o.env = value; break;
      case '--changed':
        // a range needs its first ref (`..main` would compare nothing with main)
        if (value.startsWith('..')) throw new UsageError('--changed needs a ref (REF, REF..REF2 or REF...REF2)');
        o.changed = value;
        break;
      case '--out': o.out = value; break;
      case '--vars-file':
      case '--env-file':
        o.envFile = value;
        o.envFileOption = name;
        break;
      case '--test-name-pattern':
        try {
          new RegExp(value);
        } catch {
          throw new UsageError(`--test-name-pattern: not a regular expression: ${value}`);
        }
        o.testNamePattern = value;
        break;
      case '--reporter':
        if (value !== 'text' && value !== 'junit' && value !== 'json') throw new UsageError(`--reporter must be text, junit or json (got ${value})`);
        o.reporter = value;
        break;
      case '--timeout': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--timeout must be a number of milliseconds (got ${value})`);
        o.timeoutMs = n;
        break;
      }
    }
  }
  if (positional.length > 1) throw new UsageError(`${command} takes one folder, got ${positional.length}`);
  const dir = path.resolve(io.cwd, positional[0] ?? '.');
  if (!isDirectory(dir)) throw new UsageError(`${positional[0] ?? dir}: not a folder`);
  // a server that never answers must not hold a CI job until the job's own limit (and lose the report): 0, no limit
  const timeoutMs = o.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : o.timeoutMs || undefined;
  return { ...(o as RunOptions), timeoutMs, dir };
}

/** `NAME=value` lines (`#` comments, optional `export `, quotes removed); `HAMMOCK_ENV_` before a name is dropped. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    if (m[2].startsWith('"')) value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    out[m[1].replace(/^HAMMOCK_ENV_/, '')] = value;
  }
  return out;
}

/** The variables given outside the repository: `--vars-file` first, then `HAMMOCK_ENV_<NAME>` (which win). */
function outsideVariables(options: RunOptions, io: RunIo): Record<string, string> {
  const vars: Record<string, string> = {};
  if (options.envFile) {
    const file = path.resolve(io.cwd, options.envFile);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new RunFailure(`${options.envFileOption ?? '--vars-file'} ${options.envFile}: cannot read it`);
    }
    Object.assign(vars, parseEnvFile(text));
  }
  for (const [k, v] of Object.entries(io.env ?? {})) if (k.startsWith('HAMMOCK_ENV_') && k.length > 12 && v !== undefined) vars[k.slice(12)] = v;
  return vars;
}

class RunFailure extends Error {}

/**
 * An option that names what is not there (`--env` an environment no collection has, `--changed` a ref git does not
 * know, two refs with no common history for `REF...REF2`): a usage error, exit 2 as a wrong option is, found before
 * anything is sent.
 */
class OptionFailure extends Error {}

/**
 * Why two refs cannot be compared from their merge base, and what to check: a setup error (exit 2), never the exit 1
 * of a failing test or a breaking change. A shallow clone (a CI checkout fetches one commit) has no common commit.
 */
export function noCommonHistoryMessage(base: string, head: string): string {
  return `${base} and ${head} have no common history (no merge base): if this is a shallow clone (a CI checkout often is), fetch the history with \`git fetch --unshallow\`; otherwise check for the wrong ref`;
}

/** The sub-environment `--env` names (id or name), or undefined for the base environment. */
function environmentOf(c: Collection, wanted: string | undefined): string | undefined {
  if (!wanted) return undefined;
  const base = c.baseEnvironment;
  if (base && (base.id === wanted || base.name === wanted)) return undefined;
  const subs = base?.subEnvironments ?? [];
  const found = [...subs.filter((e) => e.id === wanted), ...subs.filter((e) => e.id !== wanted && e.name === wanted)];
  if (found.length === 0) {
    const names = [base?.name, ...subs.map((e) => e.name)].filter(Boolean).map((n) => `"${n}"`);
    throw new OptionFailure(`--env ${wanted}: no environment "${wanted}" in ${c.name}; ${names.length ? `its environments: ${names.join(', ')}` : 'it has none'}`);
  }
  if (found.length > 1 && found[0].id !== wanted) throw new OptionFailure(`--env ${wanted}: "${wanted}" names ${found.length} environments of ${c.name}: give its id (${found.map((e) => e.id).join(', ')})`);
  return found[0].id;
}

/** The collection with the outside variables on top of the chosen environment (base when none is chosen). */
function withOutsideVariables(c: Collection, envId: string | undefined, vars: Record<string, string>): Collection {
  if (Object.keys(vars).length === 0) return c;
  const base = c.baseEnvironment ?? { id: `env_${c.id}`, parentId: c.id, name: 'Base Environment', data: {}, color: null, sortKey: 0, isPrivate: false, source: c.source, subEnvironments: [] };
  if (!envId) return { ...c, baseEnvironment: { ...base, data: { ...base.data, ...vars } } };
  return { ...c, baseEnvironment: { ...base, subEnvironments: base.subEnvironments.map((e) => (e.id === envId ? { ...e, data: { ...e.data, ...vars } } : e)) } };
}

/** Every item of a collection in the order Insomnia shows (and runs) them: depth first, by sort key. */
function ordered(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  for (const item of [...items].sort((a, b) => a.sortKey - b.sortKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    out.push(item);
    if (item.kind === 'folder') out.push(...ordered(item.children));
  }
  return out;
}

/** The folder `wanted` (id or name) of a collection; undefined when it has none. */
function folderOf(c: Collection, wanted: string): Folder | undefined {
  const folders = [...walkItems(c.children)].filter((i): i is Folder => i.kind === 'folder');
  const found = folders.filter((f) => f.id === wanted);
  const list = found.length ? found : folders.filter((f) => f.name === wanted);
  if (list.length > 1) throw new RunFailure(`"${wanted}" names ${list.length} folders of ${c.name}: give its id (${list.map((f) => f.id).join(', ')})`);
  return list[0];
}

interface CollectionPlan {
  readonly collection: Collection;
  readonly envId: string | undefined;
  /** the HTTP requests to send, in collection order. */
  readonly list: readonly HttpRequest[];
  readonly notRun: readonly { name: string; why: string }[];
}

/**
 * What a run sends, per collection, worked out before anything is sent: an unknown environment, or a folder no
 * collection has, stops the run here rather than after the first collections' requests went out. `--folder` without
 * `--collection` runs the folder in the collections that have it (others are left out); with `--collection` that
 * collection must have it.
 */
function planRun(collections: readonly Collection[], options: RunOptions, vars: Record<string, string>, diff: SnapshotDiff | undefined): CollectionPlan[] {
  const plans: CollectionPlan[] = [];
  const foldersSeen = new Set<string>();
  for (const original of collections) {
    const envId = environmentOf(original, options.env);
    const c = withOutsideVariables(original, envId, vars);
    // which requests, in collection order
    let scope: readonly Item[] = ordered(c.children);
    if (options.folders.length) {
      const inside = new Set<string>();
      let has = false;
      for (const name of options.folders) {
        const folder = folderOf(c, name);
        if (!folder) {
          if (options.collection) throw new RunFailure(`no folder "${name}" in ${c.name}`);
          continue;
        }
        has = true;
        foldersSeen.add(name);
        for (const item of walkItems(folder.children)) inside.add(item.id);
      }
      if (!has) continue;
      scope = scope.filter((i) => inside.has(i.id));
    }
    if (diff) {
      const changed = changedRequestIds(diff, c);
      scope = scope.filter((i) => changed.has(i.id));
    }
    const notRun: { name: string; why: string }[] = [];
    for (const i of scope) if (i.kind !== 'request' && i.kind !== 'folder') notRun.push({ name: `${c.name} / ${i.name}`, why: `${i.kind === 'grpcRequest' ? 'a gRPC' : i.kind === 'websocketRequest' ? 'a WebSocket' : 'a Socket.IO'} request: only HTTP requests are run` });
    plans.push({ collection: c, envId, list: scope.filter((i): i is HttpRequest => i.kind === 'request'), notRun });
  }
  const missing = options.folders.filter((name) => !foldersSeen.has(name));
  if (missing.length) throw new RunFailure(`no folder ${missing.map((n) => `"${n}"`).join(', ')} in ${collections.length === 1 ? collections[0].name : `any of the ${collections.length} collections`}`);
  return plans;
}

/** The ids of the requests a diff changed in a collection: requests added, changed or moved, and those under a changed folder. */
export function changedRequestIds(diff: SnapshotDiff, c: Collection): Set<string> {
  const ids = new Set<string>();
  const entry = diff.collections.find((d) => d.id === c.id && d.format === c.format);
  if (!entry) return ids;
  if (entry.kind === 'added') {
    for (const item of walkItems(c.children)) if (item.kind === 'request') ids.add(item.id);
    return ids;
  }
  const byId = new Map([...walkItems(c.children)].map((i) => [i.id, i]));
  for (const ch of entry.changes) {
    if (ch.kind === 'removed') continue;
    const item = byId.get(ch.id);
    if (!item) continue;
    if (item.kind === 'request') ids.add(item.id);
    else if (item.kind === 'folder' && ch.kind === 'changed' && (ch.fields ?? []).some((f) => f.field !== 'name' && f.field !== 'description')) {
      for (const inner of walkItems(item.children)) if (inner.kind === 'request') ids.add(inner.id);
    }
  }
  return ids;
}

async function collectionsFor(options: RunOptions, io: RunIo): Promise<{ collections: Collection[]; diff?: SnapshotDiff; unreadable: Problem[] }> {
  let collections: Collection[];
  let diff: SnapshotDiff | undefined;
  let unreadable: Problem[];
  if (options.changed) {
    // as git: `REF..REF2` the two trees, `REF...REF2` what REF2 changed since their merge base; REF2 absent after
    // the dots: HEAD; no dots: the working tree
    const dots = /^(.*?)(\.\.\.?)(.*)$/.exec(options.changed);
    const ref = dots ? dots[1] : options.changed;
    const ref2 = dots ? dots[3] || 'HEAD' : undefined;
    const mergeBase = dots?.[2] === '...';
    let root: string;
    try {
      root = await findRepositoryRoot(options.dir);
    } catch {
      throw new OptionFailure(`--changed ${options.changed}: ${relative(io.cwd, options.dir)} is not in a git repository (--changed compares git refs)`);
    }
    const dir = options.dir;
    const under = (p: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
    try {
      if (ref2) {
        // as `hammock diff REF REF2`: only what the two commits changed is read; the requests are run as REF2 has them
        diff = (await diffRefs(root, ref, ref2, { mergeBase })).diff;
        const run = await loadWorkspaceAtRef(root, ref2);
        collections = run.collections.filter((c) => under(c.path));
        unreadable = unreadableFiles(run, under);
      } else if (isPlainScope(root, dir)) {
        // as `hammock diff REF`: only the files that differ from REF are read from git (1 s, not 3-8 s, on 10,000 requests)
        diff = (await diffRefWithWorkingTree(root, ref, { scope: dir })).diff;
        const run = await loadWorkspace(dir);
        collections = run.collections;
        unreadable = unreadableFiles(run);
      } else {
        const atRef = await loadWorkspaceAtRef(root, ref);
        const before = atRef.collections.filter((c) => under(c.path));
        const run = await loadWorkspace(dir);
        collections = run.collections;
        unreadable = unreadableFiles(run);
        diff = diffSnapshots(before, collections, unreadSides(atRef, run));
      }
    } catch (err) {
      if (err instanceof UnknownRefError) {
        const at = relative(io.cwd, root);
        throw new OptionFailure(`--changed ${options.changed}: '${err.ref}' is not a branch, tag or commit in this repository${at === '.' ? '' : ` (${at})`}: check its spelling, or fetch it (a CI checkout often has one commit and no other branch)`);
      }
      if (err instanceof NoMergeBaseError) throw new OptionFailure(`--changed ${options.changed}: ${noCommonHistoryMessage(ref, ref2 ?? 'HEAD')}`);
      throw err;
    }
  } else {
    const run = await loadWorkspace(options.dir);
    collections = run.collections;
    unreadable = unreadableFiles(run);
  }
  if (options.collection) {
    collections = [pickCollection(collections, options.collection, options.dir, io.cwd)];
    // the collection named was read: other files are not this run's
    unreadable = [];
  }
  return { collections: collections.filter((c) => holdsItems(c.scope)), diff, unreadable };
}

/** Whether a folder or request of the collection has a script (a run of it needs the sandbox). */
function hasAnyScript(c: Collection): boolean {
  for (const item of walkItems(c.children)) {
    if ((item.kind === 'request' || item.kind === 'folder') && (item.scripts?.preRequest?.trim() || item.scripts?.afterResponse?.trim())) return true;
  }
  return false;
}

/**
 * The values a request's run carried that are secrets, as a Send masks them in what it keeps: the credentials of its
 * Authorization headers, every value of a private environment, the variables of the environments and folders it sees
 * that look like secrets (as the scripts left them), and the outside variables (CI's) that look like secrets.
 */
function secretsOf(c: Collection, envId: string | undefined, run: RequestRun, vars: Record<string, string>, globals: Record<string, unknown>): string[] {
  const sub = envId ? c.baseEnvironment?.subEnvironments.find((e) => e.id === envId) : undefined;
  // the globals as the scripts left them: a secret's template may read one, as the Send's render did
  const out = sentSecrets({ collection: c, privateEnvironment: sub?.isPrivate ? sub : undefined, globals }, undefined, run.rendered, envId, run.request.id, run.renderedTagValues, run.folders);
  for (const [name, value] of Object.entries(vars)) if (looksSecret(name, value)) out.push(value);
  return out;
}

function reportOf(c: Collection, run: RequestRun): RequestReport {
  const folders = (run.folders ?? ancestorFolders(c, run.request.id)?.folders ?? []).map((f) => f.name);
  return {
    collection: c.name,
    folders,
    id: run.request.id,
    name: run.request.name,
    method: run.rendered?.method ?? run.request.method,
    url: run.rendered?.url,
    status: run.response?.status,
    statusText: run.response?.statusText,
    durationMs: run.durationMs,
    tests: run.tests,
    console: run.console,
    error: run.error && { stage: run.error.stage, message: run.error.message },
    skipped: run.skipped,
  };
}

/** `hammock run` / `hammock test`; resolves to the exit code. */
export async function runCommand(command: 'run' | 'test', args: readonly string[], io: RunIo): Promise<number> {
  let options: RunOptions;
  try {
    options = parseRunArgs(command, args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`hammock ${command}: ${err.message}\n\nUsage:\n${RUN_USAGE}`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const sandbox = new ScriptSandbox();
  // the worker starts while the collections are read
  sandbox.warm();
  const startedAt = new Date();
  const started = performance.now();
  const requests: RequestReport[] = [];
  const suites: SuiteReport[] = [];
  const notRun: { name: string; why: string }[] = [];
  // what the run sent that is secret: masked in every report (a token a script logs, a test that compares it)
  const secrets = new Set<string>();
  try {
    const vars = outsideVariables(options, io);
    const { collections, diff, unreadable } = await collectionsFor(options, io);
    // a file that cannot be read holds requests (or suites) that will not run: named, listed, and the run fails
    for (const p of unreadable) {
      const file = relative(io.cwd, p.file);
      const at = `${p.line + 1}:${p.column + 1}`;
      io.stderr(`hammock ${command}: ${file}:${at}: ${p.message}; its ${command === 'run' ? 'requests' : 'test suites'} are not run\n`);
      notRun.push({ name: file, why: `cannot be read: ${at}: ${p.message}` });
    }
    if (collections.length === 0) throw new RunFailure(`no collection with requests under ${options.dir}`);
    // a run with no script ends the worker started for it at once (it would only take CPU from the requests)
    if (command === 'run' && !collections.some(hasAnyScript)) void sandbox.dispose();
    let stop = false;
    // `hammock test` runs suites: every collection is read as it is (its environment checked first)
    const plans = command === 'run' ? planRun(collections, options, vars, diff) : collections.map((original) => {
      const envId = environmentOf(original, options.env);
      return { collection: withOutsideVariables(original, envId, vars), envId, list: [], notRun: [] };
    });
    for (const plan of plans) {
      const { collection: c, envId, list } = plan;
      if (stop) {
        // --bail: what the later collections would have run is listed, not left out
        for (const rest of list) notRun.push({ name: `${c.name} / ${rest.name}`, why: '--bail after a failure' });
        if (command === 'test') for (const suite of c.testSuites ?? []) notRun.push({ name: `suite ${suite.name}`, why: '--bail after a failure' });
        continue;
      }
      notRun.push(...plan.notRun);
      const jar = await loadJar(undefined);
      const session = new RunSession(c, envId, {
        sandbox,
        send: (rendered, signal) => sendRequest(rendered, { signal, followRedirects: true, rejectUnauthorized: !options.insecure, cookieJar: jar, timeoutMs: options.timeoutMs }),
      });
      if (command === 'test') {
        for (const suite of c.testSuites ?? []) {
          if (stop) {
            notRun.push({ name: `suite ${suite.name}`, why: '--bail after a failure' });
            continue;
          }
          const run = await session.runUnitTests([suite], { bail: options.bail, testNamePattern: options.testNamePattern });
          for (const sent of run.requests) for (const secret of secretsOf(session.collection, envId, sent, vars, session.globals)) secrets.add(secret);
          const report: SuiteReport = { collection: c.name, name: suite.name, tests: run.tests, error: run.error?.message };
          suites.push(report);
          if (options.bail && (run.error || run.tests.some((t) => t.status === 'failed'))) stop = true;
        }
        continue;
      }
      // setNextRequest jumps; a bound keeps a loop of jumps finite
      let budget = list.length * 10 + 10;
      for (let i = 0; i < list.length && budget-- > 0; ) {
        // the request that comes next unless a script jumps: its pre-request scripts go with this one's after-response
        const following = i + 1 < list.length && budget > 0 ? list[i + 1] : undefined;
        const run = await session.runRequest(list[i], { next: following && { request: following, bail: options.bail, following: list[i + 2] } });
        const report = reportOf(session.collection, run);
        for (const secret of secretsOf(session.collection, envId, run, vars, session.globals)) secrets.add(secret);
        requests.push(report);
        if (options.bail && (report.error || report.tests.some((t) => t.status === 'failed'))) {
          stop = true;
          for (const rest of list.slice(i + 1)) notRun.push({ name: `${c.name} / ${rest.name}`, why: '--bail after a failure' });
          break;
        }
        const next = run.nextRequest ? list.findIndex((r) => r.id === run.nextRequest || r.name === run.nextRequest) : -1;
        i = next >= 0 ? next : i + 1;
      }
    }
    if (command === 'test' && suites.length === 0) throw new RunFailure('no unit test suites to run');
    const report = masked<RunReport>({ kind: command, startedAt: startedAt.toISOString(), durationMs: performance.now() - started, requests, suites, notRun }, [...secrets]);
    const text = options.reporter === 'junit' ? formatJunit(report, os.hostname()) : options.reporter === 'json' ? formatJson(report) : formatText(report);
    const code = failed(report) || unreadable.length > 0 ? EXIT_FAILED : EXIT_OK;
    if (options.out) {
      const file = path.resolve(io.cwd, options.out);
      try {
        // its folder made as `hammock export --out` makes it (a CI's reports/ folder before its first report)
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      } catch (err) {
        // the requests were sent: the report is not lost, it goes to stdout
        io.stderr(`hammock ${command}: --out ${options.out}: cannot write it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the report follows on stdout\n`);
        io.stdout(text);
        return EXIT_FAILED;
      }
      io.stdout(formatText(report));
    } else {
      io.stdout(text);
    }
    return code;
  } catch (err) {
    if (err instanceof OptionFailure) {
      io.stderr(`hammock ${command}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof RunFailure || (err instanceof Error && /^no collection|names \d+ collections/.test(err.message))) {
      io.stderr(`hammock ${command}: ${err.message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  } finally {
    await sandbox.dispose();
    await closeConnections();
  }
}
