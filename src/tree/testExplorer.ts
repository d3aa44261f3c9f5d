// VS Code's Test Explorer for Insomnia collections: a TestController whose items are each collection, its folders,
// the requests that have tests (an `insomnia.test(...)` in their scripts or a folder's above them) and the unit test
// suites of design documents. Running an item sends its requests in collection order with their scripts, as Send
// does (the active environment, cookies, what the scripts set saved as Send saves it), or runs its suites as
// `inso run test` does; each `insomnia.test` shows as a child of its request with its result and message. Items
// carry their file and line, so the editor's gutter runs them too. The items follow the store's change events.

import * as vscode from 'vscode';
import type { ActiveEnvironments, RenderEnvironment } from '../activeEnvironments';
import type { Collection, Folder, HttpRequest, Item, UnitTestSuite } from '../collections/model';
import { holdsItems } from '../collections/model';
import type { CollectionDelta, CollectionStore, StoreChange } from '../collections/store';
import type { RunSessions } from '../webviews/httpSender';
import { httpEngine } from '../webviews/httpEngine';
import { pendingEdits } from '../webviews/pendingEdits';
import { testCallLines } from './testCallLines';
import { describeRunError } from '../util/runError';

export interface TestExplorerDeps {
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly sessions: RunSessions;
  readonly log: vscode.LogOutputChannel;
}

const TEST_CALL = /\b(insomnia|pm)\.test(\.skip)?\s*\(/;

type Entry =
  | { readonly kind: 'collection'; readonly path: string; readonly id: string }
  | { readonly kind: 'folder' | 'request'; readonly path: string; readonly collectionId: string; readonly id: string }
  | { readonly kind: 'suite'; readonly path: string; readonly collectionId: string; readonly id: string }
  | { readonly kind: 'unitTest'; readonly path: string; readonly collectionId: string; readonly suiteId: string; readonly name: string }
  | { readonly kind: 'assertion' };

function hasTests(code: string | undefined): boolean {
  return !!code && TEST_CALL.test(code);
}

/** Whether a request has tests: `insomnia.test(...)` in its own scripts or those of a folder above it. */
function requestHasTests(request: HttpRequest, folders: readonly Folder[]): boolean {
  return [request.scripts, ...folders.map((f) => f.scripts)].some((s) => hasTests(s?.preRequest) || hasTests(s?.afterResponse));
}

/** A request's test item label: its method and name. */
function requestLabel(request: HttpRequest): string {
  return `${request.method.toUpperCase()} ${request.name || '(unnamed)'}`;
}

/** What a run reported for one item (the last run's, for tests and scripting). */
export interface ItemResult {
  readonly state: 'passed' | 'failed' | 'errored' | 'skipped';
  readonly messages: readonly string[];
}

export class TestExplorer implements vscode.Disposable {
  readonly controller: vscode.TestController;
  /** test item id -> what the last run reported for it. */
  readonly lastResults = new Map<string, ItemResult>();
  private readonly entries = new WeakMap<vscode.TestItem, Entry>();
  private readonly disposables: vscode.Disposable[] = [];
  /** a rebuild of every item, scheduled after a whole (re)load of the store (syncAllSoon). */
  private fullSync: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: TestExplorerDeps) {
    this.controller = vscode.tests.createTestController('hammock', 'Hammock');
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.controller.refreshHandler = async () => {
      await deps.store.reload();
      this.syncAll();
    };
    this.disposables.push(
      this.controller,
      deps.store.onDidChange((change) => this.sync(change)),
    );
    if (deps.store.isLoaded) this.syncAll();
  }

  /** The item of a collection, a folder, a request or a suite (tests use it); undefined when it has no tests. */
  item(collectionPath: string, collectionId: string, id?: string): vscode.TestItem | undefined {
    if (this.fullSync) this.syncAll();
    return this.existing(collectionPath, collectionId, id);
  }

  /** The item as it stands (no pending rebuild applied). */
  private existing(collectionPath: string, collectionId: string, id?: string): vscode.TestItem | undefined {
    const root = this.controller.items.get(rootId(collectionPath, collectionId));
    if (!root || id === undefined) return root;
    const find = (items: vscode.TestItemCollection): vscode.TestItem | undefined => {
      let found: vscode.TestItem | undefined;
      items.forEach((i) => {
        if (found) return;
        const e = this.entries.get(i);
        if (e && 'id' in e && e.id === id && e.kind !== 'collection') found = i;
        else found = find(i.children);
      });
      return found;
    };
    return find(root.children);
  }

  // -------------------------------------------------------------------------------------------------------------
  // items

  private sync(change: StoreChange): void {
    if (change.all) return this.syncAllSoon();
    // a whole rebuild is due: it reads the store as it is then, this change included
    if (this.fullSync) return;
    for (const delta of change.collections) {
      const id = rootId(delta.path, delta.id);
      if (!delta.collection) this.controller.items.delete(id);
      else if (!this.updateInPlace(delta)) this.syncCollection(delta.collection);
    }
  }

  /**
   * An edit of some requests' own fields (a URL typed, a script changed) in a collection of thousands: their items
   * are relabelled where they stand instead of the whole collection's items being built again on every save. Only
   * when no request gained or lost its tests and nothing else moved; returns false when a rebuild is needed.
   */
  private updateInPlace(delta: CollectionDelta): boolean {
    const c = delta.collection;
    if (!c || delta.kind !== 'changed' || delta.own || delta.items === 'all' || delta.containers === 'all' || delta.containers.size > 0) return false;
    if (delta.items.size > 16) return false;
    const updates: { test: vscode.TestItem; request: HttpRequest }[] = [];
    for (const itemId of delta.items) {
      const located = this.deps.store.locate(c.path, itemId);
      if (located?.kind !== 'item' || located.collection !== c || located.item.kind !== 'request') return false;
      const request = located.item;
      const test = this.existing(c.path, c.id, itemId);
      if (requestHasTests(request, this.foldersAbove(c, request)) !== !!test) return false; // gained or lost its tests
      if (test) updates.push({ test, request });
    }
    for (const { test, request } of updates) {
      test.label = requestLabel(request);
      test.range = new vscode.Range(request.source.line, 0, request.source.line, 0);
    }
    return true;
  }

  /** The folders above an item, outermost first (through parentId, as the store indexes them). */
  private foldersAbove(c: Collection, item: Item): Folder[] {
    const folders: Folder[] = [];
    for (let parent = item.parentId, depth = 0; parent !== c.id && depth < 64; depth++) {
      const located = this.deps.store.locate(c.path, parent);
      if (located?.kind !== 'item' || located.item.kind !== 'folder') break;
      folders.unshift(located.item);
      parent = located.item.parentId;
    }
    return folders;
  }

  /**
   * After a whole (re)load, the items are rebuilt on a later turn of the event loop: a store fires its load's change
   * before the Collections tree is ready, and building every test item of a 10,000-request repository (tens of ms)
   * is no reason to make the tree wait. Bursts of whole loads fold into one rebuild.
   */
  private syncAllSoon(): void {
    this.fullSync ??= setTimeout(() => {
      this.fullSync = undefined;
      this.syncAll();
    }, 0);
  }

  private syncAll(): void {
    if (this.fullSync) {
      clearTimeout(this.fullSync);
      this.fullSync = undefined;
    }
    const wanted = new Set<string>();
    for (const c of this.deps.store.collections) {
      if (this.syncCollection(c)) wanted.add(rootId(c.path, c.id));
    }
    const stale: string[] = [];
    this.controller.items.forEach((i) => {
      if (!wanted.has(i.id)) stale.push(i.id);
    });
    for (const id of stale) this.controller.items.delete(id);
  }

  /** (Re)builds a collection's items; returns whether it has any test. */
  private syncCollection(c: Collection): boolean {
    const id = rootId(c.path, c.id);
    const children: vscode.TestItem[] = [];
    if (holdsItems(c.scope)) children.push(...this.itemsOf(c, c.children, []));
    for (const suite of c.testSuites ?? []) children.push(this.suiteItem(c, suite));
    if (children.length === 0) {
      this.controller.items.delete(id);
      return false;
    }
    const root = this.controller.createTestItem(id, c.name, vscode.Uri.file(c.source.file));
    root.description = c.format === 'v5' ? vscode.workspace.asRelativePath(c.path) : `${vscode.workspace.asRelativePath(c.path)} (legacy)`;
    this.entries.set(root, { kind: 'collection', path: c.path, id: c.id });
    root.children.replace(children);
    this.controller.items.add(root);
    return true;
  }

  private itemsOf(c: Collection, items: readonly Item[], folders: readonly Folder[]): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    for (const item of [...items].sort((a, b) => a.sortKey - b.sortKey)) {
      if (item.kind === 'folder') {
        const inner = this.itemsOf(c, item.children, [...folders, item]);
        if (inner.length === 0) continue;
        const t = this.controller.createTestItem(`${rootId(c.path, c.id)}#${item.id}`, item.name || '(unnamed folder)', vscode.Uri.file(item.source.file));
        t.range = new vscode.Range(item.source.line, 0, item.source.line, 0);
        this.entries.set(t, { kind: 'folder', path: c.path, collectionId: c.id, id: item.id });
        t.children.replace(inner);
        out.push(t);
      } else if (item.kind === 'request' && requestHasTests(item, folders)) {
        const t = this.controller.createTestItem(`${rootId(c.path, c.id)}#${item.id}`, requestLabel(item), vscode.Uri.file(item.source.file));
        t.range = new vscode.Range(item.source.line, 0, item.source.line, 0);
        this.entries.set(t, { kind: 'request', path: c.path, collectionId: c.id, id: item.id });
        out.push(t);
      }
    }
    return out;
  }

  private suiteItem(c: Collection, suite: UnitTestSuite): vscode.TestItem {
    const t = this.controller.createTestItem(`${rootId(c.path, c.id)}#${suite.id}`, suite.name || '(unnamed suite)', vscode.Uri.file(suite.source.file));
    t.description = 'unit test suite';
    t.range = new vscode.Range(suite.source.line, 0, suite.source.line, 0);
    this.entries.set(t, { kind: 'suite', path: c.path, collectionId: c.id, id: suite.id });
    t.children.replace(
      suite.tests.map((u) => {
        const child = this.controller.createTestItem(`${t.id}#${u.id}`, u.name || '(unnamed test)', vscode.Uri.file(u.source.file));
        child.range = new vscode.Range(u.source.line, 0, u.source.line, 0);
        this.entries.set(child, { kind: 'unitTest', path: c.path, collectionId: c.id, suiteId: suite.id, name: u.name });
        return child;
      }),
    );
    return t;
  }

  // -------------------------------------------------------------------------------------------------------------
  // running

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (this.fullSync) this.syncAll();
    const run = this.recording(this.controller.createTestRun(request));
    this.lastResults.clear();
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const excluded = new Set(request.exclude ?? []);
      const roots: vscode.TestItem[] = [];
      if (request.include) roots.push(...request.include);
      else this.controller.items.forEach((i) => roots.push(i));
      // what to run, per collection: requests in collection order, suites (or some of their tests)
      const plan = new Map<string, { requests: Map<string, vscode.TestItem>; suites: Map<string, { item: vscode.TestItem; only?: Set<string> }> }>();
      const planOf = (path: string, id: string) => {
        const key = rootId(path, id);
        let p = plan.get(key);
        if (!p) plan.set(key, (p = { requests: new Map(), suites: new Map() }));
        return p;
      };
      const add = (item: vscode.TestItem) => {
        if (excluded.has(item)) return;
        const e = this.entries.get(item);
        if (!e || e.kind === 'assertion') return;
        if (e.kind === 'request') planOf(e.path, e.collectionId).requests.set(e.id, item);
        else if (e.kind === 'suite') planOf(e.path, e.collectionId).suites.set(e.id, { item });
        else if (e.kind === 'unitTest') {
          const suiteItem = item.parent!;
          const p = planOf(e.path, e.collectionId);
          const s = p.suites.get(e.suiteId) ?? { item: suiteItem, only: new Set<string>() };
          s.only?.add(e.name);
          p.suites.set(e.suiteId, s);
        } else item.children.forEach(add);
      };
      roots.forEach(add);
      for (const [key, p] of plan) {
        if (token.isCancellationRequested) break;
        const [path, id] = splitRoot(key);
        // what is on screen is run, as Send sends it: the keys the editors of this collection (its requests, its
        // environments) still hold in their debounce are written first; an edit held for the user's choice stops it
        const { held } = await pendingEdits.flush(path);
        if (held.length) {
          const text = `Not run: an edit of ${held[0].label} is not saved yet (${held[0].edit.message}). Choose in its editor, then run again.`;
          for (const item of [...p.requests.values(), ...[...p.suites.values()].map((s) => s.item)]) run.errored(item, message(text));
          continue;
        }
        const collection = this.deps.store.collectionAt(path, id);
        if (!collection) continue;
        // the environment Send would use: a private one (this machine's) as it is, and the collection's vault
        const { environment, vault } = await this.deps.active.renderEnvironment(collection);
        const session = await this.deps.sessions.session(collection, environment, controller.signal, vault);
        for (const request of orderedRequests(collection)) {
          const item = p.requests.get(request.id);
          if (!item) continue;
          if (token.isCancellationRequested) {
            run.skipped(item);
            continue;
          }
          await this.runRequest(run, item, session, request, environment, vault);
        }
        for (const [suiteId, { item, only }] of p.suites) {
          const suite = collection.testSuites?.find((s) => s.id === suiteId);
          if (!suite || token.isCancellationRequested) continue;
          await this.runSuite(run, item, session, suite, only, environment, vault);
        }
        await this.deps.sessions.persist(session);
      }
    } catch (err) {
      this.deps.log.error('test run failed', err);
      run.appendOutput(`Hammock: the test run failed: ${err instanceof Error ? err.message : String(err)}\r\n`);
    } finally {
      cancel.dispose();
      run.end();
    }
  }

  private async runRequest(run: vscode.TestRun, item: vscode.TestItem, session: Awaited<ReturnType<RunSessions['session']>>, request: HttpRequest, environment: RenderEnvironment['environment'], vault: RenderEnvironment['vault']): Promise<void> {
    run.started(item);
    const result = await session.runRequest(request);
    // what the run carried that is secret, masked in what VS Code shows and keeps of it (its test results, output
    // included, are stored in the workspace's storage), as the response history and `hammock run` mask it
    const http = httpEngine();
    const masks = http.maskable(http.sentSecrets(session, vault, result.rendered, environment, request.id, result.renderedTagValues));
    const m = (text: string) => http.maskSecretsIn(text, masks);
    const location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
    // not sent: why, on the line itself (a variable no environment defines, a host that does not answer), not only in
    // the message beside it
    const why = result.error ? m(describeRunError(result.error)) : result.skipped ? 'the pre-request script called insomnia.execution.skipRequest()' : undefined;
    const head = `${request.method.toUpperCase()} ${request.name}: ${result.response ? `${result.response.status} ${result.response.statusText}` : `not sent${why ? `: ${why}` : ''}`}`;
    run.appendOutput(`${head.replace(/\r?\n/g, '\r\n  ')}\r\n`, location, item);
    for (const l of result.console) run.appendOutput(`  ${l.level === 'log' ? '' : `${l.level}: `}${m(l.text).replace(/\n/g, '\r\n  ')}\r\n`, location, item);
    // one child per insomnia.test, with its own result, at the line of its call in the file when it is found there
    const lines = await this.testLines(item, result.tests.map((t) => t.name));
    const children: vscode.TestItem[] = [];
    const seen = new Map<string, number>();
    result.tests.forEach((t, i) => {
      const n = (seen.get(t.name) ?? 0) + 1;
      seen.set(t.name, n);
      const child = this.controller.createTestItem(`${item.id}#test:${t.name}${n > 1 ? `#${n}` : ''}`, t.name, item.uri);
      const line = lines[i];
      child.range = line === undefined ? item.range : new vscode.Range(line, 0, line, 0);
      this.entries.set(child, { kind: 'assertion' });
      children.push(child);
    });
    item.children.replace(children);
    const where = (child: vscode.TestItem) => (child.uri && child.range ? new vscode.Location(child.uri, child.range) : location);
    result.tests.forEach((t, i) => {
      const child = children[i];
      run.started(child);
      if (t.status === 'passed') run.passed(child, t.durationMs);
      else if (t.status === 'skipped') run.skipped(child);
      else run.failed(child, message(m(t.error ?? 'failed'), where(child)), t.durationMs);
    });
    const failedTests = result.tests.map((t, i) => ({ t, child: children[i] })).filter(({ t }) => t.status === 'failed');
    if (result.error) run.errored(item, message(m(describeRunError(result.error)), location), result.durationMs);
    else if (result.skipped) run.skipped(item);
    else if (failedTests.length) run.failed(item, failedTests.map(({ t, child }) => message(m(`${t.name}: ${t.error ?? 'failed'}`), where(child))), result.durationMs);
    else run.passed(item, result.durationMs);
  }

  /** The line of each named test call in the request's file (undefined where it is not found, or unreadable). */
  private async testLines(item: vscode.TestItem, names: readonly string[]): Promise<(number | undefined)[]> {
    if (!item.uri || !item.range || names.length === 0) return names.map(() => undefined);
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(item.uri));
      return testCallLines(text, item.range.start.line, names);
    } catch {
      return names.map(() => undefined);
    }
  }

  private async runSuite(run: vscode.TestRun, item: vscode.TestItem, session: Awaited<ReturnType<RunSessions['session']>>, suite: UnitTestSuite, only: Set<string> | undefined, environment: RenderEnvironment['environment'], vault: RenderEnvironment['vault']): Promise<void> {
    const children = new Map<string, vscode.TestItem>();
    item.children.forEach((c) => {
      const e = this.entries.get(c);
      if (e?.kind === 'unitTest') children.set(e.name, c);
    });
    const selected = only ? suite.tests.filter((t) => only.has(t.name)) : suite.tests;
    run.started(item);
    for (const t of selected) {
      const child = children.get(t.name);
      if (child) run.started(child);
    }
    const result = await session.runUnitTests([{ ...suite, tests: selected }]);
    // (masked as runRequest masks: with what the requests the tests sent carried too)
    const http = httpEngine();
    const masks = http.maskable([http.sentSecrets(session, vault, undefined, environment), ...result.requests.map((r) => http.sentSecrets(session, vault, r.rendered, environment, r.request.id, r.renderedTagValues))].flat());
    const m = (text: string) => http.maskSecretsIn(text, masks);
    for (const l of result.console) run.appendOutput(`${m(l.text).replace(/\n/g, '\r\n')}\r\n`, undefined, item);
    let failed = false;
    for (const t of result.tests) {
      const child = children.get(t.name);
      if (!child) continue;
      const location = child.uri && child.range ? new vscode.Location(child.uri, child.range) : undefined;
      if (t.status === 'passed') run.passed(child, t.durationMs);
      else if (t.status === 'skipped') run.skipped(child);
      else {
        failed = true;
        run.failed(child, message(m(t.error ?? 'failed'), location), t.durationMs);
      }
    }
    if (result.error) run.errored(item, message(m(result.error.message)));
    else if (failed) run.failed(item, message(`${result.tests.filter((t) => t.status === 'failed').length} unit test(s) failed`));
    else run.passed(item);
  }

  /** The run, with what it reports kept in `lastResults`. */
  private recording(run: vscode.TestRun): vscode.TestRun {
    const text = (m: vscode.TestMessage | readonly vscode.TestMessage[]) => (Array.isArray(m) ? m : [m]).map((x: vscode.TestMessage) => (typeof x.message === 'string' ? x.message : x.message.value));
    const keep = (item: vscode.TestItem, state: ItemResult['state'], messages: string[] = []) => this.lastResults.set(item.id, { state, messages });
    return Object.assign(Object.create(run) as vscode.TestRun, {
      passed: (item: vscode.TestItem, duration?: number) => {
        keep(item, 'passed');
        run.passed(item, duration);
      },
      failed: (item: vscode.TestItem, m: vscode.TestMessage | readonly vscode.TestMessage[], duration?: number) => {
        keep(item, 'failed', text(m));
        run.failed(item, m, duration);
      },
      errored: (item: vscode.TestItem, m: vscode.TestMessage | readonly vscode.TestMessage[], duration?: number) => {
        keep(item, 'errored', text(m));
        run.errored(item, m, duration);
      },
      skipped: (item: vscode.TestItem) => {
        keep(item, 'skipped');
        run.skipped(item);
      },
      started: (item: vscode.TestItem) => run.started(item),
      appendOutput: (output: string, location?: vscode.Location, item?: vscode.TestItem) => run.appendOutput(output, location, item),
      end: () => run.end(),
    });
  }

  dispose(): void {
    if (this.fullSync) clearTimeout(this.fullSync);
    this.disposables.forEach((d) => d.dispose());
  }
}

function message(text: string, location?: vscode.Location): vscode.TestMessage {
  const m = new vscode.TestMessage(text);
  if (location) m.location = location;
  return m;
}

function rootId(collectionPath: string, collectionId: string): string {
  return `${collectionPath}|${collectionId}`;
}

function splitRoot(key: string): [string, string] {
  const i = key.lastIndexOf('|');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The HTTP requests of a collection in the order Insomnia runs them: depth first, by sort key. */
function orderedRequests(c: Collection): HttpRequest[] {
  const out: HttpRequest[] = [];
  const walk = (items: readonly Item[]) => {
    for (const item of [...items].sort((a, b) => a.sortKey - b.sortKey)) {
      if (item.kind === 'request') out.push(item);
      else if (item.kind === 'folder') walk(item.children);
    }
  };
  walk(c.children);
  return out;
}
