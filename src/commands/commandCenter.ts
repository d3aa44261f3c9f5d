// The one command center every Hammock command is registered through (vscode-git's `createCommand`): it tells the
// work gate a command runs, shows progress where the work is (the Source Control view for local git work, a
// cancellable notification for remote work), and turns whatever the command throws into one notification by
// presentError (a GitError with its actions: "Enter Token...", "Pull", "Show Conflicts", "Open Log"; an HttpError;
// an ImportError), logged once with its stack; a user's cancel shows nothing. The target (tree node, SCM resource,
// palette picker) is resolved by each feature's commands, which take optional arguments so tests and scripts can
// run them without UI.

import * as vscode from 'vscode';
import type { GitAction } from '../sync/errorPresentation';
import type { ProgressEvent } from '../git/gitClient';
import { isCancellation, presentError } from './presentError';

export { Cancelled } from './presentError';

/** A notification the command center showed (what tests and scripts can observe of them). */
export interface CommandNotification {
  readonly severity: 'information' | 'warning' | 'error';
  readonly message: string;
  /** the buttons offered. */
  readonly actions: readonly string[];
}

/** Runs an action a notification offered; `root` is the repository the error came from, when known. */
export type ActionRunner = (action: GitAction, root: string | undefined, err: unknown) => Promise<unknown>;

/** What remote work gets: the cancel of its notification, and where to report progress and the remote's lines. */
export interface RemoteWork {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: ProgressEvent) => void;
  readonly onMessage?: (line: string) => void;
}

class CommandCenterImpl {
  private log: vscode.LogOutputChannel | undefined;
  private willRun: ((id: string) => void) | undefined;
  private actions: ActionRunner | undefined;
  private readonly roots = new WeakMap<object, string>();
  private readonly listeners = new Set<(n: CommandNotification) => void>();

  /** Sets the log and the work gate's listener (activate()). */
  configure(options: { log?: vscode.LogOutputChannel; onWillRun?: ((id: string) => void) | undefined }): void {
    if (options.log) this.log = options.log;
    if ('onWillRun' in options) this.willRun = options.onWillRun;
  }

  /** Sets who runs the actions the notifications offer (the git commands: they know the repositories). */
  setActionRunner(runner: ActionRunner | undefined): void {
    this.actions = runner;
  }

  /** Every notification shown for a failed command. */
  onDidNotify(listener: (n: CommandNotification) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Tells the work gate that `id` is about to run (for the few commands VS Code registers for us). */
  willRunCommand(id: string): void {
    this.willRun?.(id);
  }

  /** Registers `id`: the command resolves to the handler's result, or to undefined on failure (shown once). */
  register(id: string, handler: (...args: any[]) => unknown, log?: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      this.willRun?.(id);
      try {
        return await handler(...args);
      } catch (err) {
        this.showError(id, err, log);
        return undefined;
      }
    });
  }

  /** Remembers which repository `err` came from: the actions of its notification act on it. */
  tagRoot<T>(root: string, fn: () => Promise<T>): Promise<T> {
    return fn().catch((err: unknown) => {
      if (typeof err === 'object' && err !== null && !this.roots.has(err)) this.roots.set(err, root);
      throw err;
    });
  }

  /** Shows `err` as one notification (nothing for a cancel) and logs it. */
  showError(id: string, err: unknown, log = this.log): void {
    if (isCancellation(err)) {
      log?.trace(`${id}: cancelled`);
      return;
    }
    const p = presentError(err)!;
    if (p.severity === 'error') log?.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : p.message}`);
    else log?.info(`${id}: ${p.message}`);
    // notifications show one paragraph: the lines (files, the remote's words) joined
    const message = `Hammock: ${p.message.split('\n').filter(Boolean).join(' · ')}`;
    const notification: CommandNotification = { severity: p.severity, message, actions: p.actions.map((a) => a.title) };
    for (const l of [...this.listeners]) l(notification);
    const show = p.severity === 'information' ? vscode.window.showInformationMessage : p.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const root = typeof err === 'object' && err !== null ? this.roots.get(err) : undefined;
    // not awaited: the command settles now, whether or not anyone answers the notification
    void show(message, ...notification.actions).then((choice) => {
      const action = p.actions.find((a) => a.title === choice);
      if (!action) return;
      if (action.action === 'openLog') return log?.show();
      if (!this.actions) return;
      void this.actions(action.action, root, err).catch((e: unknown) => this.showError(action.action, e, log));
    });
  }

  /** Local work: progress in the Source Control view. */
  local<T>(fn: () => Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.SourceControl }, fn));
  }

  /** Remote work: a notification with its progress and a Cancel button that aborts the work. */
  remote<T>(title: string, fn: (work: RemoteWork) => Promise<T>, onMessage?: (line: string) => void): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Hammock: ${title}`, cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let lastPhase = '';
        return fn({
          signal: abort.signal,
          onProgress: (p) => {
            const pct = p.total ? ` ${Math.round((p.loaded / p.total) * 100)}%` : '';
            if (p.phase !== lastPhase || pct) progress.report({ message: `${p.phase}${pct}` });
            lastPhase = p.phase;
          },
          onMessage,
        }).finally(() => sub.dispose());
      }),
    );
  }
}

/** The one command center of the extension host. */
export const commandCenter = new CommandCenterImpl();

/** Registers `id` through the command center (`log`: where its failures are logged, default the center's). */
export function registerCommand(id: string, handler: (...args: any[]) => unknown, log?: vscode.LogOutputChannel): vscode.Disposable {
  return commandCenter.register(id, handler, log);
}

export { isCancellation };
