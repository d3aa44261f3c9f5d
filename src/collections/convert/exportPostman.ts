// A collection as a Postman Collection v2.1 (JSON): folders are item groups, HTTP requests items, the base
// environment's variables the collection's `variable`s, Insomnia's `{{ _.x }}` Postman's `{{x}}`. What Postman
// cannot hold (gRPC / WebSocket / Socket.IO requests, sub-environments, folder variables, template tags, some auth
// types) is listed in `unexpressed`, for the person exporting. Pure.

import type { Authentication, Collection, Folder, HttpRequest, Item, KeyValue } from '../model';
import type { Dropped } from './importTypes';

export const POSTMAN_SCHEMA_V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

type Json = Record<string, unknown>;

export interface PostmanExport {
  readonly text: string;
  readonly unexpressed: Dropped[];
}

/** Insomnia template variables as Postman's: `{{ _.name }}`, `{{ name }}`, `{{ _['a-b'] }}` -> `{{name}}`. */
export function toPostmanTemplate(text: string): string {
  return text.replace(/\{\{\s*(?:_\.)?([A-Za-z_$][\w$.-]*)\s*\}\}/g, '{{$1}}').replace(/\{\{\s*_\[\s*(['"])(.*?)\1\s*\]\s*\}\}/g, '{{$2}}');
}

const TAG = /\{%.*?%\}/;

export function exportPostman(c: Collection): PostmanExport {
  const unexpressed: Dropped[] = [];
  const tags = new Set<string>();
  const t = (text: string | undefined, where: string): string => {
    const s = text ?? '';
    if (TAG.test(s)) tags.add(where);
    return toPostmanTemplate(s);
  };
  const note = (what: string, why: string) => unexpressed.push({ what, why });

  const auth = (a: Authentication, where: string): Json | undefined => {
    if (!a || Object.keys(a).length === 0 || a.type === undefined) return undefined; // inherit
    if (a.disabled === true || a.type === 'none') return { type: 'noauth' };
    const s = (k: string) => t(typeof a[k] === 'string' ? (a[k] as string) : a[k] === undefined ? '' : String(a[k]), where);
    const list = (pairs: [string, string][]) => pairs.map(([key, value]) => ({ key, value, type: 'string' }));
    switch (a.type) {
      case 'basic':
        return { type: 'basic', basic: list([['username', s('username')], ['password', s('password')]]) };
      case 'digest':
        return { type: 'digest', digest: list([['username', s('username')], ['password', s('password')]]) };
      case 'ntlm':
        return { type: 'ntlm', ntlm: list([['username', s('username')], ['password', s('password')]]) };
      case 'bearer': {
        const prefix = s('prefix');
        if (prefix && prefix.toLowerCase() !== 'bearer') note(`bearer prefix "${prefix}" of ${where}`, 'Postman always sends "Bearer"');
        return { type: 'bearer', bearer: list([['token', s('token')]]) };
      }
      case 'apikey': {
        const addTo = s('addTo') || 'header';
        if (addTo === 'cookie') {
          note(`API key in a cookie on ${where}`, 'Postman puts an API key in a header or the query only');
          return undefined;
        }
        return { type: 'apikey', apikey: list([['key', s('key')], ['value', s('value')], ['in', addTo === 'queryParams' ? 'query' : 'header']]) };
      }
      case 'oauth2': {
        const grant: Record<string, string> = {
          authorization_code: 'authorization_code',
          client_credentials: 'client_credentials',
          password: 'password_credentials',
          implicit: 'implicit',
        };
        const pairs: [string, string][] = [
          ['grant_type', grant[s('grantType')] ?? s('grantType')],
          ['accessTokenUrl', s('accessTokenUrl')],
          ['authUrl', s('authorizationUrl')],
          ['clientId', s('clientId')],
          ['clientSecret', s('clientSecret')],
          ['scope', s('scope')],
          ['redirect_uri', s('redirectUrl')],
          ['state', s('state')],
          ['username', s('username')],
          ['password', s('password')],
          ['headerPrefix', s('tokenPrefix')],
          ['client_authentication', a.credentialsInBody === true ? 'body' : 'header'],
        ];
        if (a.usePkce === true) pairs.push(['grant_type', 'authorization_code_with_pkce'], ['challengeAlgorithm', s('pkceMethod') || 'S256']);
        const seen = new Set<string>();
        const deduped = pairs.reverse().filter(([k, v]) => v !== '' && !seen.has(k) && seen.add(k)).reverse();
        return { type: 'oauth2', oauth2: list(deduped) };
      }
      case 'oauth1':
        return {
          type: 'oauth1',
          oauth1: list([
            ['consumerKey', s('consumerKey')],
            ['consumerSecret', s('consumerSecret')],
            ['token', s('tokenKey')],
            ['tokenSecret', s('tokenSecret')],
            ['signatureMethod', s('signatureMethod')],
            ['version', s('version') || '1.0'],
            ['realm', s('realm')],
            ['nonce', s('nonce')],
            ['timestamp', s('timestamp')],
            ['verifier', s('verifier')],
            ['callback', s('callback')],
          ]).filter((p) => p.value !== ''),
        };
      case 'hawk':
        return { type: 'hawk', hawk: list([['authId', s('id')], ['authKey', s('key')], ['algorithm', s('algorithm') || 'sha256'], ['extraData', s('ext')]]).filter((p) => p.value !== '') };
      case 'iam':
        return {
          type: 'awsv4',
          awsv4: list([
            ['accessKey', s('accessKeyId')],
            ['secretKey', s('secretAccessKey')],
            ['sessionToken', s('sessionToken')],
            ['region', s('region')],
            ['service', s('service')],
          ]).filter((p) => p.value !== ''),
        };
      default:
        note(`auth type ${String(a.type)} on ${where}`, 'Postman has no such auth type');
        return undefined;
    }
  };

  const pairs = (list: readonly KeyValue[], where: string) =>
    list.map((p) => {
      const out: Json = { key: t(p.name, where), value: t(p.value, where) };
      if (p.disabled) out.disabled = true;
      if (p.description) out.description = p.description;
      return out;
    });

  const events = (pre: string, post: string, where: string): Json[] | undefined => {
    const out: Json[] = [];
    // Insomnia's script API is modelled on Postman's (`insomnia.environment.get` is `pm.environment.get`)
    const script = (listen: string, code: string) => ({ listen, script: { type: 'text/javascript', exec: code.replace(/\binsomnia\./g, 'pm.').split('\n') } });
    if (pre.trim()) out.push(script('prerequest', pre));
    if (post.trim()) out.push(script('test', post));
    if (out.length > 0) note(`scripts of ${where}`, "exported with `insomnia.` renamed `pm.`; Insomnia's and Postman's script APIs differ in places: check them");
    return out.length > 0 ? out : undefined;
  };

  const url = (r: HttpRequest, where: string): Json => {
    const base = t(r.url, where);
    const query = r.parameters.filter((p) => p.name !== '' || p.value !== '');
    const enabled = query.filter((p) => !p.disabled);
    const raw = enabled.length > 0 ? `${base}${base.includes('?') ? '&' : '?'}${enabled.map((p) => `${t(p.name, where)}=${t(p.value, where)}`).join('&')}` : base;
    const out: Json = { raw };
    const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(base);
    if (m) {
      if (m[1]) out.protocol = m[1];
      if (m[2]) {
        const [host, port] = m[2].startsWith('{{') ? [m[2], undefined] : m[2].split(/:(?=\d+$)/);
        out.host = host.startsWith('{{') ? [host] : host.split('.');
        if (port) out.port = port;
      }
      const segments = m[3].split('/').filter((x) => x !== '');
      if (segments.length > 0) out.path = segments;
      const inline = m[4] ? m[4].split('&').filter(Boolean).map((kv) => ({ key: kv.split('=')[0], value: kv.split('=').slice(1).join('=') })) : [];
      const q = [...inline, ...pairs(query, where)];
      if (q.length > 0) out.query = q;
    }
    // `:name` path segments' values (Insomnia's pathParameters) are Postman's url variables
    const vars = r.pathParameters.filter((p) => p.name !== '');
    if (vars.length > 0) out.variable = pairs(vars, where);
    return out;
  };

  const body = (r: HttpRequest, where: string): Json | undefined => {
    const b = r.body;
    const mime = (b.mimeType ?? '').split(';')[0].trim();
    if (mime === 'application/x-www-form-urlencoded') return { mode: 'urlencoded', urlencoded: pairs(b.params ?? [], where) };
    if (mime === 'multipart/form-data') {
      return {
        mode: 'formdata',
        formdata: (b.params ?? []).map((p) => {
          const out: Json = p.type === 'file' ? { key: t(p.name, where), type: 'file', src: p.fileName ?? '' } : { key: t(p.name, where), value: t(p.value, where), type: 'text' };
          if (p.disabled) out.disabled = true;
          if (p.description) out.description = p.description;
          return out;
        }),
      };
    }
    if (mime === 'application/graphql') {
      let query = b.text ?? '';
      let variables = '';
      try {
        const parsed = JSON.parse(b.text ?? '{}') as { query?: string; variables?: unknown };
        query = parsed.query ?? '';
        variables = parsed.variables === undefined ? '' : JSON.stringify(parsed.variables, null, 2);
      } catch {
        // not Insomnia's JSON form: the text is the query
      }
      return { mode: 'graphql', graphql: { query: t(query, where), variables: t(variables, where) } };
    }
    if (b.fileName !== undefined && b.text === undefined) return { mode: 'file', file: { src: b.fileName } };
    if (b.text === undefined) return undefined;
    const language = /json/.test(mime) ? 'json' : /xml/.test(mime) ? 'xml' : /html/.test(mime) ? 'html' : /javascript/.test(mime) ? 'javascript' : 'text';
    return { mode: 'raw', raw: t(b.text, where), options: { raw: { language } } };
  };

  const item = (i: Item, trail: string): Json | undefined => {
    const where = `"${trail}${i.name}"`;
    if (i.kind === 'folder') return folder(i, trail);
    if (i.kind !== 'request') {
      const kind = { grpcRequest: 'gRPC', websocketRequest: 'WebSocket', socketIORequest: 'Socket.IO' }[i.kind];
      note(`${kind} request ${where}`, `a Postman v2.1 collection holds HTTP requests only`);
      return undefined;
    }
    const request: Json = { method: i.method.toUpperCase() };
    const a = auth(i.authentication, where);
    if (a) request.auth = a;
    request.header = pairs(i.headers, where);
    const bd = body(i, where);
    if (bd) request.body = bd;
    request.url = url(i, where);
    if (i.description) request.description = i.description;
    const out: Json = { name: i.name, request, response: [] };
    const ev = events(i.scripts.preRequest, i.scripts.afterResponse, where);
    if (ev) out.event = ev;
    if (!i.settings.followRedirects || i.settings.followRedirects === 'off') out.protocolProfileBehavior = { followRedirects: false };
    return out;
  };

  const folder = (f: Folder, trail: string): Json => {
    const where = `"${trail}${f.name}"`;
    const out: Json = { name: f.name };
    if (f.description) out.description = f.description;
    out.item = sorted(f.children).map((x) => item(x, `${trail}${f.name}/`)).filter((x): x is Json => x !== undefined);
    const a = auth(f.authentication, `folder ${where}`);
    if (a) out.auth = a;
    const ev = events(f.scripts.preRequest, f.scripts.afterResponse, `folder ${where}`);
    if (ev) out.event = ev;
    if (Object.keys(f.environment).length > 0) note(`variables of folder ${where}`, 'Postman folders have no variables');
    if (f.headers.length > 0) note(`headers of folder ${where}`, 'Postman folders have no headers');
    return out;
  };

  const info: Json = { name: c.name, _postman_id: postmanId(c.id) };
  if (c.description) info.description = c.description;
  info.schema = POSTMAN_SCHEMA_V21;
  const out: Json = { info, item: sorted(c.children).map((x) => item(x, '')).filter((x): x is Json => x !== undefined) };
  const base = c.baseEnvironment;
  if (base) {
    const variable = Object.entries(base.data)
      .filter(([k]) => k !== '__insomnia_vault')
      .map(([key, value]) => ({ key, value: typeof value === 'string' ? t(value, 'the base environment') : JSON.stringify(value), type: 'string' }));
    if (variable.length > 0) out.variable = variable;
    for (const sub of base.subEnvironments) note(`environment "${sub.name}"`, 'Postman keeps environments in separate files; only the base environment became collection variables');
    if (base.data.__insomnia_vault !== undefined) note('vault secrets', 'they are private to Insomnia');
  }
  if (c.spec) note('the OpenAPI spec', 'a Postman collection holds requests only');
  if (tags.size > 0) note(`template tags ({% ... %}) in ${[...tags].slice(0, 5).join(', ')}${tags.size > 5 ? ', ...' : ''}`, 'Postman has no template tags; they are left as written');
  return { text: `${JSON.stringify(out, null, 2)}\n`, unexpressed };
}

function sorted(items: readonly Item[]): Item[] {
  return [...items].sort((a, b) => a.sortKey - b.sortKey);
}

/** A stable uuid-shaped id from the workspace id, so a re-export is the same collection for Postman. */
function postmanId(workspaceId: string): string {
  const hex = workspaceId.replace(/^[a-z-]+_/, '').replace(/[^0-9a-f]/gi, '').toLowerCase().padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
