// A clone in progress must not look like a repository to other tools. Hammock clones into a hidden sibling folder
// (`.<name>.hammock-clone-*`) and renames it when done; VS Code's Git watches the workspace for a new `.git` and opens
// any repository it finds there half a second later. A `.git` in the temporary folder while the pack comes in made it
// open that folder, and the entry stayed in the Source Control view after the folder was removed (a failed or
// cancelled clone) or renamed (a clone that worked). The temporary folder holds its git directory under another
// name until the clone is complete, in the extension's worker as in the host.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import type { TransferWorkerClient } from '../../../src/git/transferWorkerClient';
import { AUTHOR, gitCli, legacySeed, loopbackGitServer, serverAuth as auth, sourceTransferWorker, TempDirs, writeFiles } from './gitTestRepos';

describe('clone: the temporary folder is no repository until the clone is complete', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  let worker: TransferWorkerClient | undefined;
  after(() => worker?.dispose());

  /** every `.git` under the parent's temporary clone folders, at each progress report of the clone */
  async function dotGitsSeenDuring(name: string, useWorker: boolean): Promise<{ seen: string[]; reports: number; dir: string }> {
    const bare = server().createBareRepo(name);
    const seed = tmp.make('hammock-seed-');
    gitCli(seed, 'init', '-q', '-b', 'main');
    writeFiles(seed, legacySeed(40));
    gitCli(seed, 'add', '-A');
    gitCli(seed, '-c', 'user.name=S', '-c', 'user.email=s@hammock.invalid', 'commit', '-qm', 'seed');
    gitCli(seed, 'push', '-q', bare, 'main');
    const parent = tmp.make('hammock-parent-');
    const dir = path.join(parent, name);
    const seen = new Set<string>();
    let reports = 0;
    if (useWorker) worker ??= sourceTransferWorker();
    await GitClient.clone({
      url: server().url(name),
      dir,
      auth,
      author: AUTHOR,
      externalGitMode: 'never',
      transferWorker: useWorker ? worker : undefined,
      onProgress: () => {
        reports++;
        for (const f of fs.readdirSync(parent)) if (f.includes('hammock-clone') && fs.existsSync(path.join(parent, f, '.git'))) seen.add(path.join(f, '.git'));
      },
    });
    return { seen: [...seen], reports, dir };
  }

  for (const useWorker of [false, true]) {
    it(`${useWorker ? 'in the transfer worker' : 'in the host'}: no .git while the pack comes in; the clone is a repository git reads`, async () => {
      const { seen, reports, dir } = await dotGitsSeenDuring(useWorker ? 'hidden-worker' : 'hidden-host', useWorker);
      assert.ok(reports > 0, 'the clone reported progress');
      assert.deepStrictEqual(seen, []);
      assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
      assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), gitCli(dir, 'rev-parse', 'origin/main'));
      assert.deepStrictEqual(fs.readdirSync(path.dirname(dir)), [path.basename(dir)]);
    });
  }
});
