// A model-based test of the edit loop (fast-check, seeded, bounded): random sequences of what the request editor's
// page sends (typing, select-all and typing, net-zero edits, paste, backspace, bursts, the debounce firing), of tree
// commands (new, rename, duplicate, delete, move) and of writes from outside (another editor, `git checkout` of another
// branch) run against the store, on a legacy repository, a v5 file, a legacy folder holding two workspaces and a
// workspace stored twice (a legacy folder and its v5 copy). After every step:
// - the store's model equals a fresh load of the disk;
// - once the page's edits are written, the file's request means what the page's URL field shows;
// - every write of the page's edits changed only the lines of the URL and of the parameter rows (and `modified`).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Collection, HttpRequest, Item } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { CollectionStore } from '../../../src/collections/store';
import { EditSession } from '../../../src/webviews/editSession';
import { displayUrl, urlFieldEdit } from '../../../src/webviews/urlField';
import { lineDiff } from './lineDiff';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

type Layout = 'legacy' | 'v5' | 'twoWorkspaces' | 'twins';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

function makeRepo(layout: Layout): string {
  const root = mkdtempSync(path.join(tmpdir(), `hammock-store-model-${layout}-`));
  const copy = (from: string, to: string) => cpSync(path.join(FIXTURES, from), path.join(root, to), { recursive: true });
  switch (layout) {
    case 'legacy':
      copy('legacy/kong-demo-with-tests/.insomnia', '.insomnia');
      break;
    case 'v5':
      copy('v5/kong-example/everything.yaml', 'api/everything.yaml');
      copy('v5/kong-example/my_collection.yaml', 'my_collection.yaml');
      break;
    case 'twoWorkspaces':
      copy('legacy/kong-example-design/.insomnia', '.insomnia');
      for (const type of readdirSync(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia'))) {
        copy(`legacy/minimal-collection/.insomnia/${type}`, `.insomnia/${type}`);
      }
      break;
    case 'twins':
      copy('legacy/kong-example-design/.insomnia', '.insomnia');
      copy('v5/kong-example/insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml', 'insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml');
      break;
  }
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'start');
  // another branch: one request's URL changed, one request added (legacy) or its name changed (v5)
  git(root, 'checkout', '-qb', 'other');
  const snapshotFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !path.join(e.parentPath, e.name).includes(`${path.sep}.git${path.sep}`)).map((e) => path.join(e.parentPath, e.name));
  for (const file of snapshotFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(/url: ([^\n]+)/, 'url: https://other-branch.example/x');
    if (changed !== text) {
      writeFileSync(file, changed);
      break;
    }
  }
  git(root, 'commit', '-qam', 'other');
  git(root, 'checkout', '-q', 'main');
  return root;
}

/** The collections as plain data, problems sorted: what must be equal between the store and a fresh load. */
function normalize(collections: readonly Collection[], problems: readonly { file: string; line: number; message: string }[]): string {
  const sortProblems = <T extends { file: string; line: number; message: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
  return JSON.stringify({
    collections: collections.map((c) => ({ ...c, problems: sortProblems(c.problems) })),
    problems: sortProblems(problems),
  });
}

async function freshLoad(root: string): Promise<string> {
  const snapshot = await loadWorkspace(root);
  return normalize(snapshot.collections, snapshot.problems);
}

function storeState(store: CollectionStore): string {
  const collections = store.collections;
  const own = new Set(collections.flatMap((c) => c.problems));
  return normalize(collections, store.problems.filter((p) => !own.has(p)));
}

function httpRequests(store: CollectionStore): { collection: Collection; request: HttpRequest }[] {
  return store.collections.flatMap((collection) =>
    [...walkItems(collection.children)].filter((i): i is HttpRequest => i.kind === 'request').map((request) => ({ collection, request })),
  );
}

/** The request editor's page as the test plays it: the URL field's text, and what the page believes the request is. */
interface Page {
  readonly collectionPath: string;
  readonly requestId: string;
  text: string;
  req: { url: string; parameters: HttpRequest['parameters'] };
  seq: number;
  readonly session: EditSession;
}

interface Real {
  readonly root: string;
  readonly store: CollectionStore;
  page?: Page;
  /** problems found by a write of the page's edits (checked after each step). */
  readonly writeFailures: string[];
  branch: 'main' | 'other';
}

/** Every line of a write of the page's edits must belong to the URL, a parameter row, or `modified`. */
const PAGE_LINE = /^\s*(-\s+)?(url|modified|parameters|name|value|disabled|id|description):/;

function openPage(real: Real, index: number): void {
  const all = httpRequests(real.store);
  if (!all.length) return;
  const { collection, request } = all[index % all.length];
  const page: Page = {
    collectionPath: collection.path,
    requestId: request.id,
    text: displayUrl(request.url, request.parameters),
    req: { url: request.url, parameters: request.parameters },
    seq: 0,
    session: new EditSession({
      debounceMs: 300,
      // the debounce is fired by the Flush command, never by a clock
      setTimer: () => 0,
      clearTimer: () => undefined,
      write: async (fields) => {
        const located = real.store.locate(page.collectionPath, page.requestId);
        if (located?.kind !== 'item') throw new Error('gone');
        const file = located.item.source.file;
        const before = readFileSync(file, 'utf8');
        await real.store.apply(located.collection, { kind: 'setRequestFields', id: page.requestId, fields });
        const { removed, added } = lineDiff(before, readFileSync(file, 'utf8'));
        for (const line of [...removed, ...added]) if (!PAGE_LINE.test(line)) real.writeFailures.push(`${JSON.stringify(fields)} changed the line ${JSON.stringify(line)}`);
      },
      saved: () => undefined,
    }),
  };
  real.page = page;
}

/** The page's field now says `text` (a keystroke, a paste, a select-all and type): it sends what changed. */
function typeInto(page: Page, text: string): void {
  page.text = text;
  const fields = urlFieldEdit(text, page.req);
  if (Object.keys(fields).length === 0) return;
  page.req = { ...page.req, ...fields };
  page.session.receive(fields, ++page.seq);
}

type Cmd = fc.AsyncCommand<object, Real>;

const cmd = (name: string, run: (real: Real) => Promise<void> | void): Cmd => ({
  check: () => true,
  run: async (_m, real) => {
    await run(real);
    await check(real);
  },
  toString: () => name,
});

async function check(real: Real): Promise<void> {
  assert.deepEqual(real.writeFailures, [], 'a write of the page changed lines it must not');
  assert.equal(storeState(real.store), await freshLoad(real.root), 'the store equals a fresh load of the disk');
  const page = real.page;
  if (page && !page.session.busy) {
    const located = real.store.locate(page.collectionPath, page.requestId);
    if (located?.kind === 'item' && located.item.kind === 'request') {
      // what the field shows is what the file holds (a trailing `?` or `&` means nothing)
      assert.deepEqual(urlFieldEdit(page.text, located.item), {}, `the field shows ${page.text}, the file holds ${displayUrl(located.item.url, located.item.parameters)}`);
    }
  }
}

const text = fc.stringMatching(/^[a-z0-9/:.?=&{} _-]{0,12}$/);

function commands(): fc.Arbitrary<Iterable<Cmd>> {
  return fc.commands(
    [
      fc.nat(50).map((i) => cmd(`open(${i})`, (real) => openPage(real, i))),
      text.map((t) => cmd(`type(${JSON.stringify(t)})`, (real) => {
        if (real.page) for (const ch of t) typeInto(real.page, real.page.text + ch);
      })),
      text.map((t) => cmd(`selectAllType(${JSON.stringify(t)})`, (real) => {
        if (!real.page) return;
        typeInto(real.page, t.slice(0, 1));
        for (const ch of t.slice(1)) typeInto(real.page, real.page.text + ch);
      })),
      fc.constant(cmd('netZero', (real) => {
        if (!real.page) return;
        const before = real.page.text;
        typeInto(real.page, `${before}x`);
        typeInto(real.page, before);
      })),
      fc.nat(5).map((n) => cmd(`backspace(${n})`, (real) => {
        if (real.page) for (let i = 0; i < n && real.page.text; i++) typeInto(real.page, real.page.text.slice(0, -1));
      })),
      fc.tuple(text, fc.boolean()).map(([t, over]) => cmd(`paste(${JSON.stringify(t)}, over=${over})`, (real) => {
        if (real.page) typeInto(real.page, over ? `https://pasted.example/${t}` : real.page.text + t);
      })),
      fc.constant(cmd('flush', async (real) => {
        await real.page?.session.flush();
      })),
      fc.tuple(fc.nat(50), fc.string({ maxLength: 8 })).map(([i, name]) => cmd(`rename(${i}, ${JSON.stringify(name)})`, async (real) => {
        const items = real.store.collections.flatMap((c) => [...walkItems(c.children)].map((item) => ({ c, item })));
        if (!items.length) return;
        const { c, item } = items[i % items.length];
        await real.store.apply(c, { kind: 'rename', id: item.id, name: name || 'x' });
      })),
      fc.nat(50).map((i) => cmd(`newRequest(${i})`, async (real) => {
        const holders = real.store.collections.filter((c) => c.scope === 'collection' || c.scope === 'design');
        if (!holders.length) return;
        const c = holders[i % holders.length];
        const folders = [...walkItems(c.children)].filter((x: Item) => x.kind === 'folder');
        const parentId = folders.length && i % 2 ? folders[i % folders.length].id : c.id;
        await real.store.apply(c, { kind: 'createRequest', parentId, name: `new ${i}`, method: 'POST', url: `https://new.example/${i}` });
      })),
      fc.nat(50).map((i) => cmd(`duplicate(${i})`, async (real) => {
        const items = real.store.collections.flatMap((c) => [...walkItems(c.children)].map((item) => ({ c, item })));
        if (!items.length) return;
        const { c, item } = items[i % items.length];
        await real.store.apply(c, { kind: 'duplicate', id: item.id });
      })),
      fc.nat(50).map((i) => cmd(`delete(${i})`, async (real) => {
        const items = real.store.collections.flatMap((c) => [...walkItems(c.children)].map((item) => ({ c, item })));
        if (!items.length) return;
        const { c, item } = items[i % items.length];
        if (real.page && real.page.requestId === item.id) await real.page.session.flush();
        await real.store.apply(c, { kind: 'delete', id: item.id });
        if (real.page && !real.store.locate(real.page.collectionPath, real.page.requestId)) real.page = undefined;
      })),
      fc.tuple(fc.nat(50), fc.nat(50), fc.boolean()).map(([i, j, before]) => cmd(`move(${i}, ${j}, before=${before})`, async (real) => {
        const items = real.store.collections.flatMap((c) => [...walkItems(c.children)].map((item) => ({ c, item })));
        if (!items.length) return;
        const { c, item } = items[i % items.length];
        const containers = [c.id, ...[...walkItems(c.children)].filter((x) => x.kind === 'folder').map((x) => x.id)];
        const parentId = containers[j % containers.length];
        const siblings = parentId === c.id ? c.children : ([...walkItems(c.children)].find((x) => x.id === parentId) as { children: Item[] }).children;
        const at = before ? siblings.find((s) => s.id !== item.id) : undefined;
        try {
          await real.store.apply(c, { kind: 'move', id: item.id, parentId, before: at?.id });
        } catch (err) {
          if (!/into itself/.test((err as Error).message)) throw err;
        }
      })),
      fc.tuple(fc.nat(50), text).map(([i, t]) => cmd(`outsideWrite(${i}, ${JSON.stringify(t)})`, async (real) => {
        // another editor changes a request's URL in its file (the page's pending edits are written first, as a
        // user's save would race it otherwise)
        await real.page?.session.flush();
        const all = httpRequests(real.store);
        if (!all.length) return;
        const { request } = all[i % all.length];
        const file = request.source.file;
        const before = readFileSync(file, 'utf8');
        const after = before.replace(`url: ${JSON.stringify(request.url)}`, `url: https://outside.example/${t.replace(/[^a-z0-9]/g, '')}`).replace(`url: ${request.url}\n`, `url: https://outside.example/${t.replace(/[^a-z0-9]/g, '')}\n`);
        if (after === before) return;
        writeFileSync(file, after);
        await real.store.refreshPaths([file]);
        const page = real.page;
        if (page?.requestId === request.id && page.collectionPath === real.store.locate(page.collectionPath, request.id)?.collection.path) {
          // the page takes the host's new state (it has no unsaved edit)
          const now = real.store.locate(page.collectionPath, page.requestId);
          if (now?.kind === 'item' && now.item.kind === 'request') {
            page.req = { url: now.item.url, parameters: now.item.parameters };
            page.text = displayUrl(now.item.url, now.item.parameters);
          }
        }
      })),
      fc.constant(cmd('checkoutOtherBranch', async (real) => {
        await real.page?.session.flush();
        git(real.root, 'add', '-A');
        git(real.root, 'commit', '-qm', 'step', '--allow-empty');
        const next = real.branch === 'main' ? 'other' : 'main';
        const changed = git(real.root, 'diff', '--name-only', '--no-renames', 'HEAD', next).split('\n').filter(Boolean);
        git(real.root, 'checkout', '-q', next);
        real.branch = next;
        // the watcher reports each changed path, and the folders that appeared or went away
        const paths = changed.map((p) => path.join(real.root, p));
        await real.store.refreshPaths([...paths, ...paths.map((p) => path.dirname(p))]);
        const page = real.page;
        if (page) {
          const now = real.store.locate(page.collectionPath, page.requestId);
          if (now?.kind === 'item' && now.item.kind === 'request') {
            page.req = { url: now.item.url, parameters: now.item.parameters };
            page.text = displayUrl(now.item.url, now.item.parameters);
          } else {
            real.page = undefined;
          }
        }
      })),
    ],
    { maxCommands: 30 },
  );
}

describe('the edit loop, model-based (store, editor session, tree commands, outside writes)', function () {
  this.timeout(240_000);
  for (const [layout, seed] of [['legacy', 101], ['v5', 202], ['twoWorkspaces', 303], ['twins', 404]] as const) {
    it(`keeps the store equal to the disk and writes only the edited lines: ${layout}`, async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(commands(), async (cmds) => {
          const root = makeRepo(layout);
          const store = new CollectionStore([root]);
          try {
            await store.reload();
            const real: Real = { root, store, writeFailures: [], branch: 'main' };
            await check(real);
            await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
            await real.page?.session.flush();
            await check(real);
          } finally {
            store.dispose();
            rmSync(root, { recursive: true, force: true });
          }
        }),
        { seed, numRuns: 40, interruptAfterTimeLimit: 50_000 },
      );
      assert.ok(Date.now() - started < 120_000);
    });
  }
});

