// One workspace id in both formats (a .insomnia folder and its v5 copy, as Insomnia 11.2's conversion leaves them):
// a warning on both collections, from a full load and kept right (once, or gone) by the store's partial re-reads.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWorkspace } from '../../../../src/collections/scan';
import { CollectionStore, writeChanges } from '../../../../src/collections/store';
import { convertLegacyToV5 } from '../../../../src/collections/convert/convertFormat';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const twinWarnings = (c: { problems: { message: string; severity: string }[] }) =>
  c.problems.filter((p) => p.severity === 'warning' && /same workspace is also stored as/.test(p.message));

describe('a workspace stored in both formats', () => {
  let repo: string;
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-twins-'));
    fs.cpSync(path.join(FIXTURES, 'legacy/kong-example-design'), repo, { recursive: true });
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('no warning with one format; a warning on both once converted, naming the other copy', async () => {
    const alone = await loadWorkspace(repo);
    assert.deepEqual(alone.collections.flatMap(twinWarnings), []);
    const converted = convertLegacyToV5(path.join(repo, '.insomnia'));
    await writeChanges(converted.changes);
    const snap = await loadWorkspace(repo);
    assert.equal(snap.collections.length, 2);
    const legacy = snap.collections.find((c) => c.format === 'legacy')!;
    const v5 = snap.collections.find((c) => c.format === 'v5')!;
    assert.equal(legacy.id, v5.id);
    assert.equal(twinWarnings(legacy).length, 1);
    assert.equal(twinWarnings(v5).length, 1);
    assert.match(twinWarnings(legacy)[0].message, new RegExp(`an Insomnia v5 file \\(${path.basename(converted.target).replace(/\./g, '\\.')}\\)`));
    assert.match(twinWarnings(v5)[0].message, /a legacy \.insomnia folder \(\.insomnia\)/);
    // a different workspace in the other format is no twin
    const other = path.join(repo, 'other.yaml');
    fs.writeFileSync(other, fs.readFileSync(converted.target, 'utf8').replace(/^( {2}id: )wrk_\w+$/m, '$1wrk_other'));
    const three = await loadWorkspace(repo);
    assert.equal(three.collections.filter((c) => twinWarnings(c).length > 0).length, 2);
    // the same id in another repository's .insomnia folder (not above the v5 file) is no twin either
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-twins-other-'));
    fs.cpSync(path.join(FIXTURES, 'legacy/kong-example-design'), path.join(elsewhere, 'a'), { recursive: true });
    fs.mkdirSync(path.join(elsewhere, 'b'));
    fs.copyFileSync(converted.target, path.join(elsewhere, 'b', 'copy.yaml'));
    const apart = await loadWorkspace(elsewhere);
    fs.rmSync(elsewhere, { recursive: true, force: true });
    assert.equal(apart.collections.length, 2);
    assert.deepEqual(apart.collections.flatMap(twinWarnings), []);
  });

  it('the store keeps one warning per collection across partial re-reads, and drops it when one copy goes', async () => {
    const converted = convertLegacyToV5(path.join(repo, '.insomnia'));
    await writeChanges(converted.changes);
    const store = new CollectionStore([repo]);
    await store.whenComplete();
    assert.deepEqual(store.collections.map((c) => twinWarnings(c).length), [1, 1]);
    // touch both copies: each is re-read on its own
    fs.appendFileSync(converted.target, '\n');
    const wsDir = path.join(repo, '.insomnia', 'Workspace');
    const wsFile = path.join(wsDir, fs.readdirSync(wsDir)[0]);
    fs.appendFileSync(wsFile, '\n');
    await store.refreshPaths([converted.target, wsFile]);
    assert.deepEqual(store.collections.map((c) => twinWarnings(c).length), [1, 1]);
    fs.rmSync(converted.target);
    await store.refreshPaths([converted.target]);
    assert.equal(store.collections.length, 1);
    assert.deepEqual(twinWarnings(store.collections[0]), []);
    store.dispose();
  });
});
