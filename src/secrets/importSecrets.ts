// The secret scan of an import: before anything is written, the imported collections are scanned; when they hold
// secrets (a pasted cURL command's `Authorization: Bearer ...`), the user chooses to move them into the vault or a
// private environment (the import then writes variables in their place), or to keep them in the collection file.
// The values themselves are stored once the import is written and its collections have their ids.
import * as vscode from 'vscode';
import type { ImportResult } from '../collections/convert/importTypes';
import type { Collection, Environment, Folder, Request } from '../collections/model';
import { walkItems } from '../collections/model';
import { baseEnvironmentId, newId } from '../collections/ids';
import type { SecretFinding } from '../collections/secrets/secretScan';
import type { Edit } from '../collections/edits';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { LocalEnvironments } from '../services/localEnvironments';
import { IMPORT_SOURCE } from '../collections/model';
import { Cancelled } from '../registerCommand';
import { writers } from '../collections/lazyWriters';

export type ImportSecretChoice = 'vault' | 'private' | 'keep';

/** What an import moved out of its collections, to store once they are written. */
export interface ImportSecrets {
  readonly destination: 'vault' | 'private';
  /** per imported collection (the model object the import wrote), the variables and their values. */
  readonly values: Map<Collection, { name: string; secret: string }[]>;
  readonly count: number;
}

/** Applies a planned field edit to the import's model objects themselves (nothing is written yet). */
function applyToModel(owner: Request | Folder | Environment, edit: Edit): void {
  const target = owner as unknown as Record<string, unknown>;
  if (edit.kind === 'setRequestFields' || edit.kind === 'setFolderFields') {
    const { scripts, ...rest } = edit.fields as Record<string, unknown> & { scripts?: Record<string, string> };
    Object.assign(target, rest);
    if (scripts) target.scripts = { ...(target.scripts as object), ...scripts };
  } else if (edit.kind === 'setEnvironment' && edit.fields.data) {
    target.data = edit.fields.data;
  }
}

/**
 * Scans the import; when it holds secrets, asks (or takes `preset`) what to do. `keep` leaves the import as it is;
 * a move rewrites the import's model in place and returns what to store after the write. Cancel: nothing is written.
 */
export async function takeSecretsOutOfImport(
  result: ImportResult,
  preset: ImportSecretChoice | undefined,
  log: vscode.LogOutputChannel,
  /** the vault of the collection the import goes into, when it exists: its names are not taken for other values. */
  existingVault: Readonly<Record<string, string>> = {},
): Promise<ImportSecrets | undefined> {
  const findings = result.collections.flatMap((c) => writers().scanCollection(c).map((f) => ({ c, f })));
  if (findings.length === 0) return undefined;
  log.warn(`import: ${findings.length} value(s) that look like secrets: ${findings.map(({ f }) => writers().describeFinding(f)).join('; ')}`);
  let choice = preset;
  if (!choice) {
    const list = findings.slice(0, 10).map(({ f }) => `• ${writers().describeFinding(f)}`).join('\n');
    const answer = await vscode.window.showWarningMessage(
      `Hammock: this import holds ${findings.length === 1 ? 'a value that looks' : `${findings.length} values that look`} like ${findings.length === 1 ? 'a secret' : 'secrets'}.`,
      { modal: true, detail: `${list}\n\nKept in the collection file, ${findings.length === 1 ? 'it goes' : 'they go'} into git with the next commit. Moved, the request reads ${findings.length === 1 ? 'it' : 'them'} from a variable: the vault ({{ vault.<name> }}, VS Code SecretStorage) or a private environment (this machine only).` },
      'Move to Vault',
      'Move to Private Environment',
      'Keep in the Collection',
    );
    if (!answer) throw new Cancelled();
    choice = answer === 'Move to Vault' ? 'vault' : answer === 'Move to Private Environment' ? 'private' : 'keep';
  }
  if (choice === 'keep') {
    log.warn('import: the values that look like secrets are kept in the collection, as asked');
    return undefined;
  }
  const values = new Map<Collection, { name: string; secret: string }[]>();
  let count = 0;
  for (const { c, f } of findings) {
    const list = values.get(c) ?? [];
    const secret = f.secret();
    let name = writers().variableNameFor(f.location);
    const wanted = name;
    const taken = (n: string) => list.some((v) => v.name === n && v.secret !== secret) || (choice === 'vault' && existingVault[n] !== undefined && existingVault[n] !== secret);
    for (let i = 2; taken(name); i++) name = `${wanted}_${i}`;
    const owner = ownerOf(c, f);
    const edit = owner && writers().replacementEdit(c, owner, f, choice === 'vault' ? `{{ vault.${name} }}` : `{{ _.${name} }}`);
    if (!owner || !edit) continue;
    applyToModel(owner, edit);
    if (!list.some((v) => v.name === name)) list.push({ name, secret });
    values.set(c, list);
    count++;
    // a private environment hangs under the base environment: an import without one gets one
    if (choice === 'private' && !c.baseEnvironment) {
      c.baseEnvironment = { id: baseEnvironmentId(c.id), parentId: c.id, name: 'Base Environment', data: {}, color: null, sortKey: 0, isPrivate: false, source: IMPORT_SOURCE, subEnvironments: [] };
    }
  }
  return { destination: choice, values, count };
}

function ownerOf(c: Collection, f: SecretFinding): Request | Folder | Environment | undefined {
  const item = [...walkItems(c.children)].find((i) => i.id === f.owner.id);
  if (item) return item;
  const base = c.baseEnvironment;
  return base && (base.id === f.owner.id ? base : base.subEnvironments.find((e) => e.id === f.owner.id));
}

/**
 * Stores what `takeSecretsOutOfImport` moved, once the import is written: `written` gives each imported collection's
 * id as the store has it now (an import may give a collection a fresh id). A private environment made for the values
 * becomes the active one.
 */
export async function storeImportSecrets(
  secrets: ImportSecrets,
  written: (c: Collection) => string | undefined,
  deps: { readonly local: LocalEnvironments; readonly active: ActiveEnvironments },
): Promise<void> {
  for (const [c, list] of secrets.values) {
    const id = written(c);
    if (!id) continue;
    if (secrets.destination === 'vault') {
      for (const { name, secret } of list) await deps.local.setVaultValue(id, name, secret);
    } else {
      const envId = newId('env');
      await deps.local.createEnvironment(id, { id: envId, name: 'Private', data: Object.fromEntries(list.map((v) => [v.name, v.secret])), order: list.map((v) => v.name), color: null });
      await deps.active.set(id, envId);
    }
  }
}
