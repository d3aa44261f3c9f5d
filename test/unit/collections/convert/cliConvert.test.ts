// `hammock export | convert | import` through the CLI's main() on temp folders: output, files written, exit codes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../src/cli';
import { loadWorkspace } from '../../../../src/collections/scan';
import { countItems } from '../../../../src/collections/model';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

describe('hammock export / convert / import', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-cli-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('export --format v5 to stdout, v4 of every collection to --out, postman lists what it cannot hold', async () => {
    const dir = path.join(FIXTURES, 'v5/kong-example');
    const v5 = await run(['export', dir, '--format', 'v5', '--collection', 'Everything'], tmp);
    assert.equal(v5.code, 0, v5.stderr);
    assert.match(v5.stdout, /^type: collection\.insomnia\.rest\/5\.0\n/);
    const v4 = await run(['export', dir, '--format', 'v4', '--out', 'all.json'], tmp);
    assert.equal(v4.code, 0, v4.stderr);
    const json = JSON.parse(fs.readFileSync(path.join(tmp, 'all.json'), 'utf8'));
    assert.equal(json.resources.filter((r: { _type: string }) => r._type === 'workspace').length, 11);
    assert.match(v4.stderr, /not exported:\n {2}- SocketIORequest/);
    const pm = await run(['export', dir, '--format', 'postman', '--collection', 'wrk_ec5b78172b4b401e990e1f05bd0279ef'], tmp);
    assert.equal(pm.code, 0, pm.stderr);
    assert.equal(JSON.parse(pm.stdout).info.name, 'Everything');
    assert.match(pm.stderr, /not expressible in Postman:\n[^]*- gRPC request "gRPC\/New Request"/);
  });

  it('export from the files: v5 of a v5 collection is its file; v4 keeps what the model does not know (unit tests, cookies)', async () => {
    const everything = path.join(FIXTURES, 'v5/kong-example/everything.yaml');
    const v5 = await run(['export', path.dirname(everything), '--format', 'v5', '--collection', 'Everything'], tmp);
    assert.equal(v5.stdout, fs.readFileSync(everything, 'utf8'));
    const v4 = await run(['export', path.dirname(everything), '--format', 'v4', '--collection', 'Everything'], tmp);
    const jar = JSON.parse(v4.stdout).resources.find((r: { _type: string }) => r._type === 'cookie_jar');
    assert.equal(jar._id, 'jar_b3fd75c528f62903247fadde8d068814836bd14e');
    assert.equal(jar.cookies.length, 5);
    const demo = await run(['export', path.join(FIXTURES, 'legacy/kong-demo-with-tests'), '--format', 'v4'], tmp);
    const types = (JSON.parse(demo.stdout).resources as { _type: string }[]).map((r) => r._type);
    assert.ok(types.includes('unit_test_suite') && types.includes('unit_test'), types.join());
    const legacyV5 = await run(['export', path.join(FIXTURES, 'legacy/kong-demo-with-tests'), '--format', 'v5'], tmp);
    assert.match(legacyV5.stdout, /^type: spec\.insomnia\.rest\/5\.0\n[^]*\ntestSuites:\n/);
  });

  it('export: usage errors exit 2, an ambiguous or unknown collection exits 1', async () => {
    const dir = path.join(FIXTURES, 'v5/kong-example');
    assert.equal((await run(['export', dir], tmp)).code, 2);
    assert.equal((await run(['export', dir, '--format', 'xml'], tmp)).code, 2);
    const many = await run(['export', dir, '--format', 'v5'], tmp);
    assert.equal(many.code, 1);
    assert.match(many.stderr, /11 collections .* --collection/);
    assert.equal((await run(['export', dir, '--format', 'v5', '--collection', 'nope'], tmp)).code, 1);
  });

  it('convert --to v5 then --to legacy: same counts, the original untouched, ids kept', async () => {
    const repo = path.join(tmp, 'repo');
    fs.cpSync(path.join(FIXTURES, 'legacy/kong-demo-with-tests'), repo, { recursive: true });
    const before = files(repo);
    const r = await run(['convert', 'repo', '--collection', 'kong-insomnia-demo.git', '--to', 'v5'], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote insomnia\.wrk_03837bb6835248c580142b800330c851\.yaml/);
    assert.deepEqual(files(repo).filter((f) => !before.includes(f)), ['insomnia.wrk_03837bb6835248c580142b800330c851.yaml']);
    const snap = await loadWorkspace(repo);
    assert.equal(snap.collections.length, 2);
    assert.deepEqual(countItems(snap.collections[0]), countItems(snap.collections[1]));
    // back to legacy: the target exists, so it is refused (exit 1) and nothing changes
    const again = await run(['convert', 'repo', '--collection', 'wrk_03837bb6835248c580142b800330c851', '--to', 'legacy'], tmp);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /names 2 collections|already exists/);
    assert.equal((await run(['convert', 'repo', '--collection', 'x'], tmp)).code, 2);
  });

  it('import a Postman collection as a new v5 file (dry run first), then into it as legacy is refused, into a folder works', async () => {
    const file = path.join(FIXTURES, 'import/postman/realworld-conduit.postman_collection.v2.1.json');
    const dry = await run(['import', file, tmp, '--dry-run'], tmp);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Postman collection: 1 collection\n {2}".*": 5 folders, 32 requests/);
    assert.match(dry.stdout, /dropped:\n/);
    assert.match(dry.stdout, /would write .*\.yaml\n$/);
    assert.deepEqual(files(tmp), []);
    const real = await run(['import', file, tmp], tmp);
    assert.equal(real.code, 0, real.stderr);
    const [c] = (await loadWorkspace(tmp)).collections;
    assert.equal(countItems(c).requests, 32);
    const curl = path.join(tmp, 'one.txt');
    fs.writeFileSync(curl, "curl -X POST https://example.com/api -H 'X-A: 1' -d '{\"a\":1}'\n");
    const folder = c.children.find((i) => i.kind === 'folder')!;
    const into = await run(['import', curl, tmp, '--into', c.id, '--folder', folder.name], tmp);
    assert.equal(into.code, 0, into.stderr);
    const [after] = (await loadWorkspace(tmp)).collections;
    assert.equal(countItems(after).requests, 33);
  });

  it('a malformed file exits 1 with a clear message and writes nothing', async () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"_type": "export", "__export_format": 4, "resources": [\n');
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    const r = await run(['import', bad, out], tmp);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^hammock import: \S*bad\.json:2:1: .*JSON.*; nothing written\n$/);
    assert.deepEqual(files(out), []);
    assert.equal((await run(['import', path.join(tmp, 'missing.json'), out], tmp)).code, 1);
  });

  it('a DIR that is not a folder is a usage error (exit 2) for export and import, and nothing is written', async () => {
    const file = path.join(FIXTURES, 'import/postman/realworld-conduit.postman_collection.v2.1.json');
    const exp = await run(['export', 'nowhere', '--format', 'v4'], tmp);
    assert.equal(exp.code, 2);
    assert.match(exp.stderr, /^hammock export: nowhere: not a folder\n/);
    const imp = await run(['import', file, 'nowhere'], tmp);
    assert.equal(imp.code, 2);
    assert.match(imp.stderr, /^hammock import: nowhere: not a folder\n/);
    assert.deepEqual(files(tmp), []);
  });
});
