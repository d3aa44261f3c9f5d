import * as assert from 'node:assert/strict';
import { GitObjects, INDEX_REF } from '../../../src/git/gitObjects';
import { commitFiles, conflictedMerge, gitCli, initRepo, legacySeed, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('GitObjects: a file as git has it', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('reads HEAD, the index (re-read when it changes), a commit and a remote-tracking ref', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const first = gitCli(dir, 'rev-parse', 'HEAD');
    const second = commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Renamed') });
    gitCli(dir, 'update-ref', 'refs/remotes/origin/main', first);
    const objects = new GitObjects(dir);

    assert.match((await objects.readText('HEAD', '.insomnia/Request/req_1.yml'))!, /name: Renamed/);
    assert.match((await objects.readText(first, '.insomnia/Request/req_1.yml'))!, /name: Request 1/);
    assert.match((await objects.readText('origin/main', '.insomnia/Request/req_1.yml'))!, /name: Request 1/);
    assert.equal(await objects.resolveCommit('main'), second);
    assert.match((await objects.readText(INDEX_REF, '.insomnia/Request/req_1.yml'))!, /name: Renamed/);

    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Staged name') });
    gitCli(dir, 'add', '.insomnia/Request/req_1.yml');
    assert.match((await objects.readText(INDEX_REF, '.insomnia/Request/req_1.yml'))!, /name: Staged name/, 'the index was re-read');
    assert.match((await objects.readText('HEAD', '.insomnia/Request/req_1.yml'))!, /name: Renamed/);
  });

  it('answers null for a file that is not there, an unknown ref and an unborn HEAD', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const objects = new GitObjects(dir);
    assert.equal(await objects.readText('HEAD', 'nope.yml'), null);
    assert.equal(await objects.readText('no-such-branch', '.insomnia/Request/req_1.yml'), null);
    assert.equal(await objects.readText(INDEX_REF, 'nope.yml'), null);
    const empty = tmp.make();
    gitCli(empty, 'init', '-q', '-b', 'main');
    assert.equal(await new GitObjects(empty).readText('HEAD', 'a.yml'), null);
    assert.equal(await new GitObjects(empty).readText(INDEX_REF, 'a.yml'), null);
  });

  it('reads the conflict stages of an unmerged file', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const file = '.insomnia/Request/req_1.yml';
    conflictedMerge(dir, file, 'req_1');
    const objects = new GitObjects(dir);
    assert.match((await objects.readText('~1', file))!, /name: Request 1/);
    assert.match((await objects.readText('~2', file))!, /name: Ours/);
    assert.match((await objects.readText('~3', file))!, /name: Theirs/);
    assert.equal(await objects.readText(INDEX_REF, file), null, 'no stage 0 while unmerged');
  });
});
