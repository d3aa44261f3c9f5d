// Clone Repository with a URL that url.<base>.insteadOf rewrites (`gh:name` with `url.<server>/.insteadOf gh:`): git
// clone resolves the alias, then connects, names the folder after the URL as given and stores that one. The URL box
// and the command check the URL git connects to, not the one typed (which reads as scp-like SSH to a host `gh`).
// The oracle: `git clone gh:name` with the same global config, against the loopback server.

import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { checkRemoteUrl, cloneSource } from '../../../src/git/systemGit';
import { AUTHOR, gitCli, initRepo, legacySeed, loopbackGitServer, SERVER_TOKEN, serverAuth, TempDirs } from './gitTestRepos';

describe('Clone Repository of an insteadOf alias (gh:owner/repo): resolved as git clone resolves it, then checked', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);

  /** a HOME whose .gitconfig maps `gh:` onto the server (`token`: with the password in the URL, for the git CLI). */
  function home(token: boolean): string {
    const h = tmp.make('hammock-home-');
    const base = server().url('x').replace(/x\.git$/, '');
    fs.writeFileSync(path.join(h, '.gitconfig'), `[url "${token ? base.replace('http://', `http://user:${SERVER_TOKEN}@`) : base}"]\n\tinsteadOf = gh:\n`);
    return h;
  }

  it('the URL box accepts it as what git connects to; the clone lands where `git clone` puts it, from the same commit', async () => {
    const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(2));
    server().createBareRepo('aliased', { seedDir: seed });
    const env = { HOME: home(false), GIT_CONFIG_NOSYSTEM: '1' };

    // the oracle: git clone resolves the alias, names the folder `aliased` and stores `gh:aliased`
    const cliParent = tmp.make('hammock-cli-');
    await new Promise<void>((resolve, reject) =>
      execFile('git', ['clone', '-q', 'gh:aliased'], { cwd: cliParent, env: { ...process.env, HOME: home(true), GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' } }, (err, _o, stderr) =>
        err ? reject(new Error(stderr)) : resolve(),
      ),
    );
    const cliDir = path.join(cliParent, 'aliased');
    assert.strictEqual(gitCli(cliDir, 'config', 'remote.origin.url'), 'gh:aliased');

    for (const mode of ['auto', 'never'] as const) {
      // as typed, `gh:aliased` is scp-like SSH (a host `gh`): an SSH notice, or refused with the setting "never"
      assert.strictEqual(await checkRemoteUrl('gh:aliased', mode, undefined, { env }), undefined, mode);
      const source = await cloneSource('gh:aliased', mode, true, { env });
      assert.strictEqual(source.connect.url, server().url('aliased').replace(/\.git$/, ''), mode);
      assert.strictEqual(source.connect.ssh, false, mode);
      assert.strictEqual(source.folder, path.basename(cliDir), mode);
    }
    // an alias onto nothing git knows is still refused, saying what it resolved to
    const bad = await checkRemoteUrl('nowhere:x', 'never', undefined, { env });
    assert.strictEqual(bad?.severity, 'error');

    const parent = tmp.make('hammock-wc-');
    const source = await cloneSource('gh:aliased', 'never', true, { env });
    const client = await GitClient.clone({ url: 'gh:aliased', dir: path.join(parent, source.folder), auth: serverAuth, author: AUTHOR, externalGitMode: 'never', configEnv: env });
    assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(cliDir, 'rev-parse', 'HEAD'));
    assert.strictEqual(gitCli(client.dir, 'config', 'remote.origin.url'), gitCli(cliDir, 'config', 'remote.origin.url'));
  });
});
