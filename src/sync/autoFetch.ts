// Auto-fetch: every `hammock.git.autoFetch` minutes (0, the default, turns it off) each repository with a
// remote fetches, so the status bar's behind count stays true. Never in an untrusted workspace, never asks for
// a token (a 401 is only logged), and a failure is only logged.

import * as vscode from 'vscode';
import { GitErrorCode, isGitError } from '../git/gitError';
import type { SyncService } from './syncService';

export const AUTO_FETCH_SETTING = 'hammock.git.autoFetch';
const FIRST_FETCH_DELAY_MS = 10_000;

export class AutoFetcher implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private running = false;

  constructor(private readonly service: SyncService) {
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (e.affectsConfiguration(AUTO_FETCH_SETTING)) this.schedule(FIRST_FETCH_DELAY_MS);
      },
      this,
      this.disposables,
    );
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule(FIRST_FETCH_DELAY_MS), this, this.disposables);
    this.schedule(FIRST_FETCH_DELAY_MS);
  }

  /** minutes between fetches; 0 when off. */
  get intervalMinutes(): number {
    const v = vscode.workspace.getConfiguration().get<number>(AUTO_FETCH_SETTING, 0);
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
  }

  private schedule(delayMs?: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const minutes = this.intervalMinutes;
    if (!minutes || !vscode.workspace.isTrusted) return;
    this.timer = setTimeout(() => void this.tick(), delayMs ?? minutes * 60_000);
  }

  /** One round: fetch every repository that has a remote. Exposed for tests. */
  async tick(): Promise<void> {
    if (this.running || !vscode.workspace.isTrusted) return;
    this.running = true;
    try {
      for (const repo of this.service.repositories) {
        if (!repo.repository.snapshot?.remoteUrl) continue;
        try {
          await this.service.credentials.silently(() => repo.repository.fetch());
        } catch (err) {
          const auth = isGitError(err, GitErrorCode.AuthRequired) || isGitError(err, GitErrorCode.AuthFailed);
          this.service.log.warn(`git: auto-fetch of ${repo.root} failed${auth ? ' (no valid token; run a Fetch to enter one)' : ''}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
