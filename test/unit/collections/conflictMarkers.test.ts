// A file in the middle of a merge (git's conflict markers in it) is reported as a problem, never read as data.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWorkspace } from '../../../src/collections/scan';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

function withConflict(text: string, line: number, ours: string, theirs: string): string {
  const lines = text.split('\n');
  lines.splice(line, 1, '<<<<<<< HEAD', ours, '=======', theirs, '>>>>>>> origin/main');
  return lines.join('\n');
}

describe('merge conflict markers', () => {
  let root: string;
  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-conflict-'));
  });
  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('a v5 file with markers is a problem at the marker line, not a collection', async () => {
    const text = await fsp.readFile(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), 'utf8');
    const nameLine = text.split('\n').findIndex((l) => l === '      - url: "{{ _.base_url }}/user/login"') + 1;
    assert.ok(nameLine > 0);
    await fsp.writeFile(path.join(root, 'everything.yaml'), withConflict(text, nameLine, '        name: login ours', '        name: login theirs'));
    const snapshot = await loadWorkspace(root);
    assert.equal(snapshot.collections.length, 0);
    assert.equal(snapshot.problems.length, 1);
    assert.match(snapshot.problems[0].message, /Unresolved merge conflict/);
    assert.equal(snapshot.problems[0].line, nameLine);
  });

  it('a v5 file whose first line is a marker is still recognised and reported', async () => {
    const text = await fsp.readFile(path.join(FIXTURES, 'v5/kong-example/my_collection.yaml'), 'utf8');
    await fsp.writeFile(path.join(root, 'c.yaml'), withConflict(text, 0, text.split('\n')[0], text.split('\n')[0]));
    const snapshot = await loadWorkspace(root);
    assert.equal(snapshot.problems.length, 1);
    assert.equal(snapshot.problems[0].line, 0);
  });

  it('a legacy request file with markers is a problem of its collection; the rest loads', async () => {
    await fsp.cp(path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia'), path.join(root, '.insomnia'), { recursive: true });
    const file = path.join(root, '.insomnia/Request/req_1ac8784119b747b38ac3a9f211e95e8e.yml');
    await fsp.chmod(file, 0o644);
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, withConflict(text, 6, 'name: Create a transaction', 'name: Create new transaction (v2)'));
    const snapshot = await loadWorkspace(root);
    assert.equal(snapshot.collections.length, 1);
    const problems = [...snapshot.problems, ...snapshot.collections[0].problems];
    assert.deepEqual(problems.map((p) => [path.basename(p.file), p.line, p.severity]), [['req_1ac8784119b747b38ac3a9f211e95e8e.yml', 6, 'error']]);
  });

  it('markers inside a block scalar that never close are not mistaken for a conflict', async () => {
    const text = 'type: collection.insomnia.rest/5.0\nname: Docs\nmeta:\n  id: wrk_1\n  description: |-\n    <<<<<<< not a conflict\ncollection: []\n';
    await fsp.writeFile(path.join(root, 'docs.yaml'), text);
    const snapshot = await loadWorkspace(root);
    assert.deepEqual(snapshot.collections.map((c) => c.name), ['Docs']);
  });
});
