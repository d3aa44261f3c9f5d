// The start-up probe's pure part (src/collections/probe.ts): which paths count, by the store's own rules, and the
// first file that makes a collection, on the real fixtures and on files made here.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findInsomniaFile, probeKind, readFileHead } from '../../../src/collections/probe';
import { compileExcludes, loadWorkspace } from '../../../src/collections/scan';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const V5 = path.join(FIXTURES, 'v5/kong-example');
const none = compileExcludes([]);
const entry = (root: string, rel: string) => ({ file: path.join(root, rel), relPath: rel });

describe('probe: is there Insomnia data here', () => {
  it('counts the paths the store reads: YAML outside skipped folders, anything in a .insomnia folder', () => {
    assert.equal(probeKind('api/openapi.yaml', none), 'yaml');
    assert.equal(probeKind('insomnia.wrk_1.YML', none), 'yaml');
    assert.equal(probeKind('.insomnia/Workspace/wrk_1.yml', none), 'legacy');
    assert.equal(probeKind('services/a/.insomnia/Request/req_1.yml', none), 'legacy');
    assert.equal(probeKind('node_modules/pkg/collection.yaml', none), undefined);
    assert.equal(probeKind('.github/workflows/ci.yml', none), undefined);
    assert.equal(probeKind('a/.venv/lib/x.yaml', none), undefined);
    assert.equal(probeKind('package.json', none), undefined);
    assert.equal(probeKind('.insomnia', none), undefined, 'a file named .insomnia is not a folder');
  });

  it('leaves out what hammock.exclude names: bare names anywhere, globs on the relative path', () => {
    const excluded = compileExcludes(['dist', 'fixtures/**']);
    assert.equal(probeKind('dist/insomnia.yaml', excluded), undefined);
    assert.equal(probeKind('web/dist/insomnia.yaml', excluded), undefined);
    assert.equal(probeKind('fixtures/a/b.yaml', excluded), undefined);
    assert.equal(probeKind('fixtures/.insomnia/Workspace/w.yml', excluded), undefined);
    assert.equal(probeKind('src/fixtures.yaml', excluded), 'yaml');
  });

  it('finds the v5 files of the fixtures by their first line, and not the OpenAPI file beside them', async () => {
    const spec = await findInsomniaFile([entry(V5, 'spec.yaml')]);
    assert.equal(spec.hit, undefined, 'spec.yaml is OpenAPI, not Insomnia');
    assert.equal(spec.read, 1);
    const found = await findInsomniaFile([entry(V5, 'spec.yaml'), entry(V5, 'my_collection.yaml')]);
    assert.deepEqual(found.hit, { kind: 'v5', file: path.join(V5, 'my_collection.yaml') });
    assert.equal(found.read, 2);
  });

  it('agrees with the store on every fixture file: a YAML file is a hit exactly when loadWorkspace makes a collection of it', async () => {
    const loaded = await loadWorkspace(V5);
    const collectionFiles = new Set(loaded.collections.map((c) => c.path));
    for (const name of readdirSync(V5).filter((n) => /\.ya?ml$/.test(n))) {
      const { hit } = await findInsomniaFile([entry(V5, name)]);
      assert.equal(hit !== undefined, collectionFiles.has(path.join(V5, name)), name);
    }
  });

  it('decides a legacy path without reading anything, and reads YAML in order, stopping at the first hit', async () => {
    const read: string[] = [];
    const readHead = (file: string) => {
      read.push(path.basename(file));
      return file.endsWith('hit.yaml') ? 'type: collection.insomnia.rest/5.0\n' : 'openapi: 3.1.0\n';
    };
    const legacy = await findInsomniaFile([entry('/r', 'a.yaml'), entry('/r', '.insomnia/Workspace/w.yml')], { readHead });
    assert.deepEqual(legacy.hit, { kind: 'legacy', file: path.join('/r', '.insomnia/Workspace/w.yml') });
    assert.deepEqual(read, []);
    const files = ['a.yaml', 'b.yaml', 'c.yaml', 'hit.yaml', 'd.yaml', 'e.yaml'].map((n) => entry('/r', n));
    const found = await findInsomniaFile(files, { readHead });
    assert.deepEqual(found.hit, { kind: 'v5', file: path.join('/r', 'hit.yaml') });
    assert.deepEqual(read, ['a.yaml', 'b.yaml', 'c.yaml', 'hit.yaml'], 'nothing after the hit');
    assert.equal(found.read, 4);
  });

  it('reads in slices, yielding to the event loop between them, and stops when its signal aborts', async () => {
    const abort = new AbortController();
    let reads = 0;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const readHead = () => {
      const until = performance.now() + 2;
      while (performance.now() < until) {
        /* a slow disk */
      }
      if (++reads === 20) abort.abort();
      return 'kind: Deployment\n';
    };
    const files = Array.from({ length: 100 }, (_, i) => entry('/r', `k8s/${i}.yaml`));
    const result = await findInsomniaFile(files, { readHead, sliceMs: 5, signal: abort.signal });
    clearInterval(ticker);
    assert.equal(result.hit, undefined);
    assert.equal(reads, 20, 'no read after the abort');
    assert.ok(ticks >= 3, `the event loop ran between slices (${ticks} timer ticks)`);
    assert.ok(result.busyMs >= 40 && result.busyMs < 1000, `busy ${result.busyMs} ms for 20 reads of 2 ms`);
  });

  describe('on disk', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(path.join(tmpdir(), 'hammock-probe-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a BOM, CRLF and a conflict marker on the first line still say Insomnia; a missing file is not a hit', async () => {
      writeFileSync(path.join(dir, 'bom.yaml'), '\ufefftype: collection.insomnia.rest/5.0\r\nname: x\r\n');
      writeFileSync(path.join(dir, 'merge.yaml'), '<<<<<<< HEAD\ntype: collection.insomnia.rest/5.0\n');
      writeFileSync(path.join(dir, 'ci.yml'), 'on: push\n');
      for (const name of ['bom.yaml', 'merge.yaml']) assert.equal((await findInsomniaFile([entry(dir, name)])).hit?.kind, 'v5', name);
      assert.equal((await findInsomniaFile([entry(dir, 'ci.yml'), entry(dir, 'gone.yaml')])).hit, undefined);
      assert.equal(readFileHead(path.join(dir, 'gone.yaml')), undefined);
    });

    it('reads only the first 4 KiB of a file', async () => {
      writeFileSync(path.join(dir, 'big.yaml'), `# ${'x'.repeat(10_000)}\n`);
      assert.equal(readFileHead(path.join(dir, 'big.yaml'))?.length, 4096);
    });
  });
});
