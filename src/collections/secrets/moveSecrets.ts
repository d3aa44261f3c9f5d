// Moving a secret out of a collection file: the value goes into the collection's vault (VS Code SecretStorage, read
// back as `{{ vault.<name> }}`) or into a private environment (this machine only, read as `{{ _.<name> }}`), and the
// place it was in the request, folder or environment gets the variable instead, as one minimal edit through the store.
// Used by the commit check, the import and the Move Secrets command.
import type { Authentication, Collection, Environment, Folder, HttpRequest, KeyValue, Request } from '../model';
import { walkItems } from '../model';
import type { Edit } from '../edits';
import type { CollectionStore } from '../store';
import type { SecretFinding, SecretLocation } from './secretScan';
import { newId } from '../ids';
import type { LocalEnvironments } from '../../services/localEnvironments';

/** Where moved secrets go: the vault, or a private environment (`new`: one made for them, named `Private`). */
export type SecretDestination = { readonly kind: 'vault' } | { readonly kind: 'private'; readonly environmentId: string | 'new' };

export interface MovedSecret {
  readonly finding: SecretFinding;
  /** the variable that now stands for it: `{{ vault.token }}`, `{{ _.token }}`. */
  readonly variable: string;
  /** the file edited. */
  readonly file: string;
}

export interface MoveResult {
  readonly moved: MovedSecret[];
  /** findings that could not be moved, and why (the value changed since, the item went away). */
  readonly skipped: { readonly finding: SecretFinding; readonly why: string }[];
  /** the private environment the values went into, when one was made. */
  readonly createdEnvironmentId?: string;
}

/** A variable name for a secret from where it was: `authorization`, `x_api_key`, `client_secret`, `access_token`. */
export function variableNameFor(location: SecretLocation): string {
  const slug = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'secret';
  switch (location.kind) {
    case 'header':
    case 'parameter':
    case 'bodyParam':
      return slug(location.name);
    case 'auth':
      return slug(location.key === 'value' ? 'api_key' : location.key);
    case 'variable':
      return slug(location.path.join('_'));
    case 'url':
      return 'url_secret';
    case 'body':
      return 'body_secret';
    case 'script':
      return 'script_secret';
  }
}

/** The collection a finding's file belongs to, as the store has it. */
export function collectionOfFinding(store: CollectionStore, f: SecretFinding): Collection | undefined {
  const at = store.collections.filter((c) => c.path === f.collectionPath);
  return (f.collectionId ? at.find((c) => c.id === f.collectionId) : undefined) ?? at.find((c) => store.locate(c.path, f.owner.id)) ?? at[0];
}

function replaceIn(value: string, f: SecretFinding, replacement: string): string | undefined {
  const secret = f.secret();
  if (value.slice(f.start, f.end) === secret) return value.slice(0, f.start) + replacement + value.slice(f.end);
  // the value moved inside the field since it was scanned: find it again
  const at = value.indexOf(secret);
  return at === -1 ? undefined : value.slice(0, at) + replacement + value.slice(at + secret.length);
}

function replaceRow(rows: readonly KeyValue[], index: number, name: string, f: SecretFinding, replacement: string): KeyValue[] | undefined {
  const i = rows[index]?.name === name ? index : rows.findIndex((r) => r.name === name && r.value.includes(f.secret()));
  if (i < 0) return undefined;
  const value = replaceIn(rows[i].value, f, replacement);
  return value === undefined ? undefined : rows.map((r, j) => (j === i ? { ...r, value } : r));
}

/** The edit that puts `replacement` where the finding's secret is, in the store's current model; undefined when it is not there. */
export function replacementEdit(collection: Collection, owner: Request | Folder | Environment, f: SecretFinding, replacement: string, options: { removeVariable?: boolean } = {}): Edit | undefined {
  const loc = f.location;
  if ('kind' in owner && (owner.kind === 'folder' || owner.kind === 'request')) {
    const item = owner;
    const auth = (a: Authentication, key: string): Authentication | undefined => {
      const v = a[key];
      if (typeof v !== 'string') return undefined;
      const next = replaceIn(v, f, replacement);
      return next === undefined ? undefined : { ...a, [key]: next };
    };
    if (item.kind === 'folder') {
      if (loc.kind === 'header') {
        const headers = replaceRow(item.headers, loc.index, loc.name, f, replacement);
        return headers && { kind: 'setFolderFields', id: item.id, fields: { headers } };
      }
      if (loc.kind === 'auth') {
        const authentication = auth(item.authentication, loc.key);
        return authentication && { kind: 'setFolderFields', id: item.id, fields: { authentication } };
      }
      if (loc.kind === 'script') {
        const text = replaceIn(item.scripts[loc.which], f, replacement);
        return text === undefined ? undefined : { kind: 'setFolderFields', id: item.id, fields: { scripts: { [loc.which]: text } } };
      }
      if (loc.kind === 'variable') {
        const environment = replaceVariable(item.environment, loc.path, f, replacement, options.removeVariable);
        return environment && { kind: 'setFolderFields', id: item.id, fields: { environment } };
      }
      return undefined;
    }
    if (item.kind !== 'request') return undefined; // gRPC, WebSocket: not edited by Hammock's editors
    const r: HttpRequest = item;
    switch (loc.kind) {
      case 'url': {
        const url = replaceIn(r.url, f, replacement);
        return url === undefined ? undefined : { kind: 'setRequestFields', id: r.id, fields: { url } };
      }
      case 'header': {
        const headers = replaceRow(r.headers, loc.index, loc.name, f, replacement);
        return headers && { kind: 'setRequestFields', id: r.id, fields: { headers } };
      }
      case 'parameter': {
        const parameters = replaceRow(r.parameters, loc.index, loc.name, f, replacement);
        return parameters && { kind: 'setRequestFields', id: r.id, fields: { parameters } };
      }
      case 'auth': {
        const authentication = auth(r.authentication, loc.key);
        return authentication && { kind: 'setRequestFields', id: r.id, fields: { authentication } };
      }
      case 'body': {
        const text = replaceIn(r.body.text ?? '', f, replacement);
        return text === undefined ? undefined : { kind: 'setRequestFields', id: r.id, fields: { body: { ...r.body, text } } };
      }
      case 'bodyParam': {
        const params = replaceRow(r.body.params ?? [], loc.index, loc.name, f, replacement);
        return params && { kind: 'setRequestFields', id: r.id, fields: { body: { ...r.body, params } } };
      }
      case 'script': {
        const text = replaceIn(r.scripts[loc.which], f, replacement);
        return text === undefined ? undefined : { kind: 'setRequestFields', id: r.id, fields: { scripts: { [loc.which]: text } } };
      }
      default:
        return undefined;
    }
  }
  const env = owner as Environment;
  if (loc.kind !== 'variable') return undefined;
  const data = replaceVariable(env.data, loc.path, f, replacement, options.removeVariable);
  return data && { kind: 'setEnvironment', id: env.id, fields: { data } };
}

/** A variable's value with the secret replaced (or the variable gone), keeping the others and their order. */
function replaceVariable(data: Record<string, unknown>, p: readonly string[], f: SecretFinding, replacement: string, remove?: boolean): Record<string, unknown> | undefined {
  const copy = structuredClone(data) as Record<string, unknown>;
  let parent: Record<string, unknown> | unknown[] = copy;
  for (const key of p.slice(0, -1)) {
    const next = (parent as Record<string, unknown>)[key];
    if (typeof next !== 'object' || next === null) return undefined;
    parent = next as Record<string, unknown>;
  }
  const last = p[p.length - 1];
  const value = (parent as Record<string, unknown>)[last];
  if (typeof value !== 'string') return undefined;
  if (remove && p.length === 1) {
    delete copy[last];
    return copy;
  }
  const next = replaceIn(value, f, replacement);
  if (next === undefined) return undefined;
  (parent as Record<string, unknown>)[last] = next;
  return copy;
}

function ownerIn(store: CollectionStore, c: Collection, f: SecretFinding): Request | Folder | Environment | undefined {
  const located = store.locate(c.path, f.owner.id);
  if (located?.kind === 'item') return located.item;
  if (located?.kind === 'environment') return located.environment;
  return [...walkItems(c.children)].find((i) => i.id === f.owner.id);
}

/**
 * Moves each finding's secret to `destination` and writes the variable in its place. Findings in one owner and field
 * are moved one after the other (each edit planned on the model the previous one left).
 */
export async function moveSecrets(
  deps: { readonly store: CollectionStore; readonly local: LocalEnvironments },
  findings: readonly SecretFinding[],
  destination: SecretDestination,
): Promise<MoveResult> {
  const moved: MovedSecret[] = [];
  const skipped: { finding: SecretFinding; why: string }[] = [];
  const createdFor = new Map<string, string>();
  for (const f of findings) {
    const c = collectionOfFinding(deps.store, f);
    const owner = c && ownerIn(deps.store, c, f);
    if (!c || !owner) {
      skipped.push({ finding: f, why: 'it is no longer in the collection' });
      continue;
    }
    const secret = f.secret();
    let variable: string;
    const movingVariable = f.location.kind === 'variable' && f.location.path.length === 1 && f.start === 0 && f.end === secret.length;
    if (destination.kind === 'vault') {
      const name = await deps.local.freeVaultName(c.id, variableNameFor(f.location), secret);
      variable = `{{ vault.${name} }}`;
      const edit = replacementEdit(c, owner, f, variable);
      if (!edit) {
        skipped.push({ finding: f, why: 'its value changed since it was found' });
        continue;
      }
      await deps.local.setVaultValue(c.id, name, secret);
      await deps.store.apply(c, edit);
    } else {
      if (!c.baseEnvironment) {
        skipped.push({ finding: f, why: 'the collection has no base environment for a private environment to go under' });
        continue;
      }
      await deps.local.load(c.id);
      let envId = destination.environmentId === 'new' ? createdFor.get(c.id) : destination.environmentId;
      if (!envId) {
        envId = newId('env');
        await deps.local.createEnvironment(c.id, { id: envId, name: 'Private', data: {}, color: null });
        createdFor.set(c.id, envId);
      }
      const env = deps.local.environments(c.id, c.baseEnvironment.id).find((e) => e.id === envId);
      if (!env) {
        skipped.push({ finding: f, why: 'the private environment is gone' });
        continue;
      }
      // a variable holding a secret moves whole (same name); any other value becomes a variable of the private environment
      let name = movingVariable && f.location.kind === 'variable' ? f.location.path[0] : variableNameFor(f.location);
      if (!movingVariable) {
        const wanted = name;
        for (let i = 2; env.data[name] !== undefined && env.data[name] !== secret; i++) name = `${wanted}_${i}`;
      }
      variable = `{{ _.${name} }}`;
      const edit = replacementEdit(c, owner, f, variable, { removeVariable: movingVariable });
      if (!edit) {
        skipped.push({ finding: f, why: 'its value changed since it was found' });
        continue;
      }
      await deps.local.updateEnvironment(c.id, envId, { data: { ...env.data, [name]: secret } });
      await deps.store.apply(c, edit);
    }
    moved.push({ finding: f, variable, file: f.file });
  }
  const created = [...createdFor.values()][0];
  return { moved, skipped, ...(created ? { createdEnvironmentId: created } : {}) };
}
