// Shared helpers of the in-host integration tests.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as YAML from 'yaml';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { ImportOutcome } from '../../src/importExport/importExportCommands';
import type { RequestEditorPanel } from '../../src/webviews/requestPanels';
import type { GitNotification } from '../../src/sync/syncService';
import type { EnvTreeNode } from '../../src/tree/environmentsTree';

export const EXTENSION_ID = 'hammock.hammock';

export async function activateHammock(): Promise<HammockApi> {
  const ext = vscode.extensions.getExtension<HammockApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  const api = await ext.activate();
  await api.ready;
  return api;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

export function inWorkspace(...parts: string[]): string {
  return path.join(workspaceRoot(), ...parts);
}

/** Polls until `probe` returns a truthy value; fails with `what` after `timeoutMs`. */
type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 5000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The label text of a tree item, whatever form it takes. */
export function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/**
 * The git CLI run asynchronously as `author` (author and committer; no system config, never a prompt), resolving to
 * its trimmed stdout. Asynchronous because the loopback git server answers from this same process.
 */
export function gitAs(author: { name: string; email: string }): (cwd: string, ...args: string[]) => Promise<string> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  return (cwd, ...args) =>
    new Promise((resolve, reject) =>
      execFile('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        err ? reject(new Error(`git ${args.join(' ')}: ${stderr || err.message}`)) : resolve(String(stdout).trim()),
      ),
    );
}

/** The git CLI as `gitAs` gives it: `git(cwd, ...args)`, resolving to the trimmed stdout. */
export type Git = ReturnType<typeof gitAs>;

/** A request file's first url line (a legacy request's `url:`, a v5 request's `- url:`) set to `url`. */
export async function setUrl(file: string, url: string): Promise<void> {
  const text = await fsp.readFile(file, 'utf8');
  const changed = text.replace(/^( *(?:- )?)url: .*$/m, `$1url: ${url}`);
  assert.notEqual(changed, text, `${file} has a url line`);
  await fsp.writeFile(file, changed);
}

/** A new repository at `dir` holding copies of `folders` of the test workspace, committed on `main` (one commit). */
export async function seedRepository(git: Git, dir: string, folders: readonly string[] = ['.insomnia'], message = 'the collections'): Promise<string> {
  await fsp.mkdir(dir, { recursive: true });
  for (const folder of folders) await fsp.cp(inWorkspace(folder), path.join(dir, folder), { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', message);
  return dir;
}

/** A team's repositories on this machine (see `teamRepositories`). */
export interface TeamRepositories {
  /** the repository the remote started from: `folders` of the test workspace, one commit on main */
  readonly seed: string;
  /** the remote: a bare clone of the seed */
  readonly bare: string;
  /** the user's clone of the remote (origin/main its upstream) */
  readonly mine: string;
  /** a teammate's clone of the remote */
  readonly mate: string;
  /** The teammate commits what they changed in tracked files (`commit -am`) and pushes it to main; its commit id. */
  matePushes(message: string): Promise<string>;
}

/**
 * A seed repository of `folders` of the test workspace, a bare remote cloned from it, the user's clone and a
 * teammate's clone, in `scratch` (a suite's own folder, never the workspace): `<name>` is mine, `<name>.git` the
 * remote, `<name>-seed` and `<name>-mate` the others, so that one scratch folder can hold several teams.
 */
export async function teamRepositories(git: Git, scratch: string, name: string, folders: readonly string[] = ['.insomnia']): Promise<TeamRepositories> {
  const seed = await seedRepository(git, path.join(scratch, `${name}-seed`), folders, `${name}: the collections`);
  const bare = path.join(scratch, `${name}.git`);
  await git(scratch, 'clone', '-q', '--bare', seed, bare);
  const mine = path.join(scratch, name);
  await git(scratch, 'clone', '-q', bare, mine);
  const mate = path.join(scratch, `${name}-mate`);
  await git(scratch, 'clone', '-q', bare, mate);
  return {
    seed,
    bare,
    mine,
    mate,
    matePushes: async (message) => {
      await git(mate, 'commit', '-q', '-am', message);
      await git(mate, 'push', '-q', 'origin', 'HEAD:main');
      return git(mate, 'rev-parse', 'HEAD');
    },
  };
}

/** The url of a legacy request file's text (the writer may fold a long one over two lines). */
export const urlOf = (text: string): unknown => (YAML.parse(text) as { url?: unknown }).url;

/** Polls `probe` every few ms (an event of the host that has no emitter: a message from the page taken in). */
export async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * A walk that moves the workspace's branches: what the suites before left uncommitted is committed first, and
 * `back()` puts the workspace as it was found (the files, uncommitted again, and the branch).
 */
export async function keepWorkspace(git: (cwd: string, ...args: string[]) => Promise<string>, api: HammockApi): Promise<{ readonly branch: string; back(): Promise<void> }> {
  const root = workspaceRoot();
  const commit = await git(root, 'rev-parse', 'HEAD');
  const branch = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
  let leftover: string | undefined;
  if (await git(root, 'status', '--porcelain')) {
    await git(root, 'add', '-A');
    await git(root, 'commit', '-q', '-m', 'walk: what the suites before left');
    leftover = await git(root, 'rev-parse', 'HEAD');
  }
  return {
    branch,
    back: async () => {
      await git(root, 'checkout', '-q', '-f', branch);
      await git(root, 'reset', '-q', '--hard', leftover ?? commit);
      await git(root, 'clean', '-q', '-fd');
      if (leftover) await git(root, 'reset', '-q', commit);
      await api.store.reload();
    },
  };
}

/** Every file under a folder as `<relative path> <size>`, sorted, `.git` left out: what "nothing was written" is checked against. */
export async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(`${path.relative(dir, p)} ${(await fsp.stat(p)).size}`);
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * Records the error notifications (`vscode.window.showErrorMessage`) shown from now on, answering none of them, until
 * `restore()`. Clear `messages` (`length = 0`) before the step whose errors a test counts.
 */
export function recordErrorMessages(): { readonly messages: string[]; restore(): void } {
  const messages: string[] = [];
  const win = vscode.window as { showErrorMessage: (...a: unknown[]) => Thenable<unknown> };
  const original = win.showErrorMessage;
  win.showErrorMessage = (message: unknown) => {
    messages.push(String(message));
    return Promise.resolve(undefined);
  };
  return { messages, restore: () => (win.showErrorMessage = original) };
}

/**
 * Runs `hammock.import` with these options and returns its (pending) result and its new preview panel; with
 * `loaded`, once the page itself has loaded in the workbench and asked for the summary (slow on a busy machine).
 */
export async function startImport(api: HammockApi, options: object, wait: { loaded?: boolean; timeoutMs: number }) {
  const before = api.importPreviews.current;
  const result = vscode.commands.executeCommand<ImportOutcome | undefined>('hammock.import', options);
  const preview = await waitFor('the import preview', () => {
    const p = api.importPreviews.current;
    return p && p !== before && (!wait.loaded || p.isReady) && p;
  }, wait.timeoutMs);
  return { result, preview };
}

/** One step the UI driver (test/support/uiDriver.mjs) takes on the real workbench page. */
export type UiStep =
  | { click: string }
  /** the mouse over the element (a tree row's inline actions show on hover) */
  | { hover: string }
  | { type: string; delayMs?: number; jitterMs?: number }
  | { clipboard: string }
  | { press: string }
  | { drag: string; to: string }
  | { attribute: string; name: string }
  | { value: string }
  /** the element's textContent (a button's label, where `value` gives its empty value) */
  | { text: string }
  /** the element's box in its frame, the frame's visible width and the lines its text is drawn on: `{ left, right, top, bottom, width, viewport, lines }` */
  | { rect: string }
  | { screenshot: string }
  | { wait: number };

/**
 * Acts on the real page as a person does, through the runner's UI driver: in the webview frame holding `frame.selector`
 * (with the text `frame.text`), runs the steps; resolves to each step's result (`value` steps give the element's value).
 */
export async function ui(frame: { selector: string; text?: string }, steps: UiStep[]): Promise<unknown[]> {
  const driver = process.env.HAMMOCK_UI_DRIVER;
  assert.ok(driver, 'HAMMOCK_UI_DRIVER is not set: this test drives the page through test/support/runInCodeServer.mjs');
  const res = await fetch(`${driver}/act`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ frame, steps }) });
  const out = (await res.json()) as { ok: boolean; results?: unknown[]; error?: string };
  if (!out.ok) assert.fail(`the UI driver could not act: ${out.error}`);
  return out.results ?? [];
}

/** Lines removed and added between two texts, as counts of lines (what `git diff --stat` would count). */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const counts = new Map<string, number>();
  for (const l of a.split('\n')) counts.set(l, (counts.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of b.split('\n')) {
    const n = counts.get(l) ?? 0;
    if (n > 0) counts.set(l, n - 1);
    else added.push(l);
  }
  const removed: string[] = [];
  for (const [l, n] of counts) for (let i = 0; i < n; i++) removed.push(l);
  return { removed, added };
}

/**
 * Answers the modal dialogs (`showInformationMessage` / `showWarningMessage` with `{ modal: true }`) shown from now on
 * with `answer` (a function gets the message), and the notifications with nothing, until `restore()`; `asked` lists
 * the modals' messages and their details.
 */
export function answerModals(answer: string | undefined | ((message: string) => string | undefined)): { asked: { message: string; detail: string }[]; restore(): void } {
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const info = win.showInformationMessage;
  const warn = win.showWarningMessage;
  const asked: { message: string; detail: string }[] = [];
  const stub = (message: unknown, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { modal?: boolean; detail?: string }) : undefined;
    if (!options?.modal) return Promise.resolve(undefined);
    asked.push({ message: String(message), detail: options.detail ?? '' });
    return Promise.resolve(typeof answer === 'function' ? answer(String(message)) : answer);
  };
  win.showInformationMessage = stub;
  win.showWarningMessage = stub;
  return {
    asked,
    restore: () => {
      win.showInformationMessage = info;
      win.showWarningMessage = warn;
    },
  };
}

/**
 * Holds the warnings whose message matches `asking` (a held edit's question) until the test answers them, and takes
 * Hammock's information messages into `infos`, until `restore()` (the others shown as usual). Not for the tests that
 * also run against the installed .vsix (editor, smoke): it replaces `vscode.window` functions.
 */
export function holdQuestions(asking: RegExp): { questions: { message: string; items: string[]; answer(choice: string | undefined): void }[]; infos: string[]; restore(): void } {
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const warn = win.showWarningMessage;
  const info = win.showInformationMessage;
  const questions: { message: string; items: string[]; answer(choice: string | undefined): void }[] = [];
  const infos: string[] = [];
  win.showWarningMessage = (message: unknown, ...items: unknown[]) => {
    if (!asking.test(String(message))) return warn(message, ...items);
    return new Promise((resolve) => questions.push({ message: String(message), items: items as string[], answer: resolve }));
  };
  win.showInformationMessage = (message: unknown, ...items: unknown[]) => {
    if (!String(message).startsWith('Hammock:')) return info(message, ...items);
    infos.push(String(message));
    return Promise.resolve(undefined);
  };
  return {
    questions,
    infos,
    restore: () => {
      win.showWarningMessage = warn;
      win.showInformationMessage = info;
      for (const q of questions) q.answer(undefined);
    },
  };
}

/** A request's `settings` as Insomnia writes them in a v5 file (at the indentation of a top-level request's keys). */
export const V5_REQUEST_SETTINGS = `    settings:
      renderRequestBody: true
      encodeUrl: true
      followRedirects: global
      cookies:
        send: true
        store: true
      rebuildPath: true`;

/** The next notification Hammock's git side shows (its message and actions), as the user would see it. */
export function nextNotification(api: HammockApi): Promise<GitNotification> {
  return new Promise((resolve) => {
    const sub = api.sync.onDidNotify((n) => {
      sub.dispose();
      resolve(n);
    });
  });
}

/** What a loopback server answers a request: a status and a JSON body. */
export interface LoopbackAnswer {
  readonly status?: number;
  readonly body: string;
}

/**
 * A loopback HTTP server that hands each request to `onRequest` and, once its body is read, answers what `answer`
 * says (as `application/json`), or `{}`.
 */
export async function startLoopbackServer(
  onRequest: (req: http.IncomingMessage) => void,
  answer?: (req: http.IncomingMessage) => LoopbackAnswer,
): Promise<{ readonly base: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    onRequest(req);
    req.resume();
    req.on('end', () => {
      if (!answer) return res.end('{}');
      const { status = 200, body } = answer(req);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A v5 collection file a suite writes into the workspace and commits (so that git sees no change), once the store has
 * read it: `collection()` finds it by its name, `remove()` (in `after`) deletes the file and commits that.
 */
export async function commitCollection(
  api: HammockApi,
  git: (cwd: string, ...args: string[]) => Promise<string>,
  file: { readonly name: string; readonly text: string; readonly collection: string; readonly message: string },
): Promise<{ collection(): Collection; remove(): Promise<void> }> {
  await fsp.writeFile(inWorkspace(file.name), file.text);
  await git(inWorkspace(), 'add', file.name);
  await git(inWorkspace(), 'commit', '-q', '-m', file.message);
  const find = () => api.store.collections.find((c) => c.name === file.collection);
  await waitFor('the collection read', find, 10_000);
  return {
    collection: () => find()!,
    remove: async () => {
      await fsp.rm(inWorkspace(file.name), { force: true });
      await git(inWorkspace(), 'rm', '-q', '--cached', file.name).catch(() => undefined);
      await git(inWorkspace(), 'commit', '-q', '-m', `${file.message} gone`).catch(() => undefined);
    },
  };
}

/**
 * The files a suite's tests change, written back as they were: a test keeps a file before it changes it
 * (`files.push`, or `keep`; openRequestEditor keeps the request's file), and `restore()`, in `afterEach` or `after`,
 * writes them back, the last kept first (so a file kept twice ends as it was first kept), and tells the store, so
 * that the next test and the next suite start from the workspace's files.
 */
export class KeptFiles {
  readonly files: { file: string; text: string }[] = [];
  constructor(private readonly api: () => HammockApi) {}

  async keep(...files: string[]): Promise<void> {
    for (const file of files) this.files.push({ file, text: await fsp.readFile(file, 'utf8') });
  }

  /** Writes the kept files back and refreshes them (and `also`: files a test made or removed) in the store. */
  async restore(also: readonly string[] = []): Promise<void> {
    const files = this.files.splice(0).reverse();
    for (const { file, text } of files) await fsp.writeFile(file, text);
    await this.api().store.refreshPaths([...also, ...files.map((f) => f.file)]);
  }
}

/**
 * Opens the request editor of `request` and waits for its page, the file's text first kept in `restore` (for the
 * suite to write back). `frame` finds the page by the request's name, for `ui`.
 */
export async function openRequestEditor(api: HammockApi, collection: Collection, request: HttpRequest, restore: { file: string; text: string }[]) {
  const file = request.source.file;
  const start = await fsp.readFile(file, 'utf8');
  restore.push({ file, text: start });
  const state = { collectionPath: collection.path, requestId: request.id };
  await vscode.commands.executeCommand('hammock.openRequest', state);
  const editor = api.requestPanels.editor(state);
  assert.ok(editor);
  await waitFor('the page to load', () => editor.uiReady, 45_000);
  return { file, start, state, editor, frame: { selector: 'header .name', text: request.name } };
}

/** The request named `name` in a collection of `format` (whose path ends with `file`, when given). */
export function requestNamed(api: HammockApi, name: string, format: 'legacy' | 'v5', file?: string): { collection: Collection; request: HttpRequest } {
  for (const collection of api.store.collections) {
    if (collection.format !== format || (file && !collection.path.endsWith(file))) continue;
    for (const item of walkItems(collection.children)) if (item.kind === 'request' && item.name === name) return { collection, request: item };
  }
  assert.fail(`no ${format} request "${name}"`);
}

/** As Insomnia writes a file: parsed, changed, and written whole again by its YAML library, `modified` moved on. */
export async function insomniaRewrite(file: string, change: (doc: Record<string, unknown>) => void): Promise<string> {
  const doc = YAML.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>;
  change(doc);
  if (typeof doc.modified === 'number') doc.modified = 1799999999999;
  const text = YAML.stringify(doc);
  await fsp.writeFile(file, text);
  return text;
}

/** Opens the environment editor on the sub-environment `id` of `c` as a click on its row of the Environments view does, and waits for its page. */
export async function openSubEnvironment(api: HammockApi, c: Collection, id: string) {
  const roots = (await api.environmentsTree.getChildren()) as EnvTreeNode[];
  const [base] = (await api.environmentsTree.getChildren(roots.find((n) => n.collection.path === c.path)!)) as EnvTreeNode[];
  const node = ((await api.environmentsTree.getChildren(base)) as EnvTreeNode[]).find((n) => n.type === 'environment' && n.environment.id === id)!;
  const command = node.getTreeItem().command!;
  await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
  const editor = api.environmentPanels.editor({ collectionPath: c.path, collectionId: c.id, environmentId: id });
  assert.ok(editor);
  await waitFor('the environment editor page', () => editor.uiReady, 45_000);
  return editor;
}

/**
 * Typing at the end of a request's URL field as a person does, for walks that race the typing with git: `urlInStore`
 * (the URL the store holds), `openEditor` (the request's editor, its page loaded), `typeAtEnd` (20-80 ms a key; resolves
 * once the host holds the last key, still in the save's debounce). `collectionPath` is asked at each call (a suite's
 * `before` sets the workspace); `name` finds the page, for `ui`.
 */
export function urlTyping(api: () => HammockApi, collectionPath: () => string, requestId: string, name: string) {
  const urlInStore = (): string | undefined => {
    const located = api().store.locate(collectionPath(), requestId);
    return located?.kind === 'item' && located.item.kind === 'request' ? located.item.url : undefined;
  };
  const openEditor = async (): Promise<{ editor: RequestEditorPanel; frame: { selector: string; text: string } }> => {
    const state = { collectionPath: collectionPath(), requestId };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api().requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    return { editor, frame: { selector: 'header .name', text: name } };
  };
  const typeAtEnd = async (editor: RequestEditorPanel, frame: { selector: string; text: string }, suffix: string): Promise<string> => {
    // what an earlier test typed is written first: the field and the store start from the same URL
    await waitFor('the editor to have written what it held', () => !editor.busy, 10_000);
    await waitFor('the page to show the stored URL', async () => (await ui(frame, [{ value: '#url' }]))[0] === urlInStore(), 10_000);
    const start = urlInStore();
    assert.ok(start, 'the request is in the store');
    const expected = start + suffix;
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: suffix, delayMs: 20, jitterMs: 60 }]);
    await until('the host to hold the last key typed', () => editor.unsaved?.url === expected || urlInStore() === expected);
    return expected;
  };
  return { urlInStore, openEditor, typeAtEnd };
}
