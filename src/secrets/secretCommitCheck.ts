// The secret check of a commit made in Hammock: the staged collection changes are scanned (src/git/stagedSecrets.ts);
// a finding stops the commit with the list (where, what kind, a masked preview) and offers to move the values into the
// vault or a private environment (then the files are staged again and checked again), or to commit anyway. Nothing is
// committed while a question is open; the secret itself is never shown, logged or kept anywhere but where it is moved.
import * as vscode from 'vscode';
import type { CollectionStore } from '../collections/store';
import type { SecretFinding } from '../collections/secrets/secretScan';
import { scanStagedSecrets } from '../git/stagedSecrets';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { LocalEnvironments } from '../services/localEnvironments';
import { posixRelative } from '../util/posixRelative';
import type { CommitCheck } from '../sync/commitChecks';
import type { SecretDestination } from '../collections/secrets/moveSecrets';
import { writers } from '../collections/lazyWriters';

export interface SecretCheckDeps {
  readonly store: CollectionStore;
  readonly local: LocalEnvironments;
  readonly active: ActiveEnvironments;
  readonly log: vscode.LogOutputChannel;
}

const MOVE_VAULT = 'Move to Vault';
const MOVE_PRIVATE = 'Move to Private Environment';
const ANYWAY = 'Commit Anyway';

/** Everything the modal lists of the findings (at most 12 lines, then a count). */
function listOf(findings: readonly SecretFinding[], root: string): string {
  const lines = findings.slice(0, 12).map((f) => `• ${writers().describeFinding(f)}  (${posixRelative(root, f.file)})`);
  if (findings.length > 12) lines.push(`• and ${findings.length - 12} more`);
  return lines.join('\n');
}

/** Asks which private environment the values go into (an existing one of the collection, or a new one). */
async function choosePrivate(deps: SecretCheckDeps, findings: readonly SecretFinding[]): Promise<SecretDestination | undefined> {
  const collections = [...new Set(findings.map((f) => writers().collectionOfFinding(deps.store, f)).filter((c) => !!c))];
  if (collections.length !== 1) return { kind: 'private', environmentId: 'new' };
  const c = collections[0]!;
  const subs = (await deps.active.subEnvironments(c)).filter((e) => e.isPrivate && !e.source.file);
  if (subs.length === 0) return { kind: 'private', environmentId: 'new' };
  const pick = await vscode.window.showQuickPick(
    [...subs.map((e) => ({ label: `$(lock) ${e.name}`, description: deps.active.get(c.id) === e.id ? 'active' : '', id: e.id })), { label: '$(add) New Private Environment', description: 'named "Private"', id: 'new' }],
    { placeHolder: `Which private environment of "${c.name}" gets the values?` },
  );
  return pick ? { kind: 'private', environmentId: pick.id } : undefined;
}

/**
 * The check. `options.secrets` answers it without asking (tests and scripts): `allow` commits anyway, `vault` or
 * `private` moves every finding.
 */
export function secretCommitCheck(deps: SecretCheckDeps): CommitCheck {
  return async ({ root, restage, options }) => {
    for (let round = 0; round < 5; round++) {
      const { findings } = await scanStagedSecrets(root);
      if (findings.length === 0) return true;
      deps.log.warn(`commit check: the staged changes add ${findings.length} value(s) that look like secrets: ${findings.map((f) => writers().describeFinding(f)).join('; ')}`);
      const preset = typeof options.secrets === 'string' ? options.secrets : undefined;
      const answers: Record<string, string> = { allow: ANYWAY, vault: MOVE_VAULT, private: MOVE_PRIVATE };
      const choice = preset
        ? answers[preset]
        : await vscode.window.showWarningMessage(
            `Hammock: the staged changes add ${findings.length === 1 ? 'a value that looks' : `${findings.length} values that look`} like ${findings.length === 1 ? 'a secret' : 'secrets'}. Nothing was committed.`,
            {
              modal: true,
              detail: `${listOf(findings, root)}\n\nMove ${findings.length === 1 ? 'it' : 'them'} out of the collection files: into the vault (VS Code SecretStorage, read as {{ vault.<name> }}) or a private environment (this machine only, as Insomnia keeps private environments out of Git Sync). The files are staged again and the commit goes on.`,
            },
            MOVE_VAULT,
            MOVE_PRIVATE,
            ANYWAY,
          );
      if (!choice) {
        deps.log.info('commit check: the commit was stopped');
        return false;
      }
      if (choice === ANYWAY) {
        deps.log.warn(`commit check: committing ${findings.length} value(s) that look like secrets anyway, as asked`);
        return true;
      }
      let chosen: readonly SecretFinding[] = findings;
      if (!preset && findings.length > 1) {
        const picks = await vscode.window.showQuickPick(
          findings.map((f) => ({ label: writers().describeFinding(f), description: posixRelative(root, f.file), picked: true, f })),
          { canPickMany: true, placeHolder: 'Move which values? (the others are committed as they are)' },
        );
        if (!picks) return false;
        chosen = picks.map((p) => p.f);
      }
      const destination = choice === MOVE_VAULT ? ({ kind: 'vault' } as const) : preset ? ({ kind: 'private', environmentId: 'new' } as const) : await choosePrivate(deps, chosen);
      if (!destination) return false;
      const result = await writers().moveSecrets(deps, chosen, destination);
      for (const s of result.skipped) deps.log.warn(`commit check: could not move ${writers().describeFinding(s.finding)}: ${s.why}`);
      if (result.moved.length === 0) {
        void vscode.window.showWarningMessage(`Hammock: could not move the values (${result.skipped.map((s) => s.why).join('; ')}). Nothing was committed.`);
        return false;
      }
      await restage([...new Set(result.moved.map((m) => posixRelative(root, m.file)))]);
      deps.log.info(`commit check: moved ${result.moved.length} value(s) into ${destination.kind === 'vault' ? 'the vault' : 'a private environment'}: ${result.moved.map((m) => `${writers().describeFinding(m.finding)} -> ${m.variable}`).join('; ')}`);
      if (result.createdEnvironmentId && !preset) {
        const c = writers().collectionOfFinding(deps.store, result.moved[0].finding);
        if (c && deps.active.get(c.id) !== result.createdEnvironmentId) {
          void vscode.window
            .showInformationMessage(`Hammock: the values are in the private environment "Private" of "${c.name}". Requests read them while it is the active environment.`, 'Use It')
            .then((a) => (a ? deps.active.set(c.id, result.createdEnvironmentId) : undefined));
        }
      }
      // only what was chosen is moved: the rest is committed as it is, so the next scan looks at the moved files only
      if (chosen.length < findings.length) return true;
    }
    return false;
  };
}
