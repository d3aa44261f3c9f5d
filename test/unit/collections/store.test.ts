import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanRoot, type RootScan } from '../../../src/collections/scan';
import { walkItems } from '../../../src/collections/model';
import { CollectionStore, legacyPathKind, type StoreChange } from '../../../src/collections/store';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

async function copyDir(from: string, to: string): Promise<void> {
  await fsp.cp(from, to, { recursive: true });
  // fixtures are read-only; the copies must be writable
  const chmod = async (p: string): Promise<void> => {
    const st = await fsp.stat(p);
    await fsp.chmod(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const e of await fsp.readdir(p)) await chmod(path.join(p, e));
  };
  await chmod(to);
}

describe('CollectionStore', () => {
  let root: string;

  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-store-'));
    await copyDir(path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia'), path.join(root, '.insomnia'));
    await copyDir(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(root, 'api', 'everything.yaml'));
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  const v5Path = () => path.join(root, 'api', 'everything.yaml');
  const legacyPath = () => path.join(root, '.insomnia');
  const LOGIN = 'req_4a718571131347b6bf7c1960ac0aa461';

  it('loads both formats and indexes every collection, item and environment by its collection path and id', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    assert.deepEqual(store.collections.map((c) => [c.name, c.format]).sort(), [
      ['Everything', 'v5'],
      ['kong-insomnia-demo.git', 'legacy'],
    ]);
    const legacy = store.collections.find((c) => c.format === 'legacy')!;
    const located = store.locate(legacyPath(), 'req_1ac8784119b747b38ac3a9f211e95e8e');
    assert.equal(located?.kind, 'item');
    assert.equal(located?.collection, legacy);
    assert.equal(store.locate(v5Path(), 'req_1ac8784119b747b38ac3a9f211e95e8e'), undefined, 'not in the other collection');
    const base = store.locate(legacyPath(), legacy.baseEnvironment!.id);
    assert.equal(base?.kind === 'environment' && base.isBase, true);
    assert.equal(store.rootOf(legacy), root);
  });

  it('applies an edit: writes the file, takes the new text in, fires what changed', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    const v5 = store.collections.find((c) => c.format === 'v5')!;
    const login = store.locate(v5.path, LOGIN);
    assert.equal(login?.kind === 'item' && login.item.name, 'login');

    await store.apply(v5, { kind: 'rename', id: LOGIN, name: 'sign in' });

    assert.equal(changes.length, 1);
    const [delta] = changes[0].collections;
    assert.equal(delta.path, v5.path);
    assert.deepEqual(delta.items instanceof Set ? [...delta.items] : delta.items, [LOGIN]);
    assert.deepEqual(delta.containers instanceof Set ? [...delta.containers] : delta.containers, []);
    assert.equal(delta.environments, false);
    const renamed = store.locate(v5.path, LOGIN);
    assert.equal(renamed?.kind === 'item' && renamed.item.name, 'sign in');
    const text = await fsp.readFile(v5Path(), 'utf8');
    assert.match(text, /^ {8}name: sign in$/m);
    // the watcher's event for that write finds the identity the store recorded: nothing is read, nothing fires
    await store.refreshPaths([v5Path()]);
    assert.equal(changes.length, 1);
  });

  /** A store on the fixture, its legacy collection, and a request of it whose edits the tests take back. */
  const requestToTakeBack = async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const legacy = () => store.collections.find((c) => c.format === 'legacy')!;
    const id = 'req_1ac8784119b747b38ac3a9f211e95e8e';
    const located = store.locate(legacy().path, id);
    assert.ok(located?.kind === 'item' && located.item.kind === 'request');
    return { store, legacy, id, file: located.item.source.file, url: located.item.url };
  };
  const later = async () => new Promise((r) => setTimeout(r, 5)); // another millisecond for `modified`

  it('an edit taken back writes the file as it was before the store\'s writes, `modified` too; not after a change made outside', async () => {
    const { store, legacy, id, file, url } = await requestToTakeBack();
    const pristine = await fsp.readFile(file, 'utf8');
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: `${url}x` } });
    await later();
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: `${url}xy` } });
    assert.notEqual(await fsp.readFile(file, 'utf8'), pristine);
    await later();
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url } });
    assert.equal(await fsp.readFile(file, 'utf8'), pristine, 'byte for byte, its modified line too');
    // a v5 item renamed and named back too
    const v5 = () => store.collections.find((c) => c.format === 'v5')!;
    const login = store.locate(v5Path(), LOGIN);
    assert.ok(login?.kind === 'item' && login.item.kind === 'request');
    const v5Text = await fsp.readFile(v5Path(), 'utf8');
    await store.apply(v5(), { kind: 'rename', id: LOGIN, name: 'Renamed' });
    await later();
    await store.apply(v5(), { kind: 'rename', id: LOGIN, name: login.item.name });
    assert.equal(await fsp.readFile(v5Path(), 'utf8'), v5Text, 'the v5 file as it was');
    // changed outside between two edits: the run starts again from what the file is then
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: `${url}x` } });
    const outside = (await fsp.readFile(file, 'utf8')).replace(/^name: (.*)$/m, 'name: $1 (outside)');
    await fsp.writeFile(file, outside);
    await store.refreshPaths([file]);
    await later();
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url } });
    const now = await fsp.readFile(file, 'utf8');
    assert.ok(now.includes('(outside)'), 'the change made outside stays');
    assert.notEqual(now.match(/^modified: .*$/m)?.[0], pristine.match(/^modified: .*$/m)?.[0], 'a real change: modified bumped');
  });

  it('v5: a parameter added and removed, a body typed and emptied, in requests that had none: the file as it was, byte for byte (no `parameters: []`, no `body: {}`)', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const v5 = () => store.collections.find((c) => c.format === 'v5')!;
    const pristine = await fsp.readFile(v5Path(), 'utf8');
    // "login" has no parameters: one added in the Params tab, typed into, then removed
    await store.apply(v5(), { kind: 'setRequestFields', id: LOGIN, fields: { parameters: [{ name: 'q', value: '' }] } });
    await later();
    await store.apply(v5(), { kind: 'setRequestFields', id: LOGIN, fields: { parameters: [{ name: 'q', value: '1' }] } });
    assert.match(await fsp.readFile(v5Path(), 'utf8'), /^ {10}- name: q$/m);
    await later();
    await store.apply(v5(), { kind: 'setRequestFields', id: LOGIN, fields: { parameters: [] } });
    assert.equal(await fsp.readFile(v5Path(), 'utf8'), pristine, 'the parameter gone: the file as it was');
    // "subscribe" has no body: a cURL command pasted (a header and a body), then undone
    const SUBSCRIBE = 'req_c38f8ca5b26a4b5eb615b724166a1e34';
    const sub = store.locate(v5Path(), SUBSCRIBE);
    assert.ok(sub?.kind === 'item' && sub.item.kind === 'request');
    const headers = sub.item.headers;
    await store.apply(v5(), { kind: 'setRequestFields', id: SUBSCRIBE, fields: { headers: [...headers, { name: 'Accept', value: 'application/json' }], body: { mimeType: 'application/json', text: '{"a": 1}' } } });
    await later();
    await store.apply(v5(), { kind: 'setRequestFields', id: SUBSCRIBE, fields: { headers, body: {} } });
    assert.equal(await fsp.readFile(v5Path(), 'utf8'), pristine, 'the paste undone: the file as it was');
    // a real change is still one
    await store.apply(v5(), { kind: 'setRequestFields', id: LOGIN, fields: { parameters: [{ name: 'kept', value: '' }] } });
    assert.notEqual(await fsp.readFile(v5Path(), 'utf8'), pristine);
  });

  it('a v5 request\'s edit taken back while another request of the file keeps its change: that request as it was, `modified` too', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const v5 = () => store.collections.find((c) => c.format === 'v5')!;
    const SUBSCRIBE = 'req_c38f8ca5b26a4b5eb615b724166a1e34';
    const pristine = await fsp.readFile(v5Path(), 'utf8');
    await store.apply(v5(), { kind: 'setRequestFields', id: LOGIN, fields: { url: '{{ _.base_url }}/user/login?kept=1' } });
    const loginEdited = await fsp.readFile(v5Path(), 'utf8');
    await later();
    await store.apply(v5(), { kind: 'setRequestFields', id: SUBSCRIBE, fields: { url: '{{ _.base_url }}/user/subscribe?x' } });
    await later();
    await store.apply(v5(), { kind: 'rename', id: SUBSCRIBE, name: 'Renamed' });
    assert.notEqual(await fsp.readFile(v5Path(), 'utf8'), loginEdited);
    await later();
    await store.apply(v5(), { kind: 'rename', id: SUBSCRIBE, name: 'subscribe' });
    await store.apply(v5(), { kind: 'setRequestFields', id: SUBSCRIBE, fields: { url: '{{ _.base_url }}/user/subscribe' } });
    assert.equal(await fsp.readFile(v5Path(), 'utf8'), loginEdited, 'only the login request differs from the file before the writes');
    assert.notEqual(loginEdited, pristine);
  });

  it('an edit taken back after its run was ended (a commit made the file git\'s version) gives back the committed text, `modified` too', async () => {
    const { store, legacy, id, file, url } = await requestToTakeBack();
    const typeOverAndBack = async () => {
      await later();
      await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: 'https://example.com/replaced' } });
      await later();
      await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: `${url}&c=` } });
    };
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: `${url}&c=` } });
    const first = await fsp.readFile(file, 'utf8');
    // committed, but the run not ended: its text from before the run has the old URL, so only a new stamp is written
    await typeOverAndBack();
    const second = await fsp.readFile(file, 'utf8');
    assert.notEqual(second, first, 'the run began before the commit: a new `modified`');
    // committed again, and git's status finds the file clean: the run ends
    store.endWriteRuns((f) => f === path.resolve(file));
    await typeOverAndBack();
    assert.equal(await fsp.readFile(file, 'utf8'), second, 'the committed text, byte for byte');
    store.endWriteRuns(() => true);
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url } });
  });

  it('a run restarted from the committed text (the file written again before git\'s status saw the commit): taken back, the committed bytes; further back, a new stamp', async () => {
    const { store, legacy, id, file, url } = await requestToTakeBack();
    const pristine = await fsp.readFile(file, 'utf8');
    const setUrl = async (u: string) => {
      await later();
      await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: u } });
    };
    const stamp = (text: string) => text.match(/^modified: (\d+)$/m)?.[1];
    await setUrl(`${url}/abc`);
    const committed = await fsp.readFile(file, 'utf8');
    // written again before the status saw the commit: git finds the file changed, no run is ended
    await setUrl(`${url}/abcdef`);
    assert.deepEqual(store.writeRunFiles, [path.resolve(file)]);
    await store.restartWriteRun(file, committed);
    await setUrl(`${url}/abc`);
    assert.equal(await fsp.readFile(file, 'utf8'), committed, 'the committed text, byte for byte');
    // taken back further than the commit: the text from before, with a new stamp (not the one from before the commit)
    await setUrl(url);
    const back = await fsp.readFile(file, 'utf8');
    assert.notEqual(back, pristine);
    assert.equal(back.replace(/^modified: \d+$/m, ''), pristine.replace(/^modified: \d+$/m, ''));
    assert.ok(Number(stamp(back)) > Number(stamp(committed)), `a newer stamp than the commit's: ${stamp(back)}`);
    store.endWriteRuns(() => true);
    await fsp.writeFile(file, pristine);
  });

  it('says which files of its runs it wrote since a moment (a git status that began before may not have seen the write)', async () => {
    const { store, legacy, id, file, url } = await requestToTakeBack();
    const pristine = await fsp.readFile(file, 'utf8');
    const before = performance.now();
    await store.apply(legacy(), { kind: 'setRequestFields', id, fields: { url: `${url}/since` } });
    const after = performance.now();
    assert.equal(store.writtenSince(file, before), true, 'written after a status that began before the edit');
    assert.equal(store.writtenSince(file, after), false, 'not after the edit was written');
    assert.equal(store.writtenSince(path.join(path.dirname(file), 'other.yml'), before), false, 'a file it did not write');
    store.endWriteRuns(() => true);
    assert.equal(store.writtenSince(file, before), false, 'its run ended: nothing to say');
    await fsp.writeFile(file, pristine);
  });

  it('edits one legacy request in place: one item changed, nothing re-read', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const legacy = store.collections.find((c) => c.format === 'legacy')!;
    const id = 'req_1ac8784119b747b38ac3a9f211e95e8e';
    const before = store.locate(legacy.path, id);
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    await store.apply(legacy, { kind: 'setRequestFields', id, fields: { url: 'https://example.com/changed' } });
    const after = store.locate(legacy.path, id);
    assert.ok(after?.kind === 'item' && after.item.kind === 'request');
    assert.equal(after.item.url, 'https://example.com/changed');
    assert.notEqual(after.item, before?.kind === 'item' && before.item);
    assert.equal(after.collection, legacy, 'the same collection object, one item replaced');
    assert.equal(changes.length, 1);
    assert.deepEqual([...(changes[0].collections[0].items as Set<string>)], [id]);
    await store.refreshPaths([after.item.source.file]);
    assert.equal(changes.length, 1, 'the echo of its own write changes nothing');
  });

  it('a file it wrote, deleted or rewritten by another program at once, with no watcher event (VS Code folds a create and a delete into none): it looks again, and has what is on disk', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const nextChange = () => new Promise<StoreChange>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no change within 5 s')), 5000);
      const sub = store.onDidChange((c) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(c);
      });
    });
    try {
      const legacy = store.collections.find((c) => c.format === 'legacy')!;
      const id = 'req_1ac8784119b747b38ac3a9f211e95e8e';
      let edited = nextChange();
      await store.apply(legacy, { kind: 'setRequestFields', id, fields: { url: 'https://example.com/written' } });
      assert.equal((await edited).edit, 'setRequestFields', 'the change says it came from an edit made here');
      const file = (store.locate(legacy.path, id) as { item: { source: { file: string } } }).item.source.file;
      // the file deleted right after the write (a checkout), and no refreshPaths: the event was folded away
      const gone = nextChange();
      await fsp.rm(file);
      const change = await gone;
      assert.equal(store.locate(legacy.path, id), undefined, 'the request is gone from the model');
      assert.equal(change.edit, undefined, 'read from disk');
      // the v5 file rewritten by another program right after an edit
      const v5 = store.collections.find((c) => c.format === 'v5')!;
      const req = [...walkItems(v5.children)].find((i) => i.kind === 'request')!;
      edited = nextChange();
      await store.apply(v5, { kind: 'setRequestFields', id: req.id, fields: { url: 'https://example.com/ours' } });
      await edited;
      const text = await fsp.readFile(v5Path(), 'utf8');
      const theirs = nextChange();
      await fsp.writeFile(v5Path(), text.replace('https://example.com/ours', 'https://example.com/theirs-and-longer'));
      await theirs;
      const now = store.locate(v5Path(), req.id);
      assert.equal(now?.kind === 'item' && now.item.kind === 'request' && now.item.url, 'https://example.com/theirs-and-longer');
    } finally {
      store.dispose();
    }
  });

  it('files an edit made outside apply removed (Delete Collection), refreshed with its kind: the change carries it; the next one read from disk does not', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const changes: StoreChange[] = [];
    const sub = store.onDidChange((c) => changes.push(c));
    try {
      await fsp.rm(v5Path());
      await store.refreshPaths([v5Path()], 'delete');
      assert.equal(store.collections.some((c) => c.path === v5Path()), false);
      assert.deepEqual(changes.map((c) => c.edit), ['delete']);
      await fsp.writeFile(v5Path(), await fsp.readFile(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), 'utf8'));
      await store.refreshPaths([v5Path()]);
      assert.equal(store.collections.some((c) => c.path === v5Path()), true);
      assert.deepEqual(changes.map((c) => c.edit), ['delete', undefined]);
    } finally {
      sub.dispose();
      store.dispose();
    }
  });

  it('a file written again shortly before the look at the first write is looked at again a second after its own write: a delete just after that look is still seen', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    // the store's own look (lookAgainSoon calls refreshPaths), taken in: awaited, not timed
    const looks: (() => void)[] = [];
    const refresh = store.refreshPaths.bind(store);
    store.refreshPaths = (paths, edit) => {
      const done = refresh(paths, edit);
      for (const l of looks.splice(0)) void done.then(l);
      return done;
    };
    try {
      const legacy = store.collections.find((c) => c.format === 'legacy')!;
      const id = 'req_1ac8784119b747b38ac3a9f211e95e8e';
      await store.apply(legacy, { kind: 'setRequestFields', id, fields: { url: 'https://example.com/one' } });
      const file = (store.locate(legacy.path, id) as { item: { source: { file: string } } }).item.source.file;
      const looked = new Promise<void>((resolve) => looks.push(resolve));
      // typed on: written again half a second later, inside the first write's second
      await new Promise((resolve) => setTimeout(resolve, 500));
      await store.apply(legacy, { kind: 'setRequestFields', id, fields: { url: 'https://example.com/two' } });
      await looked;
      // a checkout right after that look, its event folded away with the second write's: no refreshPaths
      const gone = new Promise<StoreChange>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the delete was not seen within 3 s')), 3000);
        const sub = store.onDidChange((c) => {
          clearTimeout(timer);
          sub.dispose();
          resolve(c);
        });
      });
      await fsp.rm(file);
      await gone;
      assert.equal(store.locate(legacy.path, id), undefined, 'the request is gone from the model');
    } finally {
      store.dispose();
    }
  });

  it('keeps working after an edit that changes nothing (x then Backspace), and after an empty batch of paths', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const v5 = store.collections.find((c) => c.format === 'v5')!;
    const login = store.locate(v5.path, LOGIN);
    assert.ok(login?.kind === 'item' && login.item.kind === 'request');
    const result = await store.apply(v5, { kind: 'setRequestFields', id: LOGIN, fields: { url: login.item.url } });
    assert.deepEqual(result.changes, []);
    await store.refreshPaths([]);
    // a later change from outside is still seen
    const text = await fsp.readFile(v5Path(), 'utf8');
    await fsp.writeFile(v5Path(), text.replace(login.item.url, 'https://example.com/r3?round=3'));
    await store.refreshPaths([v5Path()]);
    const now = store.locate(v5.path, LOGIN);
    assert.equal(now?.kind === 'item' && now.item.kind === 'request' && now.item.url, 'https://example.com/r3?round=3');
    await store.refreshPaths([]);
    await store.apply(v5, { kind: 'rename', id: LOGIN, name: 'after' });
    const renamed = store.locate(v5.path, LOGIN);
    assert.equal(renamed?.kind === 'item' && renamed.item.name, 'after');
  });

  it('folds reload requests into one more load when they arrive while a load reads', async () => {
    let loads = 0;
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const scan = async (r: string): Promise<RootScan> => {
      loads++;
      entered();
      await new Promise<void>((resolve) => (release = resolve));
      return { root: r, legacy: new Map(), v5: new Map() };
    };
    const store = new CollectionStore([root], { scan });
    const reading = new Promise<void>((r) => (entered = r));
    const first = store.reload();
    await reading; // the first load is reading now
    const again = new Promise<void>((r) => (entered = r));
    const burst = [store.reload(), store.reload(), store.reload()];
    release(); // the first load ends; exactly one more starts
    await again;
    release();
    await Promise.all([first, ...burst]);
    assert.equal(loads, 2);
  });

  it('creates a collection in each format and refuses to overwrite a file', async () => {
    const store = new CollectionStore([root]);
    await store.reload();
    const v5 = await store.createCollection({ format: 'v5', root, name: 'Fresh One' });
    assert.ok(store.collections.some((c) => c.id === v5.collectionId && c.path === path.join(root, 'fresh_one.yaml')));
    await assert.rejects(store.createCollection({ format: 'v5', root, name: 'Fresh One' }), /already exists/);
    const legacyRoot = path.join(root, 'other');
    await fsp.mkdir(legacyRoot);
    await store.setRoots([root, legacyRoot]);
    const legacy = await store.createCollection({ format: 'legacy', root: legacyRoot, name: 'Fresh Legacy' });
    const created = store.locate(path.join(legacyRoot, '.insomnia'), legacy.collectionId);
    assert.equal(created?.collection.format, 'legacy');
    assert.equal(created?.collection.path, path.join(legacyRoot, '.insomnia'));
    await assert.rejects(store.createCollection({ format: 'legacy', root: legacyRoot, name: 'Second' }), /already holds a collection/);
  });

  it('reports problems of malformed files and keeps the rest', async () => {
    await fsp.writeFile(path.join(root, 'api', 'broken.yaml'), 'type: collection.insomnia.rest/5.0\nname: [x\n');
    const store = new CollectionStore([root]);
    await store.reload();
    assert.equal(store.collections.length, 2);
    const problems = store.problems.filter((p) => p.file.endsWith('broken.yaml'));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'error');
  });

  it('shows the first level before the legacy items are read, then everything', async () => {
    const store = new CollectionStore([root]);
    const seen: { partial: boolean; legacyChildren: number; complete: boolean }[] = [];
    store.onDidChange(() => {
      const legacy = store.collections.find((c) => c.format === 'legacy')!;
      seen.push({ partial: !!legacy.partial, legacyChildren: legacy.children.length, complete: store.isComplete });
    });
    const first = store.whenLoaded();
    await first;
    await store.whenComplete();
    assert.deepEqual(seen, [
      { partial: true, legacyChildren: 0, complete: false },
      { partial: false, legacyChildren: 1, complete: true },
    ]);
    assert.equal(store.collections.length, 2, 'the v5 collection is in the first level too');
  });

  it('edits the collection at the given path when a legacy folder and a v5 file share one workspace id', async () => {
    const other = path.join(root, 'both');
    await copyDir(path.join(FIXTURES, 'legacy/kong-example-design/.insomnia'), path.join(other, '.insomnia'));
    const v5File = path.join(other, 'insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml');
    await copyDir(path.join(FIXTURES, 'v5/kong-example/insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml'), v5File);
    const store = new CollectionStore([other]);
    await store.reload();
    const [a, b] = store.collections;
    assert.equal(a.id, b.id, 'the two files hold the same workspace');
    const legacyFile = path.join(other, '.insomnia/Request/req_8f90825b70674a689475e5a96e84ec28.yml');
    const legacyBefore = await fsp.readFile(legacyFile, 'utf8');

    await store.apply(store.collectionAt(v5File)!, { kind: 'rename', id: 'req_8f90825b70674a689475e5a96e84ec28', name: 'Mockbin v5' });
    assert.equal(await fsp.readFile(legacyFile, 'utf8'), legacyBefore, 'the legacy copy is untouched');
    assert.match(await fsp.readFile(v5File, 'utf8'), /name: Mockbin v5/);

    const legacyCopy = store.collections.find((c) => c.format === 'legacy')!;
    await store.apply(legacyCopy, { kind: 'rename', id: 'req_8f90825b70674a689475e5a96e84ec28', name: 'Mockbin legacy' });
    const seen = (p: string) => {
      const l = store.locate(p, 'req_8f90825b70674a689475e5a96e84ec28');
      return l?.kind === 'item' ? l.item.name : undefined;
    };
    assert.equal(seen(v5File), 'Mockbin v5');
    assert.equal(seen(legacyCopy.path), 'Mockbin legacy');
    assert.match(await fsp.readFile(legacyFile, 'utf8'), /^name: Mockbin legacy$/m);
    assert.match(await fsp.readFile(v5File, 'utf8'), /name: Mockbin v5/);
  });

  describe('refreshPaths', () => {
    let loads: number;
    let store: CollectionStore;
    const v5File = () => path.join(root, 'api', 'everything.yaml');

    beforeEach(async () => {
      loads = 0;
      store = new CollectionStore([root], {
        scan: (r, options) => {
          loads++;
          return scanRoot(r, options);
        },
      });
      await store.reload();
      assert.equal(loads, 1);
    });

    it('re-reads only a changed v5 file it holds', async () => {
      const text = await fsp.readFile(v5File(), 'utf8');
      await fsp.writeFile(v5File(), text.replace(/^name: Everything$/m, 'name: Everything Else'));
      let fired = 0;
      store.onDidChange(() => fired++);
      await store.refreshPaths([v5File()]);
      assert.equal(loads, 1, 'no full reload');
      assert.equal(fired, 1);
      assert.deepEqual(store.collections.map((c) => c.name), ['Everything Else', 'kong-insomnia-demo.git']);
      assert.equal(store.locate(v5File(), LOGIN)?.collection.name, 'Everything Else');
    });

    it('turns a v5 file that breaks into a problem, and back', async () => {
      const text = await fsp.readFile(v5File(), 'utf8');
      await fsp.writeFile(v5File(), text + '\n  - [broken\n');
      await store.refreshPaths([v5File()]);
      assert.equal(store.collections.some((c) => c.name === 'Everything'), false);
      assert.equal(store.problems.filter((p) => p.file === v5File()).length, 1);
      await fsp.writeFile(v5File(), text);
      await store.refreshPaths([v5File()]);
      assert.equal(store.collections.some((c) => c.name === 'Everything'), true);
      assert.equal(store.problems.filter((p) => p.file === v5File()).length, 0);
      assert.equal(loads, 1, 'no full reload');
    });

    it('re-reads the legacy folder a new file appears in', async () => {
      const legacy = store.collections.find((c) => c.format === 'legacy')!;
      const file = path.join(legacy.path, 'Request', 'req_added.yml');
      await fsp.writeFile(file, `_id: req_added\ntype: Request\nparentId: ${legacy.id}\nname: Added\nmethod: PUT\nurl: http://x\nmetaSortKey: 1\n`);
      await store.refreshPaths([file]);
      assert.equal(loads, 1, 'no full reload');
      const found = store.locate(legacy.path, 'req_added');
      assert.equal(found?.kind === 'item' && found.item.name, 'Added');
      await fsp.rm(file);
      await store.refreshPaths([file]);
      assert.equal(store.locate(legacy.path, 'req_added'), undefined);
    });

    it('reads a new v5 file without a full reload, and drops it when it goes', async () => {
      const file = path.join(root, 'new.yaml');
      await fsp.writeFile(file, 'type: collection.insomnia.rest/5.0\nname: Brand New\nmeta:\n  id: wrk_new\ncollection: []\n');
      await store.refreshPaths([file]);
      assert.equal(loads, 1);
      assert.equal(store.collectionAt(file)?.id, 'wrk_new');
      await fsp.rm(file);
      await store.refreshPaths([file]);
      assert.equal(store.collectionAt(file), undefined);
      assert.equal(loads, 1);
    });

    it('takes in a folder that goes away and comes back (a branch switch)', async () => {
      const api = path.join(root, 'api');
      const saved = path.join(os.tmpdir(), `hammock-api-${process.pid}`);
      await fsp.rename(api, saved);
      await store.refreshPaths([api]);
      assert.equal(store.collectionAt(v5File()), undefined);
      await fsp.rename(saved, api);
      await store.refreshPaths([api]);
      assert.equal(store.collectionAt(v5File())?.name, 'Everything');
      assert.equal(loads, 1);
    });

    it('ignores paths outside its roots', async () => {
      await store.refreshPaths([path.join(os.tmpdir(), 'elsewhere.yaml')]);
      assert.equal(loads, 1);
    });
  });
});

describe('legacyPathKind', () => {
  it('reads a data file alone, ignores other files in type folders, lists the folder again when folders come or go', () => {
    assert.equal(legacyPathKind(['Request', 'req_1.yml']), 'file');
    assert.equal(legacyPathKind(['Environment', 'env_1.yaml']), 'file');
    assert.equal(legacyPathKind(['Request', '.hammock-123-1-abc.tmp']), 'ignore', 'the writer\'s temporary file');
    assert.equal(legacyPathKind(['Request', 'req_1.yml~']), 'ignore');
    assert.equal(legacyPathKind(['Request', 'sub', 'x.yml']), 'ignore', 'deeper than a type folder: Insomnia reads nothing there');
    assert.equal(legacyPathKind(['Request']), 'rescan', 'a type folder came or went');
    assert.equal(legacyPathKind(['']), 'rescan', 'the .insomnia folder itself');
  });
});

describe('CollectionStore: problems that depend on other files', () => {
  it('a v5 copy of a legacy workspace appearing says the problems changed (both copies get the twin warning)', async () => {
    const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-store-twins-'));
    try {
      await fsp.cp(path.join(FIXTURES, 'legacy/kong-example-design/.insomnia'), path.join(root, '.insomnia'), { recursive: true });
      const store = new CollectionStore([root]);
      await store.reload();
      const changes: StoreChange[] = [];
      store.onDidChange((c) => changes.push(c));
      const copy = path.join(root, 'insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml');
      await fsp.cp(path.join(FIXTURES, 'v5/kong-example/insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml'), copy);
      await store.refreshPaths([copy]);
      assert.equal(changes.length, 1);
      assert.equal(changes[0].problems, true);
      const twins = store.problems.filter((p) => p.message.startsWith('The same workspace is also stored as '));
      assert.equal(twins.length, 2, 'a warning on each copy');
    } finally {
      await fsp.rm(root, { recursive: true, force: true });
    }
  });
});
