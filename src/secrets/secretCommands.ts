// The secret commands: Scan Collections for Secrets (every collection of the workspace; move what it finds into the
// vault or a private environment, or open its place in the file) and Install Git Pre-Commit Secret Check (the hook
// for commits made with the git CLI).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { CollectionStore } from '../collections/store';
import type { SecretFinding } from '../collections/secrets/secretScan';
import { Commands } from '../commandIds';
import { findGitRoot } from '../sync/syncService';
import { Cancelled, registerCommand } from '../registerCommand';
import { hookLine, installPreCommitHook } from '../git/preCommitHook';
import type { LocalEnvironments } from '../services/localEnvironments';
import type { SecretDestination } from '../collections/secrets/moveSecrets';
import { writers } from '../collections/lazyWriters';

export interface SecretCommandDeps {
  readonly store: CollectionStore;
  readonly local: LocalEnvironments;
  readonly active: ActiveEnvironments;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
}

export function registerSecretCommands(deps: SecretCommandDeps): vscode.Disposable[] {
  const { store, log } = deps;
  return [
    // options: { move?: 'vault' | 'private' } moves every finding without asking (tests, scripts)
    registerCommand(Commands.scanSecrets, async (options?: { move?: 'vault' | 'private' }) => {
      await store.whenComplete();
      const findings: SecretFinding[] = store.collections.flatMap((c) => writers().scanCollection(c));
      if (findings.length === 0) {
        void vscode.window.showInformationMessage(`Hammock: no secrets in the ${store.collections.length} collection${store.collections.length === 1 ? '' : 's'} of this workspace.`);
        return [];
      }
      log.info(`secret scan: ${findings.length} value(s): ${findings.map((f) => writers().describeFinding(f)).join('; ')}`);
      let chosen = findings;
      let destination: SecretDestination | undefined = options?.move === 'vault' ? { kind: 'vault' } : options?.move === 'private' ? { kind: 'private', environmentId: 'new' } : undefined;
      if (!destination) {
        const picks = await vscode.window.showQuickPick(
          findings.map((f) => ({ label: writers().describeFinding(f), description: vscode.workspace.asRelativePath(f.file), picked: true, f })),
          { canPickMany: true, title: `${findings.length} value${findings.length === 1 ? '' : 's'} that look${findings.length === 1 ? 's' : ''} like secrets`, placeHolder: 'Choose the values to move out of the collection files' },
        );
        if (!picks?.length) throw new Cancelled();
        chosen = picks.map((p) => p.f);
        const where = await vscode.window.showQuickPick(
          [
            { label: '$(key) Vault', detail: 'VS Code SecretStorage on this machine; the field reads {{ vault.<name> }}, whatever environment is active', d: { kind: 'vault' } as SecretDestination },
            { label: '$(lock) Private Environment', detail: 'a private sub-environment on this machine (never in git); the field reads {{ _.<name> }} while it is active', d: { kind: 'private', environmentId: 'new' } as SecretDestination },
          ],
          { placeHolder: `Move ${chosen.length} value${chosen.length === 1 ? '' : 's'} into...` },
        );
        if (!where) throw new Cancelled();
        destination = where.d;
      }
      const result = await writers().moveSecrets(deps, chosen, destination);
      for (const s of result.skipped) log.warn(`secret scan: could not move ${writers().describeFinding(s.finding)}: ${s.why}`);
      if (result.createdEnvironmentId && !options?.move) {
        const c = writers().collectionOfFinding(store, result.moved[0]?.finding ?? chosen[0]);
        if (c) void vscode.window.showInformationMessage(`Hammock: moved into the private environment "Private" of "${c.name}".`, 'Use It').then((a) => (a ? deps.active.set(c.id, result.createdEnvironmentId) : undefined));
      } else if (!options?.move) {
        void vscode.window.showInformationMessage(`Hammock: moved ${result.moved.length} value${result.moved.length === 1 ? '' : 's'} out of the collection files${result.skipped.length ? `; ${result.skipped.length} could not be moved (see the log)` : ''}.`);
      }
      return result.moved.map((m) => m.variable);
    }, log),

    // args: a repository root (default: the workspace's, or asked)
    registerCommand(Commands.installSecretHook, async (root?: string) => {
      let repo = typeof root === 'string' ? root : undefined;
      if (!repo) {
        const roots = [...new Set(store.workspaceRoots.map((r) => findGitRoot(r)).filter((r): r is string => !!r))];
        if (roots.length === 0) throw new Error('No git repository in this workspace.');
        repo = roots.length === 1 ? roots[0] : (await vscode.window.showQuickPick(roots, { placeHolder: 'Install the secret check in which repository?' }));
        if (!repo) throw new Cancelled();
      }
      const runner = { cliPath: vscode.Uri.joinPath(deps.extensionUri, 'dist', 'cli.js').fsPath, fallbackNode: process.execPath };
      const result = await installPreCommitHook(repo, runner);
      if (result.kind === 'foreign') {
        const line = hookLine(runner);
        const choice = await vscode.window.showWarningMessage(
          `Hammock: ${path.basename(repo)} has a pre-commit hook of its own, which Hammock leaves as it is.`,
          { modal: true, detail: `To run the secret check from it, add this line to ${result.file}:\n\n${line}` },
          'Copy the Line',
        );
        if (choice) await vscode.env.clipboard.writeText(line);
        return result.file;
      }
      log.info(`secret check: pre-commit hook ${result.kind} at ${result.file}`);
      void vscode.window.showInformationMessage(`Hammock: commits made with git in ${path.basename(repo)} now stop when they add a secret to a collection (git commit --no-verify skips the check once).`);
      return result.file;
    }, log),
  ];
}
