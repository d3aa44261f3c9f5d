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

  it('export of every collection names a file it cannot read and exits 1; the others are exported', async () => {
    fs.copyFileSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(tmp, 'everything.yaml'));
    fs.writeFileSync(path.join(tmp, 'broken.yaml'), 'type: collection.insomnia.rest/5.0\nname: Broken\ncollection: [\n');
    const v4 = await run(['export', '.', '--format', 'v4', '--out', 'all.json'], tmp);
    assert.match(v4.stderr, /^hammock export: broken\.yaml:4:1: Invalid YAML[^\n]*; not exported$/m);
    assert.equal(v4.code, 1);
    const json = JSON.parse(fs.readFileSync(path.join(tmp, 'all.json'), 'utf8'));
    assert.deepEqual(json.resources.filter((r: { _type: string }) => r._type === 'workspace').map((r: { name: string }) => r.name), ['Everything']);
    // one readable collection left: v5 and postman do not quietly take it for the one meant
    const v5 = await run(['export', '.', '--format', 'v5'], tmp);
    assert.match(v5.stderr, /broken\.yaml:4:1: /);
    assert.equal(v5.code, 1);
    // the collection named was read: the broken file is not this export's business
    const named = await run(['export', '.', '--format', 'v5', '--collection', 'Everything'], tmp);
    assert.equal(named.code, 0, named.stderr);
    assert.doesNotMatch(named.stderr, /broken/);
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

  it('convert --out FOLDER: a v5 file beside a .insomnia folder goes to a folder inside DIR; outside DIR is a usage error', async () => {
    const repo = path.join(tmp, 'repo');
    fs.cpSync(path.join(FIXTURES, 'legacy/kong-demo-with-tests'), repo, { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'v5/kong-example/my_collection.yaml'), path.join(repo, 'my_collection.yaml'));
    const before = files(repo);
    // the message names the option it asks for (it named an option convert did not take)
    const taken = await run(['convert', 'repo', '--collection', 'my_collection.yaml', '--to', 'legacy'], tmp);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /\.insomnia already exists, and a \.insomnia folder holds one workspace: convert into a folder that has none \(--out FOLDER\)/);
    const outside = await run(['convert', 'repo', '--collection', 'my_collection.yaml', '--to', 'legacy', '--out', 'elsewhere'], tmp);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /--out must be a folder inside/);
    assert.deepEqual(files(repo), before, 'nothing written');
    const r = await run(['convert', 'repo', '--collection', 'my_collection.yaml', '--to', 'legacy', '--out', 'repo/old'], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /to old\/\.insomnia; my_collection\.yaml is unchanged/);
    const snap = await loadWorkspace(repo);
    const twins = snap.collections.filter((c) => c.name === '11.3.0');
    assert.deepEqual(twins.map((c) => c.format).sort(), ['legacy', 'v5']);
    assert.deepEqual(countItems(twins[0]), countItems(twins[1]));
  });

  it('import a Postman collection as a new v5 file (dry run first), then into it as legacy is refused, into a folder works', async () => {
    const file = path.join(FIXTURES, 'import/postman/realworld-conduit.postman_collection.v2.1.json');
    const dry = await run(['import', file, tmp, '--dry-run'], tmp);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Postman collection: 1 collection\n {2}".*": 5 folders, 32 requests/);
    // Conduit's test scripts are kept (translated to Insomnia's API), not dropped
    assert.doesNotMatch(dry.stdout, /dropped:\n/);
    assert.match(dry.stdout, /\nwarning: 30 script\(s\) translated from Postman's API to Insomnia's /);
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

  it('--collection takes a path: the id of a workspace kept in both formats names two, and the error lists their paths', async () => {
    const repo = path.join(tmp, 'repo');
    fs.cpSync(path.join(FIXTURES, 'legacy/kong-demo-with-tests'), repo, { recursive: true });
    const id = 'wrk_03837bb6835248c580142b800330c851';
    assert.equal((await run(['convert', 'repo', '--collection', id, '--to', 'v5'], tmp)).code, 0);
    const twice = await run(['export', 'repo', '--format', 'v4', '--collection', id], tmp);
    assert.equal(twice.code, 1);
    assert.equal(
      twice.stderr,
      `hammock export: "${id}" names 2 collections: give one's path with --collection: repo/.insomnia (legacy, ${id}), repo/insomnia.${id}.yaml (v5, ${id})\n`,
    );
    // a path relative to the current folder, or to DIR; the .insomnia folder or the folder holding it
    for (const wanted of [`repo/insomnia.${id}.yaml`, `insomnia.${id}.yaml`, 'repo/.insomnia', '.insomnia', 'repo']) {
      const r = await run(['export', 'repo', '--format', 'v4', '--collection', wanted], tmp);
      assert.equal(r.code, 0, `${wanted}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).resources.filter((x: { _type: string }) => x._type === 'workspace').length, 1);
    }
  });

  it('import of a v5 file with gRPC requests keeps reflectionApi (no "dropped" line), also --into an existing collection', async () => {
    const file = path.join(FIXTURES, 'import/insomnia-smoke/grpc.v5.yaml');
    const r = await run(['import', file, tmp], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /reflectionApi/);
    const written = fs.readFileSync(path.join(tmp, 'prerelease_grpc.yaml'), 'utf8');
    assert.equal(written.match(/reflectionApi:\n {10}enabled: false\n {10}url: https:\/\/buf\.build\n/g)?.length, 5);
    const into = await run(['import', file, tmp, '--into', 'PreRelease gRPC'], tmp);
    assert.equal(into.code, 0, into.stderr);
    assert.equal(fs.readFileSync(path.join(tmp, 'prerelease_grpc.yaml'), 'utf8').match(/reflectionApi:/g)?.length, 10);
    // a legacy gRPC document without reflectionApi (Insomnia 2022) gets Insomnia 10's default
    fs.mkdirSync(path.join(tmp, 'x'));
    assert.equal((await run(['import', path.join(FIXTURES, 'import/insomnia-smoke/grpc.insomnia-v4.yaml'), 'x', '--format', 'legacy'], tmp)).code, 0);
    const grpcDocs = fs.readdirSync(path.join(tmp, 'x/.insomnia/GrpcRequest')).map((f) => fs.readFileSync(path.join(tmp, 'x/.insomnia/GrpcRequest', f), 'utf8'));
    assert.equal(grpcDocs.length, 5);
    for (const d of grpcDocs) assert.match(d, /reflectionApi:\n {2}enabled: false\n {2}url: https:\/\/buf\.build\n {2}apiKey: ""\n {2}module: buf\.build\/connectrpc\/eliza\n/);
  });

  it('import of a v5 mock server keeps its server and every route; convert --to legacy writes MockServer and MockRoute documents', async () => {
    const mock = path.join(tmp, 'mock.yaml');
    fs.writeFileSync(
      mock,
      [
        'type: mock.insomnia.rest/5.0',
        'schema_version: "5.1"',
        'name: Payments Mock',
        'meta:',
        '  id: wrk_m',
        'server:',
        '  meta:',
        '    id: mock_s',
        '  url: http://localhost:9090',
        '  useInsomniaCloud: false',
        'routes:',
        '  - name: /pay',
        '    meta:',
        '      id: mock-route_1',
        '    body: \'{"ok":true}\'',
        '    headers:',
        '      - name: X-A',
        '        value: "1"',
        '    method: POST',
        '    mimeType: application/json',
        '    statusCode: 201',
        '    statusText: Created',
        '  - name: /health',
        '    meta:',
        '      id: mock-route_2',
        '    method: GET',
        '',
      ].join('\n'),
    );
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    const r = await run(['import', mock, 'repo'], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /dropped/);
    assert.match(r.stdout, /"Payments Mock": 0 folders, 0 requests, 0 environments, a mock server with 2 routes\n/);
    const [c] = (await loadWorkspace(repo)).collections;
    assert.equal(c.scope, 'mock-server');
    assert.deepEqual([c.mockServer?.id, c.mockServer?.url, c.mockServer?.useInsomniaCloud], ['mock_s', 'http://localhost:9090', false]);
    assert.deepEqual(
      c.mockServer?.routes.map((x) => [x.id, x.name, x.method, x.statusCode, x.statusText, x.body, x.headers]),
      [
        ['mock-route_1', '/pay', 'POST', 201, 'Created', '{"ok":true}', [{ name: 'X-A', value: '1' }]],
        ['mock-route_2', '/health', 'GET', 200, '', '', []],
      ],
    );
    const conv = await run(['convert', 'repo', '--collection', 'Payments Mock', '--to', 'legacy'], tmp);
    assert.equal(conv.code, 0, conv.stderr);
    assert.deepEqual(
      files(path.join(repo, '.insomnia')).filter((f) => f.endsWith('.yml')),
      ['MockRoute/mock-route_1.yml', 'MockRoute/mock-route_2.yml', 'MockServer/mock_s.yml', 'Workspace/wrk_m.yml'],
    );
    assert.match(fs.readFileSync(path.join(repo, '.insomnia/MockRoute/mock-route_1.yml'), 'utf8'), /^_id: mock-route_1\ntype: MockRoute\nparentId: mock_s\n/);
  });

  it('convert --to legacy of a design file without spec: writes the ApiSpec document Insomnia 10 and inso look for', async () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'design.yaml'), 'type: spec.insomnia.rest/5.0\nname: Bare Design\nmeta:\n  id: wrk_d\n');
    const r = await run(['convert', 'repo', '--collection', 'Bare Design', '--to', 'legacy'], tmp);
    assert.equal(r.code, 0, r.stderr);
    const specs = fs.readdirSync(path.join(repo, '.insomnia/ApiSpec'));
    assert.equal(specs.length, 1);
    assert.match(fs.readFileSync(path.join(repo, '.insomnia/ApiSpec', specs[0]), 'utf8'), /^_id: spc_[0-9a-f]{32}\ntype: ApiSpec\nparentId: wrk_d\nfileName: Bare Design\ncontentType: yaml\ncontents: ""\n/);
  });

  it('a new file is written in the schema version of the repository\'s v5 files (5.1 here), else the newest (5.2)', async () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    const file = path.join(FIXTURES, 'import/postman/argos-api.postman_collection.v2.0.json');
    assert.equal((await run(['import', file, 'repo'], tmp)).code, 0);
    const first = fs.readdirSync(repo).find((f) => f.endsWith('.yaml'))!;
    assert.match(fs.readFileSync(path.join(repo, first), 'utf8'), /^type: collection\.insomnia\.rest\/5\.0\nschema_version: "5\.2"\n/);
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other);
    fs.copyFileSync(path.join(FIXTURES, 'v5/upstream-roundtrip/security_collection.yaml'), path.join(other, 'security.yaml'));
    assert.equal((await run(['import', file, 'other'], tmp)).code, 0);
    const imported = fs.readdirSync(other).find((f) => f !== 'security.yaml')!;
    const text = fs.readFileSync(path.join(other, imported), 'utf8');
    assert.match(text, /^type: collection\.insomnia\.rest\/5\.0\nschema_version: "5\.1"\n/);
    assert.doesNotMatch(text, /\n {4}type: (Request|RequestGroup)\n/, '5.1 items carry no type');
  });
});
