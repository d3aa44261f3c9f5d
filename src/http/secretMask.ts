// What a Send keeps of itself outside memory (the response history in the workspace storage) with the values that
// came from secrets masked: the credentials of the Authorization headers, and any text or bytes holding a secret.
// In the HTTP engine's bundle: only a Send makes records with secrets, and it has loaded the engine.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { once } from 'node:events';
import { ancestorFolders } from '../collections/itemPath';
import type { Collection, Environment, Folder } from '../collections/model';
import { isSecretName, looksSecret } from '../collections/secrets/detect';
import { buildRenderContext } from './template';
import { SECRET_MASK as MASK } from '../collections/secrets/mask';
import type { RenderedRequest } from './types';

/** Headers whose values are credentials (the scheme before a space stays readable). */
const CREDENTIAL_HEADER = /^(?:proxy-)?authorization$|^x-amz-security-token$/i;

/** The credentials a rendered request carries: its Authorization headers' (an OAuth 2.0 token, Basic's encoded password), a Digest password. */
function credentialsOf(rendered: Pick<RenderedRequest, 'headers' | 'challengeAuth'>): string[] {
  const out: string[] = [];
  for (const [name, value] of rendered.headers) {
    if (!CREDENTIAL_HEADER.test(name)) continue;
    const credentials = /^[\w-]+\s+(\S.*)$/.exec(value);
    out.push(credentials ? credentials[1] : value);
  }
  if (rendered.challengeAuth) out.push(rendered.challengeAuth.password);
  return out;
}

/** The value at `keys` under `root` (own keys only; undefined where the path ends). */
function valueAt(root: unknown, keys: readonly string[]): unknown {
  let v = root;
  for (const k of keys) v = v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * The values a Send carried that came from secrets: the private environment's (as the Send found it in `active`, and
 * as the scripts left it: a token an after-response script replaced was sent), the vault's, the credentials of the
 * rendered request, and the values of the environments in files the request `requestId` sees (the base environment,
 * the active sub-environment, the folders above it) that look like secrets, by name or by value (as the variable
 * previews mask them; a template's text is none). `folders`: the folders above the request when the caller knows them
 * (RequestRun.folders): a run of n requests then does not walk the tree n times.
 */
export function sentSecrets(session: { readonly privateEnvironment?: Environment; readonly collection?: Collection; readonly globals?: Record<string, unknown> } | undefined, vault: Readonly<Record<string, string>> | undefined, rendered: Pick<RenderedRequest, 'headers' | 'challengeAuth'> | undefined, active?: string | Environment, requestId?: string, tagValues?: Readonly<Record<string, unknown>>, folders?: readonly Folder[]): string[] {
  const out: string[] = [...Object.values(vault ?? {}), ...(rendered ? credentialsOf(rendered) : [])];
  const collection = session?.collection;
  // the variables as the request saw them (templates rendered, with the session's globals as the Send had them), built
  // once and only when a secret is a template
  let context: Record<string, unknown> | undefined;
  const renderedAt = (keys: readonly string[]): unknown => {
    if (!collection || requestId === undefined) return undefined;
    context ??= buildRenderContext(collection, requestId, active, { vault: vault ? { ...vault } : undefined, globals: session?.globals, folders });
    return valueAt(context, keys);
  };
  // what the Send's tags gave the variable at `keys` (`tagValues`: RequestRun.renderedTagValues); never rendered again
  // here (a `{% response %}` tag can send a request)
  const tagAt = (keys: readonly string[]): unknown => valueAt(tagValues, keys);
  // a secret's value that is a template (`token: "{{ base_token }}"`): what it renders to was sent; a tag (a chained
  // `{% response %}` token): what the Send's tag gave; a number: its digits (a template's text itself is no secret,
  // but a private environment's every value is kept as it was)
  const pushValue = (v: string | number, keys: readonly string[], all = false): void => {
    if (typeof v === 'number') out.push(String(v));
    else if (v.includes('{%')) {
      if (all || !v.includes('{{')) out.push(v);
      const now = tagAt(keys);
      if (typeof now === 'string' && now) out.push(now);
    } else if (!v.includes('{{')) out.push(v);
    else {
      if (all) out.push(v);
      const now = renderedAt(keys);
      if (typeof now === 'string' && !now.includes('{{') && !now.includes('{%')) out.push(now);
      else {
        // a template that leads to a tag (`{{ login_token }}`, a `{% response %}` there): what the Send's tags gave it
        const sent = tagAt(keys);
        if (typeof sent === 'string' && sent) out.push(sent);
      }
    }
  };
  // (`name`: the key the value sits under, for the file environments' look-alikes; undefined: every value. `keys`:
  // where it sits, to find it rendered)
  const walk = (v: unknown, name: string | undefined, keys: readonly string[]): void => {
    if (typeof v === 'string') {
      if (name === undefined) pushValue(v, keys, true);
      else if (v.includes('{{') || v.includes('{%') ? isSecretName(name) : looksSecret(name, v)) pushValue(v, keys);
    } else if (typeof v === 'number') {
      if (name !== undefined && isSecretName(name) && Number.isFinite(v)) pushValue(v, keys);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, name === undefined ? undefined : Array.isArray(v) ? name : k, [...keys, k]);
    }
  };
  walk(session?.privateEnvironment?.data, undefined, []);
  if (typeof active === 'object') walk(active.data, undefined, []);
  if (collection && requestId !== undefined) {
    const base = collection.baseEnvironment;
    const sub = typeof active === 'string' ? base?.subEnvironments.find((e) => e.id === active) : undefined;
    for (const data of [base?.data, sub?.data, ...(folders ?? ancestorFolders(collection, requestId)?.folders ?? []).map((f) => f.environment)]) walk(data, '', []);
  }
  return out;
}


/** `secrets` to mask, each once, longest first (so that a secret inside another goes with it); too short ones left out. */
export function maskable(secrets: readonly string[]): string[] {
  return [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/** The fewest characters of a secret's beginning, cut short with `…`, that are masked (see maskSecretsIn). */
const SHORTENED_MIN = 8;

/**
 * `text` with every secret of `masks` (maskable's list) masked, and also a secret's beginning cut short with `…`:
 * chai shows a long string as its first 37 characters and `…` in an assertion message (`expected 'sk_live_4eC39Hq…'
 * to equal ...`), which holds no whole secret but most of one.
 */
export function maskSecretsIn(text: string, masks: readonly string[]): string {
  let out = text;
  for (const s of masks) if (out.includes(s)) out = out.split(s).join(MASK);
  if (!out.includes('…')) return out;
  let result = '';
  let from = 0;
  for (let at = out.indexOf('…'); at >= 0; at = out.indexOf('…', at + 1)) {
    let cut = 0;
    for (const s of masks) {
      for (let k = Math.min(s.length - 1, at - from); k >= SHORTENED_MIN && k > cut; k--) {
        if (out.startsWith(s.slice(0, k), at - k)) {
          cut = k;
          break;
        }
      }
    }
    if (cut) {
      result += out.slice(from, at - cut) + MASK;
      from = at + 1;
    }
  }
  return result + out.slice(from);
}

/** `bytes` with every occurrence of a secret (as UTF-8) replaced by `mask`; the same buffer when none occurs. */
export function maskBytes(bytes: Buffer, secrets: readonly string[] = [], mask = MASK): Buffer {
  let out = bytes;
  for (const secret of maskable(secrets)) {
    const needle = Buffer.from(secret);
    let at = out.indexOf(needle);
    if (at < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    for (; at >= 0; at = out.indexOf(needle, from)) {
      parts.push(out.subarray(from, at), Buffer.from(mask));
      from = at + needle.length;
    }
    parts.push(out.subarray(from));
    out = Buffer.concat(parts);
  }
  return out;
}

/**
 * The file at `file` with every occurrence of a secret (as UTF-8) replaced by the mask, in place: read and written in
 * chunks (a spilled body is MBs: never whole in memory), into a copy only this user may read, renamed over it. A
 * secret across two chunks is found (the end of each chunk waits for the next). Nothing to mask: left as it is. A
 * file that cannot be masked (disk full, gone) is removed, its secrets with it: false then.
 */
export async function maskFile(file: string, secrets: readonly string[] = []): Promise<boolean> {
  const needles = maskable(secrets).map((s) => Buffer.from(s));
  if (!needles.length) return true;
  const mask = Buffer.from(MASK);
  const keep = Math.max(...needles.map((n) => n.length)) - 1;
  const copy = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const out = createWriteStream(copy, { mode: 0o600 });
  const write = async (b: Buffer) => {
    if (b.length && !out.write(b)) await once(out, 'drain');
  };
  try {
    let held = Buffer.alloc(0);
    // the next occurrence of each secret at or after `from` (the leftmost one is masked, the longest of those first)
    const maskUpTo = async (buf: Buffer, end: number): Promise<Buffer> => {
      const next = needles.map((n) => buf.indexOf(n));
      let from = 0;
      for (;;) {
        let pick = -1;
        for (let i = 0; i < needles.length; i++) {
          if (next[i] >= 0 && next[i] < from) next[i] = buf.indexOf(needles[i], from);
          if (next[i] >= 0 && (pick < 0 || next[i] < next[pick])) pick = i;
        }
        if (pick < 0 || next[pick] >= end) break;
        await write(buf.subarray(from, next[pick]));
        await write(mask);
        from = next[pick] + needles[pick].length;
      }
      const cut = Math.max(from, end);
      await write(buf.subarray(from, cut));
      return buf.subarray(cut);
    };
    for await (const chunk of createReadStream(file)) {
      const buf = held.length ? Buffer.concat([held, chunk as Buffer]) : (chunk as Buffer);
      held = Buffer.from(await maskUpTo(buf, buf.length - keep));
    }
    await maskUpTo(held, held.length);
    out.end();
    await once(out, 'finish');
    await fsp.rename(copy, file);
    return true;
  } catch {
    // the copy is created when the stream's open completes, which may come after a read error (the file gone at
    // once): removed only once the stream is closed, or it would be made after the removal and left behind
    out.destroy();
    if (!out.closed) await once(out, 'close').catch(() => undefined);
    await Promise.all([fsp.rm(copy, { force: true }), fsp.rm(file, { force: true })]);
    return false;
  }
}

/** The fields of a stored response that name things (the store's), never what was sent. */
const KEEP = new Set(['bodyFile', 'storedBody', 'collectionPath', 'requestId']);

/**
 * A stored response (the response history's record) as JSON for its file: without its list of `secrets`, and with
 * each of them masked in its strings, its inline body's bytes (base64) included, and `masked: true` when there were
 * any; a body kept in a file of its own (`storedBody`) left out.
 */
export function maskedJson(record: { readonly secrets?: readonly string[]; readonly storedBody?: string }): string {
  const { secrets = [], ...rest } = record;
  const masks = maskable(secrets);
  // `masked`: what is read back says so (the viewer notes that its secrets show as ••••••)
  const kept = { ...rest, ...(masks.length ? { masked: true } : {}) };
  return JSON.stringify(record.storedBody ? { ...kept, bodyBase64: '' } : kept, (key, v: unknown) => {
    if (typeof v !== 'string' || KEEP.has(key)) return v;
    if (key === 'bodyBase64') return v && maskBytes(Buffer.from(v, 'base64'), masks).toString('base64');
    return maskSecretsIn(v, masks);
  });
}
