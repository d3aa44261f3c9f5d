import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CollectionStore } from '../../../src/collections/store';
import { GitObjects } from '../../../src/git/gitObjects';
import { ResourceDescriber } from '../../../src/sync/resourceDescriber';
import { gitCli, TempDirs } from '../git/gitTestRepos';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const REQ_CREATE = '.insomnia/Request/req_1ac8784119b747b38ac3a9f211e95e8e.yml'; // POST Create new transaction
const REQ_LIST = '.insomnia/Request/req_a4d4c15ec67b4b6b9cf798e2ecc25845.yml'; // GET List all transactions
const FOLDER = '.insomnia/RequestGroup/fld_fb696016751840aa9094c3d3d3611dfc.yml'; // Transactions
const BASE_ENV = '.insomnia/Environment/env_eeffcb9184b1ab85e651a6e3be6fee9c32521ebe.yml';
const V5 = 'api/everything.yaml';

describe('ResourceDescriber: what a changed file is, in Insomnia terms', () => {
  const tmp = new TempDirs();
  let root: string;
  let store: CollectionStore;
  let describer: ResourceDescriber;

  before(async () => {
    root = tmp.make('hammock-describe-');
    await fsp.cp(path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia'), path.join(root, '.insomnia'), { recursive: true });
    await fsp.mkdir(path.join(root, 'api'));
    await fsp.copyFile(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(root, V5));
    await fsp.writeFile(path.join(root, 'README.md'), '# collections\n');
    gitCli(root, 'init', '-q', '-b', 'main');
    gitCli(root, 'add', '-A');
    gitCli(root, 'commit', '-q', '-m', 'initial');
    store = new CollectionStore([root]);
    await store.reload();
    describer = new ResourceDescriber(root, new GitObjects(root), { locate: (p, id) => store.locate(p, id), collections: () => store.collections });
  });
  after(() => tmp.cleanup());

  const edit = async (rel: string, from: string | RegExp, to: string): Promise<void> => {
    const file = path.join(root, rel);
    const text = await fsp.readFile(file, 'utf8');
    const next = text.replace(from, to);
    assert.notEqual(next, text, `edited ${rel}`);
    await fsp.writeFile(file, next);
  };

  it('names a legacy request with its method and collection, a folder and an environment', async () => {
    assert.deepEqual(await describer.describe(REQ_CREATE, 'workingTree'), { label: 'POST Create new transaction', what: 'request', details: ['in kong-insomnia-demo.git'] });
    assert.deepEqual(await describer.describe(FOLDER, 'workingTree'), { label: 'Transactions', what: 'folder', details: ['in kong-insomnia-demo.git'] });
    const env = await describer.describe(BASE_ENV, 'index');
    assert.equal(env.label, 'Base Environment');
    assert.equal(env.what, 'base environment');
  });

  it('names a deleted legacy request from the committed file', async () => {
    await fsp.rm(path.join(root, REQ_LIST));
    await store.reload();
    assert.equal(store.locate(path.join(root, '.insomnia'), 'req_a4d4c15ec67b4b6b9cf798e2ecc25845'), undefined, 'the store no longer knows it');
    assert.deepEqual(await describer.describe(REQ_LIST, 'workingTree'), { label: 'GET List all transactions', what: 'request', details: [] });
    gitCli(root, 'checkout', '--', REQ_LIST);
    await store.reload();
  });

  it('names a v5 file by its collection and lists the requests the change touches, per group', async () => {
    await edit(V5, '"{{ _.base_url }}/user/login"', '"{{ _.base_url }}/user/signin"');
    const unstaged = await describer.describe(V5, 'workingTree');
    assert.equal(unstaged.label, 'Everything');
    assert.equal(unstaged.what, 'collection');
    assert.deepEqual(unstaged.details, ['~ request: login']);
    // staged: HEAD against the index; then a further edit only shows in the working tree's description
    gitCli(root, 'add', V5);
    await edit(V5, '        name: subscribe\n', '        name: subscribe to events\n');
    assert.deepEqual((await describer.describe(V5, 'index')).details, ['~ request: login']);
    assert.deepEqual((await describer.describe(V5, 'workingTree')).details, ['~ request: subscribe to events']);
    gitCli(root, 'reset', '-q', '--', V5);
    gitCli(root, 'checkout', '--', V5);
  });

  it('nameOf, for messages that list uncommitted files (a refused pull): a v5 file names the items its edits touch (HEAD to the file, staged or not), a few then how many more', async () => {
    await edit(V5, '"{{ _.base_url }}/user/login"', '"{{ _.base_url }}/user/signin"');
    assert.equal(await describer.nameOf(V5), 'Everything: "login"');
    gitCli(root, 'add', V5);
    await edit(V5, '        name: subscribe\n', '        name: subscribe to events\n');
    // a request and a folder more: four items in all, three named
    await edit(V5, '        name: New Request\n', '        name: New gRPC request\n');
    await edit(V5, '  - name: gRPC\n', '  - name: gRPC calls\n');
    assert.match((await describer.nameOf(V5))!, /^Everything: ("(login|subscribe to events|New gRPC request|gRPC calls)", ){2}"(login|subscribe to events|New gRPC request|gRPC calls)" and 1 more$/);
    assert.equal(await describer.nameOf(REQ_CREATE), 'POST Create new transaction');
    assert.equal(await describer.nameOf('README.md'), undefined);
    gitCli(root, 'reset', '-q', '--', V5);
    gitCli(root, 'checkout', '--', V5);
  });

  it('a file holding conflict markers: the v5 file says so (not that every item went), the legacy request keeps its name', async () => {
    const markers = (text: string, line: RegExp) => text.replace(line, (l) => `<<<<<<< HEAD\n${l}\n=======\n${l.replace(/: .*/, ': theirs')}\n>>>>>>> theirs`);
    const v5File = path.join(root, V5);
    const v5Text = await fsp.readFile(v5File, 'utf8');
    await fsp.writeFile(v5File, markers(v5Text, /^ {8}name: subscribe$/m));
    const v5 = await describer.describe(V5, 'merge');
    assert.equal(v5.label, 'Everything');
    assert.equal(v5.details.length, 1);
    assert.match(v5.details[0]!, /^⚠ conflict markers from line \d+: resolve them, then stage$/);
    const reqFile = path.join(root, REQ_LIST);
    const reqText = await fsp.readFile(reqFile, 'utf8');
    await fsp.writeFile(reqFile, markers(reqText, /^url: .*$/m));
    await store.reload();
    assert.equal(store.locate(path.join(root, '.insomnia'), 'req_a4d4c15ec67b4b6b9cf798e2ecc25845'), undefined, 'the store cannot read it');
    assert.deepEqual(await describer.describe(REQ_LIST, 'merge'), { label: 'GET List all transactions', what: 'request', details: [] });
    gitCli(root, 'checkout', '--', V5, REQ_LIST);
    await store.reload();
  });

  it('recognises a deleted v5 file by its first line and names it from the committed text', async () => {
    await fsp.rm(path.join(root, V5));
    await store.reload();
    const d = await describer.describe(V5, 'workingTree');
    assert.equal(d.label, 'Everything');
    assert.ok(d.details.length > 5 && d.details.every((l) => l.startsWith('− ')), d.details.join(' | '));
    assert.ok(d.details.includes('− request: login'));
    gitCli(root, 'checkout', '--', V5);
    await store.reload();
  });

  it('falls back to the file name for anything else', async () => {
    await fsp.writeFile(path.join(root, 'notes.yaml'), 'just: yaml\n');
    assert.deepEqual(await describer.describe('notes.yaml', 'workingTree'), { label: 'notes.yaml', what: 'file', details: [] });
    assert.deepEqual(await describer.describe('README.md', 'workingTree'), { label: 'README.md', what: 'file', details: [] });
  });
});
