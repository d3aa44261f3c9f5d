// connectUrl (where a fetch or push connects: insteadOf of the system, global and local config) is asked on every
// fetch and push: the configuration it resolves is kept while its files (every one read, includes too) keep their
// identity (size, mtime, ctime, inode), so an unchanged configuration is not read again, and any edit is seen. The
// oracle for what it gives: `git remote get-url [--push]` on the same files.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { forgetProcessCaches } from '../../../src/git/processCaches';
import { gitCli, TempDirs } from './gitTestRepos';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsp = require('fs/promises') as { readFile: (...args: unknown[]) => Promise<unknown> };

describe('connectUrl: the resolved configuration kept while its files are unchanged, an edit seen', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());
  let reads: string[] = [];
  const real = fsp.readFile;
  beforeEach(() => {
    reads = [];
    fsp.readFile = (...args: unknown[]) => {
      reads.push(String(args[0]));
      return real(...args);
    };
  });
  afterEach(() => {
    fsp.readFile = real;
  });

  it('reads the global and included files once, and sees each edit as git does', async () => {
    forgetProcessCaches();
    const home = tmp.make('hammock-home-');
    const dir = tmp.make('hammock-repo-');
    gitCli(dir, 'init', '-q');
    gitCli(dir, 'remote', 'add', 'origin', 'https://example.invalid/r.git');
    const globalFile = path.join(home, '.gitconfig');
    const included = path.join(home, 'more.gitconfig');
    fs.writeFileSync(globalFile, `[include]\n\tpath = ${included}\n[url "https://one.example/"]\n\tinsteadOf = https://example.invalid/\n`);
    fs.writeFileSync(included, '');
    const env = { HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    const cli = (...args: string[]): string =>
      require('child_process').execFileSync('git', args, { cwd: dir, env: { ...process.env, ...env } }).toString().trim() as string;
    const client = new GitClient(dir, { configEnv: env });
    const configReads = (): number => reads.filter((f) => f === globalFile || f === included).length;

    assert.strictEqual(await client.connectUrl(), cli('remote', 'get-url', 'origin'));
    assert.ok(configReads() >= 2, `read: ${reads.join(', ')}`);
    reads = [];
    for (let i = 0; i < 3; i++) {
      assert.strictEqual(await client.connectUrl(), 'https://one.example/r.git');
      assert.strictEqual(await client.connectUrl('origin', 'push'), cli('remote', 'get-url', '--push', 'origin'));
    }
    assert.strictEqual(configReads(), 0, `read again although unchanged: ${reads.join(', ')}`);

    // the global file edited (a longer value: its size changes)
    fs.writeFileSync(globalFile, `[include]\n\tpath = ${included}\n[url "https://two.example.org/"]\n\tinsteadOf = https://example.invalid/\n`);
    assert.strictEqual(await client.connectUrl(), cli('remote', 'get-url', 'origin'));
    assert.strictEqual(await client.connectUrl(), 'https://two.example.org/r.git');
    // the included file: a pushInsteadOf
    fs.writeFileSync(included, '[url "https://push.example/"]\n\tpushInsteadOf = https://example.invalid/\n');
    assert.strictEqual(await client.connectUrl('origin', 'push'), cli('remote', 'get-url', '--push', 'origin'));
    assert.strictEqual(await client.connectUrl('origin', 'push'), 'https://push.example/r.git');
    // the repository's own config, by git itself
    cli('config', 'remote.origin.pushurl', 'https://example.invalid/p.git');
    assert.strictEqual(await client.connectUrl('origin', 'push'), cli('remote', 'get-url', '--push', 'origin'));
    // the same size, written again within the same millisecond or not: the inode or ctime differ (an atomic rename)
    const text = fs.readFileSync(globalFile, 'utf8').replace('two.example.org', 'six.example.org');
    fs.writeFileSync(`${globalFile}.tmp`, text);
    fs.renameSync(`${globalFile}.tmp`, globalFile);
    assert.strictEqual(await client.connectUrl(), cli('remote', 'get-url', 'origin'));
    assert.strictEqual(await client.connectUrl(), 'https://six.example.org/r.git');
    // a file that did not exist appears (the XDG one, read before ~/.gitconfig)
    fs.mkdirSync(path.join(home, '.config', 'git'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'git', 'config'), '[url "https://xdg.example/"]\n\tinsteadOf = https://example.invalid/r\n');
    assert.strictEqual(await client.connectUrl(), cli('remote', 'get-url', 'origin'));
    assert.strictEqual(await client.connectUrl(), 'https://xdg.example/.git');
  });
});
