// What a Send keeps of itself outside memory (the response history in the workspace storage) with the values that
// came from secrets masked: the credentials of the Authorization headers, and any text or bytes holding a secret.
// In the HTTP engine's bundle: only a Send makes records with secrets, and it has loaded the engine.
import type { Environment } from '../collections/model';
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

/**
 * The values a Send carried that came from secrets: the private environment's (as the scripts left it), the vault's,
 * and the credentials of the rendered request.
 */
export function sentSecrets(session: { readonly privateEnvironment?: Environment } | undefined, vault: Readonly<Record<string, string>> | undefined, rendered: Pick<RenderedRequest, 'headers' | 'challengeAuth'> | undefined): string[] {
  const out: string[] = [...Object.values(vault ?? {}), ...(rendered ? credentialsOf(rendered) : [])];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(session?.privateEnvironment?.data);
  return out;
}

/** What a masked secret reads as (as the request editor's previews show one). */
const MASK = '••••••';

/** `secrets` to mask, each once, longest first (so that a secret inside another goes with it); too short ones left out. */
function maskable(secrets: readonly string[]): string[] {
  return [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
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

/** The fields of a stored response that name things (the store's), never what was sent. */
const KEEP = new Set(['bodyFile', 'storedBody', 'collectionPath', 'requestId']);

/**
 * A stored response (the response history's record) as JSON for its file: without its list of `secrets`, and with
 * each of them masked in its strings, its inline body's bytes (base64) included; a body kept in a file of its own
 * (`storedBody`) left out.
 */
export function maskedJson(record: { readonly secrets?: readonly string[]; readonly storedBody?: string }): string {
  const { secrets = [], ...rest } = record;
  const masks = maskable(secrets);
  return JSON.stringify(record.storedBody ? { ...rest, bodyBase64: '' } : rest, (key, v: unknown) => {
    if (typeof v !== 'string' || KEEP.has(key)) return v;
    if (key === 'bodyBase64') return v && maskBytes(Buffer.from(v, 'base64'), masks).toString('base64');
    let out = v;
    for (const s of masks) out = out.split(s).join(MASK);
    return out;
  });
}
