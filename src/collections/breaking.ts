// Breaking changes between two snapshots of a workspace, request by request: what makes a caller that worked before
// fail after. Pure: no I/O, no 'vscode'. `hammock diff --breaking` prints them (and exits 1 when there is one); the
// Review view marks the requests they concern.
//
// A request breaks its callers when it is removed or renamed (a caller finds it by name), its method or its path
// changes (templates and `:params` compared as written; the scheme and host, often `{{ _.base_url }}`, are not the
// path), a header, query parameter or path parameter it sends is added (the API now requires it), a field of its
// JSON or form body is removed (the API no longer takes it), or its auth type changes. A gRPC, WebSocket or Socket.IO
// request breaks its callers when it is removed or renamed (they find it by name too); the rest is HTTP's. Collections
// and requests are matched as `diffSnapshots` matches them: a collection by workspace id and format (then path), a
// request by id.

import type { Collection, HttpRequest, KeyValue, Request, RequestBody } from './model';
import { walkItems } from './model';
import { ancestorNames } from './itemPath';
import { strayV5Files, type Unread } from './diff';

export type BreakingKind = 'removed' | 'renamed' | 'method' | 'path' | 'header' | 'parameter' | 'pathParameter' | 'bodyField' | 'auth';

export interface BreakingChange {
  readonly collection: string;
  readonly collectionId: string;
  readonly format: 'legacy' | 'v5';
  /** the collection's path after (before for a removed collection). */
  readonly collectionPath: string;
  readonly requestId: string;
  /** the request's name before the change. */
  readonly name: string;
  /** folder names down to the request (before). */
  readonly folders: readonly string[];
  readonly kind: BreakingKind;
  /** `method changed from GET to POST`. */
  readonly text: string;
}

function key(c: Collection): string {
  return `${c.format}:${c.id}`;
}

/** Pairs each `before` collection with its `after` (or none), as `diffSnapshots` pairs them. */
function pair(before: readonly Collection[], after: readonly Collection[]): [Collection, Collection | undefined][] {
  const left = new Map<string, Collection[]>();
  for (const c of after) {
    const list = left.get(key(c));
    if (list) list.push(c);
    else left.set(key(c), [c]);
  }
  const out: [Collection, Collection | undefined][] = before.map((b) => {
    const list = left.get(key(b));
    const i = list ? list.findIndex((a) => a.path === b.path) : -1;
    return [b, i >= 0 ? list!.splice(i, 1)[0] : undefined];
  });
  for (const p of out) if (!p[1]) p[1] = left.get(key(p[0]))?.shift();
  return out;
}

/** The path of a request's URL as written: no scheme and host (nor a leading `{{ base }}`), no query, no fragment. */
export function urlPath(url: string): string {
  let s = url.trim().replace(/[?#].*$/s, '');
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(s);
  if (scheme) s = s.slice(scheme[0].length);
  else {
    const lead = /^(\{\{[^}]*\}\}|\{%[^%]*%\})+[^/]*/.exec(s);
    if (lead) s = s.slice(lead[0].length);
    else if (!s.startsWith('/')) s = s.replace(/^[^/]*/, '');
  }
  return s.replace(/\/+$/, '') || '/';
}

const enabled = (rows: readonly KeyValue[] | undefined) => (rows ?? []).filter((r) => !r.disabled && r.name.trim() !== '');

/** The field paths of a JSON value (`user`, `user.email`, `items[]`, `items[].id`); templates stand in as numbers. */
function jsonFields(text: string): Set<string> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/\{\{[^}]*\}\}|\{%[^%]*%\}/g, '0'));
  } catch {
    return undefined;
  }
  const out = new Set<string>();
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, `${at}[]`);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = at ? `${at}.${k}` : k;
        out.add(p);
        walk(x, p);
      }
    }
  };
  walk(value, '');
  return out;
}

/** The fields a body takes: JSON field paths, or form parameter names; undefined when it has no fields to compare. */
function bodyFields(body: RequestBody | undefined): Set<string> | undefined {
  if (!body) return undefined;
  const mime = (body.mimeType ?? '').toLowerCase();
  if (mime === 'application/x-www-form-urlencoded' || mime === 'multipart/form-data') return new Set(enabled(body.params).map((p) => p.name));
  if (body.text !== undefined && (mime.includes('json') || /^\s*[{[]/.test(body.text))) return jsonFields(body.text);
  return undefined;
}

function authType(r: HttpRequest): string {
  const a = r.authentication;
  return !a || a.disabled || !a.type ? 'none' : String(a.type);
}

/** Why one request breaks its callers (none: []). */
export function breakingOf(before: HttpRequest, after: HttpRequest): { kind: BreakingKind; text: string }[] {
  const out: { kind: BreakingKind; text: string }[] = [];
  if (before.name !== after.name) out.push({ kind: 'renamed', text: `renamed from "${before.name}" to "${after.name}"` });
  const mb = (before.method || 'GET').toUpperCase();
  const ma = (after.method || 'GET').toUpperCase();
  if (mb !== ma) out.push({ kind: 'method', text: `method changed from ${mb} to ${ma}` });
  const pb = urlPath(before.url);
  const pa = urlPath(after.url);
  if (pb !== pa) out.push({ kind: 'path', text: `path changed from ${pb} to ${pa}` });
  const had = new Set(enabled(before.headers).map((h) => h.name.toLowerCase()));
  for (const h of enabled(after.headers)) if (!had.has(h.name.toLowerCase())) out.push({ kind: 'header', text: `header ${h.name} added` });
  const hadParams = new Set(enabled(before.parameters).map((p) => p.name));
  for (const p of enabled(after.parameters)) if (!hadParams.has(p.name)) out.push({ kind: 'parameter', text: `parameter ${p.name} added` });
  const hadPath = new Set((before.pathParameters ?? []).map((p) => p.name));
  for (const p of after.pathParameters ?? []) if (p.name && !hadPath.has(p.name) && !out.some((o) => o.kind === 'path')) out.push({ kind: 'pathParameter', text: `path parameter ${p.name} added` });
  const fb = bodyFields(before.body);
  const fa = bodyFields(after.body);
  if (fb && fb.size) {
    const now = fa ?? new Set<string>();
    // a removed object reports itself, not each of its fields
    const removed = [...fb].filter((f) => !now.has(f)).filter((f, _i, all) => !all.some((g) => g !== f && (f.startsWith(`${g}.`) || f.startsWith(`${g}[]`))));
    for (const f of removed) out.push({ kind: 'bodyField', text: `body field ${f} removed` });
  }
  const ab = authType(before);
  const aa = authType(after);
  if (ab !== aa) out.push({ kind: 'auth', text: `auth changed from ${ab} to ${aa}` });
  return out;
}

/**
 * Every breaking change from `before` to `after` (collections in `before` order, requests in tree order).
 * `unread`: the files that could not be read on each side (diffSnapshots' Unread): a request whose file (or whose
 * collection's file) is unknown after is not called removed: what happened to it is unknown (the caller says so);
 * nor is a v5 collection whose file is gone while the newer side has a v5 file it cannot read (strayV5Files).
 */
export function breakingChanges(before: readonly Collection[], after: readonly Collection[], unread: Unread = {}): BreakingChange[] {
  const out: BreakingChange[] = [];
  const unknownAfter = (file: string) => unread.after?.has(file) === true;
  const stray = strayV5Files(before, after, unread).after;
  for (const [b, a] of pair(before, after)) {
    if (!a && (unknownAfter(b.source.file) || (b.format === 'v5' && stray))) continue;
    const afterRequests = new Map<string, Request>();
    if (a) for (const i of walkItems(a.children)) if (i.kind !== 'folder') afterRequests.set(i.id, i);
    for (const item of walkItems(b.children)) {
      if (item.kind === 'folder') continue;
      const base = { collection: b.name, collectionId: b.id, format: b.format, collectionPath: (a ?? b).path, requestId: item.id, name: item.name, folders: ancestorNames(b, item.id) };
      const now = afterRequests.get(item.id);
      if (!now) {
        if (unknownAfter(item.source.file)) continue;
        out.push({ ...base, kind: 'removed', text: a ? 'removed' : `removed (collection "${b.name}" removed)` });
        continue;
      }
      if (item.kind === 'request' && now.kind === 'request') for (const change of breakingOf(item, now)) out.push({ ...base, ...change });
      else if (item.name !== now.name) out.push({ ...base, kind: 'renamed', text: `renamed from "${item.name}" to "${now.name}"` });
    }
  }
  return out;
}

/** One line per change: `! request "Users/Get user": method changed from GET to POST`. */
export function formatBreaking(changes: readonly BreakingChange[], pathOf: (p: string) => string = (p) => p, unreadAfter = 0): string {
  // files the newer side could not read (named on stderr): what they hold may break callers
  const unknown = unreadAfter ? `${unreadAfter} file${unreadAfter === 1 ? '' : 's'} of the newer side could not be read: the changes in ${unreadAfter === 1 ? 'it are' : 'them are'} unknown\n` : '';
  if (changes.length === 0) return unknown ? `No breaking changes in what could be read.\n${unknown}` : 'No breaking changes.\n';
  const lines: string[] = [];
  let last = '';
  for (const ch of changes) {
    const head = `${ch.format} collection "${ch.collection}" (${pathOf(ch.collectionPath)})`;
    if (head !== last) {
      lines.push(`${head}:`);
      last = head;
    }
    lines.push(`  ! request "${[...ch.folders, ch.name].join('/')}": ${ch.text}`);
  }
  const n = changes.length;
  lines.push(`${n} breaking change${n === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n' + unknown;
}
