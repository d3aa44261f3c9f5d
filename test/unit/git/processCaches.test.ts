// What the git layer remembers across clients (src/git/processCaches.ts) is forgotten on request: GitClient.resetCache
// (after an outside `git gc`) and the bench's "fresh client" rounds rely on it.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readIndex } from '../../../src/git/indexCache';
import { GitClient } from '../../../src/git/gitClient';
import { GitConfig } from '../../../src/git/plumbing/gitConfig';
import { forgetProcessCaches } from '../../../src/git/processCaches';
import { gitCli, initRepo, legacySeed, TempDirs } from './gitTestRepos';

describe('process-wide git caches', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('a parsed index is reused while the file is unchanged, and parsed again after forgetProcessCaches or resetCache', async () => {
    const dir = initRepo(temp.make(), legacySeed(3));
    const gitdir = path.join(dir, '.git');
    const first = (await readIndex(gitdir))!;
    const again = (await readIndex(gitdir))!;
    assert.ok(first.entries.length > 0);
    assert.strictEqual(again.entries[0], first.entries[0], 'the second read reuses the parsed entries');
    forgetProcessCaches();
    const fresh = (await readIndex(gitdir))!;
    assert.notStrictEqual(fresh.entries[0], first.entries[0], 'parsed again after forgetting');
    assert.deepStrictEqual(fresh.entries, first.entries);
    new GitClient(dir).resetCache();
    const afterReset = (await readIndex(gitdir))!;
    assert.notStrictEqual(afterReset.entries[0], fresh.entries[0], 'resetCache forgets it too');
  });

  it('a config rewritten to the same size within the same millisecond is read again', async () => {
    const dir = initRepo(temp.make(), legacySeed(1));
    const gitdir = path.join(dir, '.git');
    const file = path.join(gitdir, 'config');
    const base = fs.readFileSync(file, 'utf8');
    const mtime = new Date(1_700_000_000_000);
    fs.writeFileSync(file, `${base}[hammock]\n\tprobe = aaaa\n`);
    fs.utimesSync(file, mtime, mtime);
    assert.strictEqual(GitConfig.load(gitdir).string('hammock.probe'), 'aaaa');
    fs.writeFileSync(file, `${base}[hammock]\n\tprobe = bbbb\n`);
    fs.utimesSync(file, mtime, mtime); // same size, same mtime: only ctime (and maybe the inode) tell
    assert.strictEqual(GitConfig.load(gitdir).string('hammock.probe'), 'bbbb');
    assert.strictEqual(gitCli(dir, 'config', 'hammock.probe'), 'bbbb');
  });
});
