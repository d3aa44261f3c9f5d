// The secret scan of collections: every value of every request, folder and environment that a secret can sit in,
// run through detect.ts. Pure (no 'vscode'): the commit check (src/sync), the import, `hammock check --secrets` and
// the git pre-commit hook all call `scanCollection` / `scanFileText`. A finding holds a masked preview and a
// fingerprint; the secret itself only behind `secret()`, so that printing or logging a finding never shows it.

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Authentication, Collection, Environment, Folder, Item, KeyValue, Request } from '../model';
import { walkItems } from '../model';
import { detectSecrets, isPlaceholder, literalParts, maskSecret, SECRET_KIND_LABELS, type SecretKind, type SecretMatch, type ValueContext } from './detect';
import { LEGACY_FOLDER_NAME, legacyEntry, parseLegacyFile } from '../formats/legacy';
import { parseV5File, parseV5FileInPieces, v5TypeOfText } from '../formats/v5';
import type { Slicer } from '../slicer';

/** Where in its owner a secret is: enough to show it (`header Authorization`) and to replace it by a variable. */
export type SecretLocation =
  | { readonly kind: 'url' }
  | { readonly kind: 'parameter'; readonly index: number; readonly name: string }
  | { readonly kind: 'header'; readonly index: number; readonly name: string }
  | { readonly kind: 'auth'; readonly key: string }
  | { readonly kind: 'body' }
  | { readonly kind: 'bodyParam'; readonly index: number; readonly name: string }
  | { readonly kind: 'script'; readonly which: 'preRequest' | 'afterResponse' }
  | { readonly kind: 'variable'; readonly path: readonly string[] };

export interface SecretOwner {
  readonly kind: 'request' | 'folder' | 'environment';
  readonly id: string;
  /** a request as the tree shows it (`POST Create user`), a folder's or an environment's name. */
  readonly name: string;
  /** an environment marked private (`isPrivate`) that is in a collection file all the same. */
  readonly isPrivate?: boolean;
}

export interface SecretFinding {
  /** the file that holds the value. */
  readonly file: string;
  readonly collectionPath: string;
  /** the workspace id ('' when the file alone does not say it: one legacy document). */
  readonly collectionId: string;
  readonly collectionName: string;
  readonly owner: SecretOwner;
  readonly location: SecretLocation;
  readonly kind: SecretKind;
  /** where in the value the secret is (`Bearer <here>`). */
  readonly start: number;
  readonly end: number;
  /** a preview that does not give the secret away (`ghp_••••••Qz`). */
  readonly masked: string;
  /** sha-256 of the secret, 16 hex digits: the same secret in the same place is the same finding. */
  readonly fingerprint: string;
  /** the secret itself (a function, so that it is never serialised with the finding). */
  readonly secret: () => string;
}

interface Where {
  readonly file: string;
  readonly collectionPath: string;
  readonly collectionId: string;
  readonly collectionName: string;
}

/** Every secret in a collection's requests, folders and environments (private ones included: they are in its files). */
export function scanCollection(collection: Collection): SecretFinding[] {
  const where = { collectionPath: collection.path, collectionId: collection.id, collectionName: collection.name };
  const out: SecretFinding[] = [];
  for (const item of walkItems(collection.children)) out.push(...scanItem(item, { ...where, file: item.source.file }));
  const base = collection.baseEnvironment;
  if (base) {
    for (const env of [base, ...base.subEnvironments]) out.push(...scanEnvironment(env, { ...where, file: env.source.file }));
  }
  return out;
}

/** The secrets of one folder or request. */
export function scanItem(item: Item, where: Where): SecretFinding[] {
  return item.kind === 'folder' ? scanFolder(item, where) : scanRequest(item, where);
}

export function scanEnvironment(env: Environment, where: Where): SecretFinding[] {
  const owner: SecretOwner = { kind: 'environment', id: env.id, name: env.name, ...(env.isPrivate ? { isPrivate: true } : {}) };
  return scanVariables(env.data, owner, where);
}

function scanFolder(folder: Folder, where: Where): SecretFinding[] {
  const owner: SecretOwner = { kind: 'folder', id: folder.id, name: folder.name };
  return [
    ...scanVariables(folder.environment, owner, where),
    ...scanRows(folder.headers, 'header', owner, where),
    ...scanAuth(folder.authentication, owner, where),
    ...scanScripts(folder.scripts, owner, where),
  ];
}

function requestLabel(r: Request): string {
  const badge = r.kind === 'request' ? (r.method || 'GET').toUpperCase() : r.kind === 'grpcRequest' ? 'gRPC' : r.kind === 'websocketRequest' ? 'WS' : 'SIO';
  return `${badge} ${r.name}`;
}

function scanRequest(r: Request, where: Where): SecretFinding[] {
  const owner: SecretOwner = { kind: 'request', id: r.id, name: requestLabel(r) };
  const out = [...scanUrl(r.url, owner, where)];
  switch (r.kind) {
    case 'request':
      out.push(
        ...scanRows(r.parameters, 'parameter', owner, where),
        ...scanRows(r.headers, 'header', owner, where),
        ...scanAuth(r.authentication, owner, where),
        ...scanBody(r.body.text, r.body.params, owner, where),
        ...scanScripts(r.scripts, owner, where),
      );
      break;
    case 'grpcRequest':
      out.push(...scanRows(r.metadata, 'header', owner, where), ...scanBody(r.body.text, undefined, owner, where));
      break;
    default:
      out.push(...scanRows(r.parameters, 'parameter', owner, where), ...scanRows(r.headers, 'header', owner, where), ...scanAuth(r.authentication, owner, where));
  }
  return out;
}

function finding(value: string, m: SecretMatch, owner: SecretOwner, location: SecretLocation, where: Where): SecretFinding {
  const secret = value.slice(m.start, m.end);
  return {
    ...where,
    owner,
    location,
    kind: m.kind,
    start: m.start,
    end: m.end,
    masked: maskSecret(secret, m.kind),
    fingerprint: createHash('sha256').update(secret).digest('hex').slice(0, 16),
    secret: () => secret,
  };
}

function scanValue(value: unknown, ctx: ValueContext, owner: SecretOwner, location: SecretLocation, where: Where): SecretFinding[] {
  if (typeof value !== 'string' || value === '') return [];
  return detectSecrets(value, ctx).map((m) => finding(value, m, owner, location, where));
}

function scanRows(rows: readonly KeyValue[], kind: 'header' | 'parameter', owner: SecretOwner, where: Where): SecretFinding[] {
  return rows.flatMap((row, index) => scanValue(row.value, { where: kind, name: row.name }, owner, { kind, index, name: row.name }, where));
}

function scanAuth(auth: Authentication, owner: SecretOwner, where: Where): SecretFinding[] {
  const type = typeof auth.type === 'string' ? auth.type : undefined;
  return Object.entries(auth).flatMap(([key, value]) =>
    key === 'type' ? [] : scanValue(value, { where: 'auth', name: key, authType: type }, owner, { kind: 'auth', key }, where),
  );
}

function scanScripts(scripts: { preRequest: string; afterResponse: string }, owner: SecretOwner, where: Where): SecretFinding[] {
  return (['preRequest', 'afterResponse'] as const).flatMap((which) => scanValue(scripts[which], { where: 'script' }, owner, { kind: 'script', which }, where));
}

/** The URL: known token shapes, a password in `user:password@`, and secret-named query values. */
function scanUrl(url: string, owner: SecretOwner, where: Where): SecretFinding[] {
  if (!url) return [];
  const location: SecretLocation = { kind: 'url' };
  const out = scanValue(url, { where: 'url' }, owner, location, where).filter((f) => f.kind !== 'high-entropy');
  const taken = (s: number, e: number) => out.some((f) => f.start < e && s < f.end);
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@/\s]+)@/i.exec(url);
  if (userinfo) {
    const start = userinfo[0].length - 1 - userinfo[1].length;
    const literal = literalParts(url).some((p) => p.start <= start && start + userinfo[1].length <= p.start + p.text.length);
    if (literal && !isPlaceholder(userinfo[1]) && !taken(start, start + userinfo[1].length)) {
      out.push(finding(url, { kind: 'credential', start, end: start + userinfo[1].length }, owner, location, where));
    }
  }
  const q = url.indexOf('?');
  if (q !== -1) {
    let pos = q + 1;
    for (const pair of url.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) {
        const valueStart = pos + eq + 1;
        const value = pair.slice(eq + 1).split('#')[0];
        for (const m of detectSecrets(value, { where: 'parameter', name: decodeSafe(pair.slice(0, eq)) })) {
          const s = valueStart + m.start;
          if (!taken(s, valueStart + m.end)) out.push(finding(url, { kind: m.kind, start: s, end: valueStart + m.end }, owner, location, where));
        }
      }
      pos += pair.length + 1;
    }
  }
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A body: known token shapes in its text; in a JSON body, secret-named keys' values too; form rows as rows. */
function scanBody(text: string | undefined, params: readonly KeyValue[] | undefined, owner: SecretOwner, where: Where): SecretFinding[] {
  const out: SecretFinding[] = [];
  if (text) {
    const location: SecretLocation = { kind: 'body' };
    out.push(...scanValue(text, { where: 'body' }, owner, location, where));
    let json: unknown;
    try {
      json = text.length < 2_000_000 && /^\s*[[{]/.test(text) ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const taken = (s: number, e: number) => out.some((f) => f.start < e && s < f.end);
    const walk = (v: unknown, name: string | undefined, from: number): void => {
      if (typeof v === 'string') {
        if (!name) return;
        const at = text.indexOf(JSON.stringify(v).slice(1, -1), from);
        if (at === -1) return;
        for (const m of detectSecrets(v, { where: 'body', name })) {
          if (m.kind !== 'credential' || taken(at + m.start, at + m.end)) continue;
          out.push(finding(text, { kind: m.kind, start: at + m.start, end: at + m.end }, owner, location, where));
        }
      } else if (Array.isArray(v)) {
        for (const x of v) walk(x, name, from);
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          const keyAt = text.indexOf(JSON.stringify(k), from);
          walk(x, k, keyAt === -1 ? from : keyAt);
        }
      }
    };
    if (json !== undefined) walk(json, undefined, 0);
  }
  if (params) {
    params.forEach((row, index) => {
      if (row.type === 'file') return;
      out.push(...scanValue(row.value, { where: 'body', name: row.name }, owner, { kind: 'bodyParam', index, name: row.name }, where));
    });
  }
  return out;
}

/** Variables (environment data, a folder's environment), nested ones by their path; a leaf's key names it. */
function scanVariables(data: Record<string, unknown>, owner: SecretOwner, where: Where): SecretFinding[] {
  const out: SecretFinding[] = [];
  const walk = (v: unknown, p: string[]): void => {
    if (typeof v === 'string') {
      out.push(...scanValue(v, { where: 'variable', name: p[p.length - 1] }, owner, { kind: 'variable', path: p }, where));
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...p, String(i)]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    }
  };
  for (const [k, v] of Object.entries(data)) walk(v, [k]);
  return out;
}

/**
 * The secrets of one Insomnia file's text: a v5 file, or one `.insomnia/<Type>/<id>.yml` document. Text that is no
 * Insomnia file, or does not parse, has none (the collection checks report it).
 */
export function scanFileText(file: string, text: string): SecretFinding[] {
  const segments = file.split(/[\\/]/);
  const at = segments.lastIndexOf(LEGACY_FOLDER_NAME);
  if (at >= 0 && at === segments.length - 3) {
    const parsed = parseLegacyFile(file, segments[at + 1], text);
    if (!('document' in parsed)) return [];
    const entry = legacyEntry(parsed.document);
    const where: Where = { file, collectionPath: segments.slice(0, at + 1).join(path.sep), collectionId: '', collectionName: '' };
    const model = entry.model;
    if (!model) return [];
    if (entry.type === 'Environment') return scanEnvironment(model as Environment, where);
    if ('kind' in model) return scanItem(model as Item, where);
    return [];
  }
  if (!v5TypeOfText(text)) return [];
  const result = parseV5File(file, text);
  return result.collection ? scanCollection(result.collection) : [];
}

/** A finding's identity without its position: the same secret in the same field of the same owner. */
export function findingKey(f: SecretFinding): string {
  return `${f.owner.id}\u0000${describeLocation(f.location)}\u0000${f.fingerprint}`;
}

/** The findings of `now` that `before` did not have (a commit adds those; the others are in history already). */
export function newFindings(now: readonly SecretFinding[], before: readonly SecretFinding[]): SecretFinding[] {
  const known = new Set(before.map(findingKey));
  return now.filter((f) => !known.has(findingKey(f)));
}

export function describeLocation(l: SecretLocation): string {
  switch (l.kind) {
    case 'url': return 'URL';
    case 'parameter': return `parameter ${l.name}`;
    case 'header': return `header ${l.name}`;
    case 'auth': return `auth ${l.key}`;
    case 'body': return 'body';
    case 'bodyParam': return `form field ${l.name}`;
    case 'script': return l.which === 'preRequest' ? 'pre-request script' : 'after-response script';
    case 'variable': return `variable ${l.path.join('.')}`;
  }
}

/** One line for people: `POST Create user · header Authorization · GitHub token ghp_••••••Qz`. */
export function describeFinding(f: SecretFinding): string {
  const owner = f.owner.kind === 'environment' ? `environment "${f.owner.name}"${f.owner.isPrivate ? ' (private, but in a collection file)' : ''}` : f.owner.kind === 'folder' ? `folder "${f.owner.name}"` : f.owner.name;
  return `${owner} · ${describeLocation(f.location)} · ${SECRET_KIND_LABELS[f.kind]} ${f.masked}`;
}

/**
 * `scanFileText` without holding the event loop: a large v5 file is parsed piece by piece and its items scanned in
 * slices (the extension's commit check runs on the extension host).
 */
export async function scanFileTextSliced(file: string, text: string, slicer: Slicer): Promise<SecretFinding[]> {
  if (!v5TypeOfText(text)) return scanFileText(file, text);
  const { result } = await parseV5FileInPieces(file, text, { slicer });
  const c = result.collection;
  if (!c) return [];
  const where = { collectionPath: c.path, collectionId: c.id, collectionName: c.name };
  const out: SecretFinding[] = [];
  for (const item of walkItems(c.children)) {
    out.push(...scanItem(item, { ...where, file: item.source.file }));
    if (slicer.due()) await slicer.yield();
  }
  const base = c.baseEnvironment;
  if (base) for (const env of [base, ...base.subEnvironments]) out.push(...scanEnvironment(env, { ...where, file: env.source.file }));
  return out;
}
