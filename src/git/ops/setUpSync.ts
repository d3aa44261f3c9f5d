// The repository's own configuration: whether there is one, `git init` + `git remote add` (Set Up Sync), the
// remote's URL, and the author written into `.git/config` when the user asks for it.

import * as fsp from 'fs/promises';
import * as path from 'path';
import { isogit } from '../isogit';
import { writeInitCoreConfig } from '../plumbing/fsCapabilities';
import type { GitCredentials } from '../auth';
import type { GitAuthor, SetUpSyncOptions } from '../gitClient';
import type { CoreContext } from './context';
import { DEFAULT_REMOTE } from './gitCore';

/** Whether `dir` holds a git repository. */
export async function isRepository({ core }: CoreContext): Promise<boolean> {
  try {
    await fsp.stat(path.join(core.gitdir, 'HEAD'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Sets up sync for a folder: creates the repository if there is none, sets the remote (credentials in the URL
 * are refused from the config: they are handed back for the caller to store) and the author.
 */
export async function setUpSync(ctx: CoreContext, options: SetUpSyncOptions): Promise<{ credentials?: GitCredentials }> {
  const { core } = ctx;
  const raw = options.remoteUrl.trim();
  // an SSH or local remote is kept as written when the user's git will carry it (systemGit.ts)
  const parsed: { url: string; username?: string; password?: string } = core.acceptRemoteUrl(raw);
  return core.guard({ operation: 'set up sync', url: parsed.url }, async () => {
    if (!(await isRepository(ctx))) {
      await isogit().init({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, defaultBranch: options.defaultBranch ?? 'main' });
      // git's [core] for this file system, not isomorphic-git's (no file modes, no symlinks, case-insensitive)
      await writeInitCoreConfig(core.gitdir, (key, value) => isogit().setConfig({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, path: key, value }));
    }
    const remote = options.remote ?? DEFAULT_REMOTE;
    await isogit().addRemote({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, remote, url: parsed.url, force: true });
    if (options.author) await setAuthor(ctx, options.author);
    return parsed.password ? { credentials: { username: parsed.username, token: parsed.password } } : {};
  });
}

/** remote.<name>.url as `git remote get-url` gives it: the first of its values (git fetches from the first). */
export async function getRemoteUrl(ctx: CoreContext, remote = DEFAULT_REMOTE): Promise<string | undefined> {
  return (await getRemoteUrls(ctx, remote))[0];
}

/** Every remote.<name>.url value, in the config's order (git pushes to each when the remote has no pushurl). */
export async function getRemoteUrls({ core }: CoreContext, remote = DEFAULT_REMOTE): Promise<string[]> {
  const all = (await isogit().getConfigAll({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, path: `remote.${remote}.url` })) as unknown[];
  return all.filter((u): u is string => typeof u === 'string');
}

/** Writes user.name / user.email into the repository's `.git/config`: only when the user asked for it. */
export async function setAuthor({ core }: CoreContext, author: GitAuthor): Promise<void> {
  await isogit().setConfig({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, path: 'user.name', value: author.name });
  await isogit().setConfig({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, path: 'user.email', value: author.email });
}
