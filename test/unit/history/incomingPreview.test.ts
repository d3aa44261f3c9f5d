// previewIncoming on real clones of a bare repository (git CLI, file:// remote): what a pull would bring, the
// verdict (fast-forward, merge, conflict with requests and fields, blocked by uncommitted work), the summary
// text, and that nothing in the repository changes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitClient } from '../../../src/git/gitClient';
import { incomingLines, previewIncoming, summarizeIncoming, countChanges } from '../../../src/history/incomingPreview';
import { commitFiles, gitCli, initRepo, legacySeed, requestYaml, snapshot, TempDirs, writeFiles } from '../git/gitTestRepos';

const FILES = ['.insomnia/Request/req_1.yml', '.insomnia/Request/req_2.yml', '.insomnia/Request/req_3.yml', '.insomnia/Request/req_4.yml'];

describe('previewIncoming', function () {
  this.timeout(30_000);
  const temp = new TempDirs();
  after(() => temp.cleanup());

  /** A bare remote seeded with 3 requests, our clone, and their clone that pushes a change we then fetch. */
  function setup(): { ours: string; theirs: string } {
    const seed = initRepo(temp.make(), legacySeed(3));
    const top = temp.make();
    gitCli(top, 'clone', '-q', '--bare', seed, 'remote.git');
    const remote = path.join(top, 'remote.git');
    for (const name of ['ours', 'theirs']) {
      gitCli(top, 'clone', '-q', remote, name);
      gitCli(path.join(top, name), 'config', 'user.name', 'CLI User');
      gitCli(path.join(top, name), 'config', 'user.email', 'cli@hammock.invalid');
    }
    return { ours: path.join(top, 'ours'), theirs: path.join(top, 'theirs') };
  }

  function theyPush(theirs: string, ours: string): void {
    commitFiles(theirs, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://example.com/theirs'), '.insomnia/Request/req_4.yml': requestYaml('req_4', 'Request 4') }, 'their change');
    fs.rmSync(path.join(theirs, '.insomnia/Request/req_2.yml'));
    gitCli(theirs, 'commit', '-q', '-am', 'delete req_2');
    gitCli(theirs, 'push', '-q', 'origin', 'main');
    gitCli(ours, 'fetch', '-q', 'origin');
  }

  it('up to date: says so', async () => {
    const { ours } = setup();
    const p = await previewIncoming(new GitClient(ours));
    assert.ok(p);
    assert.equal(p.kind, 'upToDate');
    assert.equal(summarizeIncoming(p), 'main is up to date with origin/main.');
  });

  it('fast-forward: the incoming requests, exactly, and nothing changes in the repository', async () => {
    const { ours, theirs } = setup();
    theyPush(theirs, ours);
    const before = snapshot(ours, FILES);
    const p = await previewIncoming(new GitClient(ours));
    assert.ok(p);
    assert.equal(p.kind, 'fastForward');
    assert.equal(p.behind, 2);
    assert.equal(p.ahead, 0);
    assert.equal(p.theirs, gitCli(ours, 'rev-parse', 'origin/main'));
    assert.equal(p.base, gitCli(ours, 'rev-parse', 'HEAD'));
    assert.deepEqual(incomingLines(p), ['~ request "Request 1": url changed', '+ request "Request 4" added', '- request "Request 2" removed']);
    assert.equal(summarizeIncoming(p), 'origin/main has 2 new commits: 1 request added, 1 request changed, 1 request removed. Pulling would fast-forward.');
    assert.deepEqual(snapshot(ours, FILES), before);
  });

  it('an incoming file that cannot be read (conflict markers pushed): named, and its request not called removed', async () => {
    const { ours, theirs } = setup();
    const file = '.insomnia/Request/req_1.yml';
    commitFiles(theirs, { [file]: `<<<<<<< HEAD\n${requestYaml('req_1', 'Request 1', 'https://example.com/a')}=======\n${requestYaml('req_1', 'Request 1', 'https://example.com/b')}>>>>>>> other\n` }, 'a merge pushed with its conflict markers');
    commitFiles(theirs, { '.insomnia/Request/req_4.yml': requestYaml('req_4', 'Request 4') }, 'one more');
    gitCli(theirs, 'push', '-q', 'origin', 'main');
    gitCli(ours, 'fetch', '-q', 'origin');
    const p = await previewIncoming(new GitClient(ours));
    assert.ok(p);
    assert.deepEqual(p.unreadable.map((u) => [u.file, u.line]), [[file, 1]]);
    assert.deepEqual(incomingLines(p), ['+ request "Request 4" added', `! ${file} cannot be read: what it holds is left out`]);
    assert.match(summarizeIncoming(p), new RegExp(`^origin/main has 2 new commits: 1 request added\\. 1 incoming file cannot be read \\(${file.replace(/\./g, '\\.')}, line 1: .+\\)\\. Pulling would fast-forward\\.$`));
  });

  it('a local commit on the same field: a conflict naming the request and the field; nothing changes', async () => {
    const { ours, theirs } = setup();
    commitFiles(ours, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://example.com/ours') }, 'our change');
    theyPush(theirs, ours);
    const before = snapshot(ours, FILES);
    const p = await previewIncoming(new GitClient(ours));
    assert.ok(p);
    assert.equal(p.kind, 'conflict');
    assert.equal(p.ahead, 1);
    assert.deepEqual(p.conflict?.files.map((f) => [f.path, f.kind, f.items.map((i) => [i.name, i.fields])]), [
      ['.insomnia/Request/req_1.yml', 'bothModified', [['Request 1', ['url']]]],
    ]);
    // the incoming changes are theirs since the merge base, not the difference with our commit
    assert.deepEqual(incomingLines(p), ['~ request "Request 1": url changed', '+ request "Request 4" added', '- request "Request 2" removed']);
    assert.match(summarizeIncoming(p), /Pulling would conflict in 1 file: "Request 1" \(url\)\.$/);
    assert.deepEqual(snapshot(ours, FILES), before);
  });

  it('a local commit on another field of the same request: a merge, the file merges by field', async () => {
    const { ours, theirs } = setup();
    commitFiles(ours, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request One') }, 'rename');
    theyPush(theirs, ours);
    const p = await previewIncoming(new GitClient(ours));
    assert.ok(p);
    assert.equal(p.kind, 'merge');
    assert.deepEqual(p.fieldMerged, ['.insomnia/Request/req_1.yml']);
    assert.equal(
      summarizeIncoming(p),
      'origin/main has 2 new commits: 1 request added, 1 request changed, 1 request removed. Pulling would merge (1 local commit), without conflicts (1 file changed on both sides merge).',
    );
  });

  it('uncommitted changes to an incoming file block the pull; other uncommitted files do not', async () => {
    const { ours, theirs } = setup();
    theyPush(theirs, ours);
    writeFiles(ours, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Request 2', 'https://example.com/wip'), '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Request 3', 'https://example.com/wip') });
    const before = snapshot(ours, FILES);
    const p = await previewIncoming(new GitClient(ours));
    assert.ok(p);
    assert.deepEqual(p.blockedBy, ['.insomnia/Request/req_2.yml']);
    assert.match(summarizeIncoming(p), / Your uncommitted changes to \.insomnia\/Request\/req_2\.yml block the pull: commit or discard them first\.$/);
    // what the host knows the file holds (SourceControl.nameOf: a v5 file's edited requests) is said with it
    assert.match(summarizeIncoming({ ...p, names: { '.insomnia/Request/req_2.yml': 'GET Request 2' } }), / Your uncommitted changes to GET Request 2 \(\.insomnia\/Request\/req_2\.yml\) block the pull: commit or discard them first\.$/);
    assert.deepEqual(snapshot(ours, FILES), before);
  });

  it('no upstream (a branch never pushed) or a detached HEAD: undefined', async () => {
    const dir = initRepo(temp.make(), legacySeed(1));
    assert.equal(await previewIncoming(new GitClient(dir)), undefined);
    gitCli(dir, 'checkout', '-q', '--detach');
    assert.equal(await previewIncoming(new GitClient(dir)), undefined);
  });

  it('countChanges: every entity and kind, in a fixed order', () => {
    const ch = (entity: string, kind: string) => ({ entity, kind, type: entity, id: 'x', name: 'x', path: [], description: '' }) as never;
    const text = countChanges({
      collections: [
        { id: 'a', format: 'v5', name: 'A', path: '/a', kind: 'added', changes: [] },
        { id: 'b', format: 'legacy', name: 'B', path: '/b', kind: 'changed', changes: [ch('request', 'moved'), ch('request', 'added'), ch('request', 'added'), ch('environment', 'changed'), ch('folder', 'removed')] },
      ],
    });
    assert.equal(text, '1 collection added, 1 folder removed, 2 requests added, 1 request moved, 1 environment changed');
  });
});
