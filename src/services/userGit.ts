// The user's own git for Hammock's network operations (src/git/systemGit.ts): VS Code's built-in Git extension
// (`vscode.git`, getAPI(1)) where it is active and has the repository open, so that its askpass answers ssh
// passphrases and HTTPS credential prompts in the editor; else the git CLI (the one VS Code's `git.path` names).
// `hammock.git.useSystemGit` says which remotes go that way: `auto` (SSH ones), `always`, `never`.

import * as path from 'path';
import * as vscode from 'vscode';
import type { GitAuthProvider } from '../git/auth';
import { GitCli, UserGit, withCredentialHelper, type ExternalGit, type ExternalGitMode, type VsCodeGitRepositoryLike } from '../git/systemGit';

interface VsCodeGitApi {
  readonly git: { readonly path: string };
  readonly repositories: readonly (VsCodeGitRepositoryLike & { readonly rootUri: vscode.Uri })[];
}

const SETTING = 'hammock.git.useSystemGit';

export class UserGitService {
  readonly externalGit: ExternalGit;
  private readonly cli: GitCli;

  constructor(log: vscode.LogOutputChannel) {
    const gitPath = (): string | undefined => {
      const configured = vscode.workspace.getConfiguration('git').get<string | string[] | null>('path');
      const first = Array.isArray(configured) ? configured[0] : configured;
      return this.api()?.git.path || first || undefined;
    };
    const cli = (this.cli = new GitCli({
      get gitPath() {
        return gitPath();
      },
      log: (line) => log.info(`git (user's git): ${line}`),
    }));
    this.externalGit = new UserGit(cli, (dir) => {
      const api = this.api();
      const wanted = path.resolve(dir);
      return api?.repositories.find((r) => path.resolve(r.rootUri.fsPath) === wanted);
    });
  }

  /**
   * `base` (SecretStorage, prompts) first; for a host it has no token for, git's credential helpers
   * (`git credential fill`, as Insomnia 13.1 does), unless hammock.git.useSystemGit is `never`.
   */
  withCredentialHelpers(base: GitAuthProvider): GitAuthProvider {
    return withCredentialHelper(base, this.cli, () => this.mode !== 'never');
  }

  /**
   * Runs the user's git (the CLI) for housekeeping (`git gc --auto`, src/git/housekeeping.ts); undefined when
   * hammock.git.useSystemGit is `never` (read at each call). Git's own detaching is off: the gc is this child, so one
   * runs at a time and its end is known.
   */
  readonly housekeeping = (args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> => {
    if (this.mode === 'never') return Promise.reject(new Error('hammock.git.useSystemGit is `never`'));
    return this.cli.run(['-c', 'gc.autoDetach=false', ...args], cwd, 'tidy the repository');
  };

  /** Which remotes go through the user's git (read at each operation: the setting may change). */
  get mode(): ExternalGitMode {
    const v = vscode.workspace.getConfiguration().get<string>(SETTING, 'auto');
    return v === 'always' || v === 'never' ? v : 'auto';
  }

  private api(): VsCodeGitApi | undefined {
    const ext = vscode.extensions.getExtension<{ getAPI(version: 1): VsCodeGitApi; enabled?: boolean }>('vscode.git');
    if (!ext?.isActive || ext.exports?.enabled === false) return undefined;
    try {
      return ext.exports.getAPI(1);
    } catch {
      return undefined;
    }
  }
}
