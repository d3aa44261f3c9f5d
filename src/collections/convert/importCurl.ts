// cURL commands (a paste: one or more `curl ...` lines, with `\` or `^` continuations and any shell quoting) -> HTTP
// requests in one collection. Each option is read the way curl 8 reads it (short options bundled `-sSL`, a value
// glued on `-XPUT`, `-d` parts joined with `&`, `-G` moving them to the query); what a stored request cannot hold
// (a file curl would read at send time, `-k`, options that only change what curl prints) is listed in `dropped`.
// Pure: no file system (an `@file` is never read).

import type { Authentication, HttpRequest, KeyValue, RequestBody } from '../model';
import { DroppedTally, importedCollection, importedRequest } from './importModel';
import { ImportError, type ImportInput, type ImportResult } from './importTypes';
import { splitShellCommands } from './shellWords';

export { isCurlText } from './curlText';

/** Options that take a value, by long name; the short letter when there is one. */
const VALUE_OPTIONS: Record<string, string> = {
  request: 'X', url: '', header: 'H', data: 'd', 'data-ascii': '', 'data-raw': '', 'data-binary': '', 'data-urlencode': '',
  json: '', form: 'F', 'form-string': '', user: 'u', cookie: 'b', 'user-agent': 'A', referer: 'e', 'upload-file': 'T',
  'url-query': '', 'oauth2-bearer': '', 'aws-sigv4': '',
  // value options with no effect on the request itself
  output: 'o', 'cookie-jar': 'c', 'max-time': 'm', 'connect-timeout': '', retry: '', 'retry-delay': '', 'retry-max-time': '',
  proxy: 'x', 'proxy-user': 'U', cert: 'E', key: '', 'key-type': '', 'cert-type': '', cacert: '', capath: '', pass: '',
  'write-out': 'w', range: 'r', 'continue-at': 'C', config: 'K', 'dump-header': 'D', 'speed-limit': 'Y', 'speed-time': 'y',
  'time-cond': 'z', resolve: '', 'connect-to': '', interface: '', 'dns-servers': '', 'limit-rate': '', 'max-filesize': '',
  'max-redirs': '', 'request-target': '', 'unix-socket': '', 'abstract-unix-socket': '', trace: '', 'trace-ascii': '',
  stderr: '', 'proxy-header': '', 'expect100-timeout': '', 'keepalive-time': '', 'local-port': '', noproxy: '', ciphers: '',
  'tls-max': '', variable: '', 'create-file-mode': '', 'output-dir': '', 'etag-save': '', 'etag-compare': '', 'happy-eyeballs-timeout-ms': '',
};

/** Options without a value, by long name; the short letter when there is one. */
const FLAG_OPTIONS: Record<string, string> = {
  head: 'I', get: 'G', globoff: 'g', compressed: '', insecure: 'k', location: 'L', basic: '', digest: '', ntlm: '',
  negotiate: '', anyauth: '', 'location-trusted': '',
  include: 'i', silent: 's', 'show-error': 'S', verbose: 'v', fail: 'f', 'fail-with-body': '', 'no-buffer': 'N',
  'remote-name': 'O', 'remote-header-name': 'J', 'progress-bar': '#', 'no-progress-meter': '', http1_0: '0', 'http1.0': '',
  'http1.1': '', http2: '', 'http2-prior-knowledge': '', http3: '', ipv4: '4', ipv6: '6', 'tcp-nodelay': '', 'no-keepalive': '',
  'create-dirs': '', 'remote-time': 'R', 'junk-session-cookies': 'j', 'path-as-is': '', 'no-sessionid': '', 'ssl-reqd': '',
  'retry-connrefused': '', 'retry-all-errors': '', 'raw': '', 'tr-encoding': '', 'disable': 'q', 'proxytunnel': 'p', 'list-only': 'l',
  'append': 'a', 'use-ascii': 'B', 'netrc': 'n', 'netrc-optional': '', 'parallel': 'Z', 'styled-output': '', 'no-styled-output': '',
};

/** Options that only change how curl runs or what it prints: dropped without loss. */
const RUN_ONLY = new Set([
  'include', 'silent', 'show-error', 'verbose', 'fail', 'fail-with-body', 'no-buffer', 'remote-name', 'remote-header-name',
  'progress-bar', 'no-progress-meter', 'output', 'write-out', 'dump-header', 'trace', 'trace-ascii', 'stderr', 'create-dirs',
  'remote-time', 'max-time', 'connect-timeout', 'retry', 'retry-delay', 'retry-max-time', 'retry-connrefused', 'retry-all-errors',
  'ipv4', 'ipv6', 'tcp-nodelay', 'no-keepalive', 'keepalive-time', 'speed-limit', 'speed-time', 'limit-rate', 'max-filesize',
  'output-dir', 'create-file-mode', 'styled-output', 'no-styled-output', 'parallel', 'config', 'disable', 'happy-eyeballs-timeout-ms',
  'http1_0', 'http1.0', 'http1.1', 'http2', 'http2-prior-knowledge', 'http3', 'no-sessionid', 'local-port', 'interface', 'dns-servers',
  'expect100-timeout', 'cookie-jar', 'junk-session-cookies', 'etag-save', 'etag-compare', 'raw', 'tr-encoding', 'path-as-is',
]);

const SHORT_VALUE = new Map<string, string>();
const SHORT_FLAG = new Map<string, string>();
for (const [long, short] of Object.entries(VALUE_OPTIONS)) if (short) SHORT_VALUE.set(short, long);
for (const [long, short] of Object.entries(FLAG_OPTIONS)) if (short) SHORT_FLAG.set(short, long);

type DataKind = 'data' | 'data-ascii' | 'data-raw' | 'data-binary' | 'data-urlencode' | 'json';

interface ParsedCommand {
  urls: string[];
  method?: string;
  head: boolean;
  get: boolean;
  headers: KeyValue[];
  data: { kind: DataKind; value: string }[];
  form: { value: string; literal: boolean }[];
  urlQuery: string[];
  user?: string;
  authKind: 'basic' | 'digest' | 'ntlm';
  bearer?: string;
  awsSigV4?: string;
  uploadFile?: string;
  followRedirects: boolean;
  compressed: boolean;
}

/**
 * Imports one or more curl commands into one collection (one request per URL of each command, in paste order).
 * Throws `ImportError` when the text holds no curl command, on an unterminated quote (with line and column), or when a
 * command has no URL.
 */
export function importCurl(input: ImportInput | string): ImportResult {
  // text copied on Windows ends its lines with CRLF: the \r is the line end, not data a quoted body keeps (a pasted
  // JSON body would be written with \r\n in the file); as LF, it is read as the shell reads the same command typed
  const text = (typeof input === 'string' ? input : input.text).replace(/\r\n/g, '\n');
  const commands = splitShellCommands(text);
  const dropped = new DroppedTally();
  const warnings: string[] = [];
  const collection = importedCollection(collectionName(typeof input === 'string' ? undefined : input.fileName));
  let curlCount = 0;
  let index = 0;
  for (const command of commands) {
    let words = command.words;
    if (words[0] === '$') words = words.slice(1);
    if (words.length === 0) continue;
    if (!/^(.*[\\/])?curl(\.exe)?$/i.test(words[0])) {
      warnings.push(`line ${command.line + 1}: \`${words[0]}\` is not a curl command; it was ignored`);
      continue;
    }
    curlCount++;
    const where = `command ${curlCount} (line ${command.line + 1})`;
    const parsed = parseCurlArgs(words.slice(1), where, dropped);
    if (parsed.urls.length === 0) {
      throw new ImportError(`The curl command on line ${command.line + 1} has no URL`, command.line, 0);
    }
    for (const url of parsed.urls) {
      const request = buildRequest(parsed, url, collection.id, index, where, dropped, warnings);
      collection.children.push(request);
      index++;
    }
  }
  if (curlCount === 0) {
    throw new ImportError('No curl command found: a cURL import is one or more commands starting with `curl`');
  }
  if (collection.children.length === 1) collection.name = collection.children[0].name;
  return { format: 'curl', collections: [collection], dropped: dropped.list(), warnings };
}

function collectionName(fileName: string | undefined): string {
  if (fileName) {
    const base = fileName.split(/[\\/]/).pop() ?? fileName;
    const stem = base.replace(/\.[^.]*$/, '');
    if (stem) return stem;
  }
  return 'cURL import';
}

/** curl's argument grammar: long options, bundled short options, a value glued on or in the next word, `--` ends options. */
export function parseCurlArgs(args: readonly string[], where: string, dropped: DroppedTally): ParsedCommand {
  const out: ParsedCommand = {
    urls: [],
    head: false,
    get: false,
    headers: [],
    data: [],
    form: [],
    urlQuery: [],
    authKind: 'basic',
    followRedirects: false,
    compressed: false,
  };
  let i = 0;
  let optionsEnded = false;
  const valueOf = (name: string, shown: string): string => {
    if (i >= args.length) throw new ImportError(`curl option ${shown} needs a value (${where})`);
    return args[i++];
  };
  while (i < args.length) {
    const arg = args[i++];
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      out.urls.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    if (arg.startsWith('--')) {
      let name = arg.slice(2);
      let glued: string | undefined;
      const eq = name.indexOf('=');
      if (eq > 0 && VALUE_OPTIONS[name.slice(0, eq)] !== undefined) {
        glued = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      if (VALUE_OPTIONS[name] !== undefined) {
        apply(out, name, glued ?? valueOf(name, arg), arg, where, dropped);
      } else if (FLAG_OPTIONS[name] !== undefined) {
        apply(out, name, undefined, arg, where, dropped);
      } else if (name.startsWith('no-') && FLAG_OPTIONS[name.slice(3)] !== undefined) {
        // `--no-<flag>` turns a flag off (curl 7.x+): only `--no-location` / `--no-compressed` matter here
        if (name === 'no-location') out.followRedirects = false;
        if (name === 'no-compressed') out.compressed = false;
      } else {
        dropped.add(`curl option ${arg} (${where})`, 'not an option this import knows; check the request by hand');
      }
      continue;
    }
    // bundled short options: `-sSL`, `-XPUT`, `-d'{...}'` (a value option takes the rest of the word, or the next word)
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k];
      const long = SHORT_VALUE.get(letter);
      if (long) {
        const rest = arg.slice(k + 1);
        apply(out, long, rest !== '' ? rest : valueOf(long, `-${letter}`), `-${letter}`, where, dropped);
        break;
      }
      const flag = SHORT_FLAG.get(letter);
      if (flag) apply(out, flag, undefined, `-${letter}`, where, dropped);
      else dropped.add(`curl option -${letter} (${where})`, 'not an option this import knows; check the request by hand');
    }
  }
  return out;
}

function apply(out: ParsedCommand, name: string, value: string | undefined, shown: string, where: string, dropped: DroppedTally): void {
  const v = value ?? '';
  const label = shown.startsWith('--') ? shown : `${shown} (--${name})`;
  if (RUN_ONLY.has(name)) {
    dropped.add(`curl option ${label}`, 'it changes how curl runs or what it prints, not the request');
    return;
  }
  switch (name) {
    case 'url':
      out.urls.push(v);
      return;
    case 'request':
      out.method = v;
      return;
    case 'head':
      out.head = true;
      return;
    case 'get':
      out.get = true;
      return;
    case 'header':
      addHeader(out, v, where, dropped);
      return;
    case 'data':
    case 'data-ascii':
    case 'data-raw':
    case 'data-binary':
    case 'data-urlencode':
    case 'json':
      out.data.push({ kind: name, value: v });
      return;
    case 'form':
    case 'form-string':
      out.form.push({ value: v, literal: name === 'form-string' });
      return;
    case 'url-query':
      out.urlQuery.push(v);
      return;
    case 'user':
      out.user = v;
      return;
    case 'basic':
    case 'digest':
    case 'ntlm':
      out.authKind = name;
      return;
    case 'negotiate':
      dropped.add(`curl option ${label} (${where})`, 'Insomnia has no SPNEGO/Kerberos auth; basic auth is used for -u');
      return;
    case 'anyauth':
      dropped.add(`curl option ${label} (${where})`, 'Insomnia does not negotiate the auth scheme; basic auth is used for -u');
      return;
    case 'oauth2-bearer':
      out.bearer = v;
      return;
    case 'aws-sigv4':
      out.awsSigV4 = v;
      return;
    case 'cookie':
      if (v.includes('=')) addHeaderRow(out, 'Cookie', v);
      else dropped.add(`cookie file "${v}" (${where})`, 'curl reads cookies from that file at send time; the import reads no files');
      return;
    case 'user-agent':
      addHeaderRow(out, 'User-Agent', v);
      return;
    case 'referer': {
      const ref = v.replace(/;auto$/, '');
      if (ref) addHeaderRow(out, 'Referer', ref);
      if (v.endsWith(';auto')) dropped.add(`";auto" of ${label} (${where})`, 'Insomnia does not set Referer on redirects');
      return;
    }
    case 'upload-file':
      out.uploadFile = v;
      return;
    case 'location':
    case 'location-trusted':
      out.followRedirects = true;
      return;
    case 'compressed':
      out.compressed = true;
      return;
    case 'globoff':
      // `{}` and `[]` in the URL are kept as written either way (no globbing in a stored request)
      return;
    case 'insecure':
      dropped.add(`curl option ${label} (${where})`, 'certificate checks are an app setting in Insomnia and Hammock (`http.proxyStrictSSL`), not a request field');
      return;
    default:
      dropped.add(`curl option ${label} (${where})`, 'no place for it in an Insomnia request');
  }
}

function addHeaderRow(out: ParsedCommand, name: string, value: string): void {
  out.headers.push({ name, value });
}

/** `-H "Name: value"`; `-H "Name;"` sends an empty header; `-H "Name:"` removes one of curl's own (nothing to keep). */
function addHeader(out: ParsedCommand, raw: string, where: string, dropped: DroppedTally): void {
  if (raw.startsWith('@')) {
    dropped.add(`headers file "${raw.slice(1)}" (${where})`, 'curl reads headers from that file at send time; the import reads no files');
    return;
  }
  const colon = raw.indexOf(':');
  if (colon < 0) {
    if (raw.endsWith(';')) addHeaderRow(out, raw.slice(0, -1).trim(), '');
    else dropped.add(`header "${raw}" (${where})`, 'a header without a colon is ignored by curl too');
    return;
  }
  const name = raw.slice(0, colon).trim();
  const value = raw.slice(colon + 1).trim();
  if (value === '') {
    dropped.add(`header "${name}:" (${where})`, "it removes one of curl's default headers; Insomnia sends no such default to remove");
    return;
  }
  addHeaderRow(out, name, value);
}

function buildRequest(
  cmd: ParsedCommand,
  rawUrl: string,
  parentId: string,
  index: number,
  where: string,
  dropped: DroppedTally,
  warnings: string[],
): HttpRequest {
  const headers = cmd.headers.map((h) => ({ ...h }));
  const hasHeader = (name: string): boolean => headers.some((h) => h.name.toLowerCase() === name.toLowerCase());
  const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;

  let { base, query, fragment } = splitUrl(rawUrl);
  if (fragment !== undefined) dropped.add(`URL fragment "#${fragment}" (${where})`, 'curl does not send the fragment either');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(base) && !base.startsWith('{{')) base = `http://${base}`;
  const parameters: KeyValue[] = query === undefined ? [] : formPairs(query);
  for (const q of cmd.urlQuery) parameters.push(...formPairs(urlencodeArg(q, where, dropped) ?? ''));

  let method = cmd.method?.toUpperCase();
  let body: RequestBody = {};
  const dataParts: string[] = [];
  let fileBody: { fileName: string } | undefined;
  if (cmd.data.length > 0) {
    const soleFile = cmd.data.length === 1 && cmd.data[0].kind !== 'data-raw' && cmd.data[0].kind !== 'data-urlencode' && cmd.data[0].value.startsWith('@');
    if (soleFile && !cmd.get) {
      const file = cmd.data[0].value.slice(1);
      if (file === '-') dropped.add(`body from standard input (${where})`, 'there is no standard input when a stored request is sent');
      else {
        fileBody = { fileName: file };
        if (cmd.data[0].kind !== 'data-binary' && cmd.data[0].kind !== 'json') {
          warnings.push(`${where}: the body is sent from file "${file}" as it is; curl's ${cmd.data[0].kind === 'data' ? '-d' : '--' + cmd.data[0].kind} would strip its line breaks`);
        }
      }
    } else {
      for (const part of cmd.data) {
        const text = dataPart(part, where, dropped);
        if (text !== undefined) dataParts.push(text);
      }
    }
    if (cmd.data.some((d) => d.kind === 'json')) {
      if (!hasHeader('content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
      if (!hasHeader('accept')) headers.push({ name: 'Accept', value: 'application/json' });
    }
  }
  const joined = dataParts.join('&');
  const ct = (headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? contentType ?? '').trim();
  const baseType = ct.split(';')[0].trim().toLowerCase();

  if (cmd.get && (dataParts.length > 0 || cmd.data.length > 0)) {
    // -G: the data goes to the query string, the method stays GET
    parameters.push(...formPairs(joined));
  } else if (fileBody) {
    body = { mimeType: baseType || 'application/octet-stream', fileName: fileBody.fileName };
    method ??= 'POST';
  } else if (dataParts.length > 0) {
    method ??= 'POST';
    if ((baseType === 'application/x-www-form-urlencoded' || baseType === '') && looksLikeForm(joined)) {
      body = { mimeType: 'application/x-www-form-urlencoded', params: formPairs(joined) };
    } else if (baseType === 'application/x-www-form-urlencoded') {
      // typed as a form but not name=value pairs: sent as written, under the typed Content-Type header
      body = { mimeType: 'text/plain', text: joined };
    } else if (baseType !== '') {
      body = { mimeType: baseType, text: joined };
    } else {
      const json = isJson(joined);
      body = { mimeType: json ? 'application/json' : 'text/plain', text: joined };
      warnings.push(`${where}: no Content-Type was given, so curl would send application/x-www-form-urlencoded; the body is imported as ${json ? 'JSON' : 'text/plain'}`);
    }
  } else if (cmd.data.length > 0 && !cmd.get) {
    method ??= 'POST';
  }

  if (cmd.form.length > 0) {
    method ??= 'POST';
    const params: KeyValue[] = [];
    for (const f of cmd.form) params.push(...formField(f.value, f.literal, where, dropped));
    if (dataParts.length > 0 || fileBody) dropped.add(`-d data next to -F (${where})`, 'curl refuses to mix them; the multipart form is kept');
    body = { mimeType: 'multipart/form-data', params };
    // Insomnia writes the boundary itself: a typed multipart Content-Type would carry none
    const i = headers.findIndex((h) => h.name.toLowerCase() === 'content-type' && h.value.toLowerCase().startsWith('multipart/form-data'));
    if (i >= 0) headers.splice(i, 1);
  }

  let url = base;
  if (cmd.uploadFile !== undefined) {
    const file = cmd.uploadFile;
    if (file === '-' || file === '.') dropped.add(`upload from standard input (${where})`, 'there is no standard input when a stored request is sent');
    else {
      body = { mimeType: baseType || 'application/octet-stream', fileName: file };
      // curl appends the file's name to a URL that ends in a slash (or has no path)
      const afterHost = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
      const name = file.split(/[\\/]/).pop() ?? file;
      if (afterHost === '' ) url = `${url}/${name}`;
      else if (afterHost.endsWith('/')) url = `${url}${name}`;
    }
    method ??= 'PUT';
  }
  if (cmd.head) method ??= 'HEAD';
  method ??= 'GET';

  if (cmd.compressed && !hasHeader('accept-encoding')) headers.push({ name: 'Accept-Encoding', value: 'gzip, deflate, br' });

  let authentication: Authentication = {};
  if (cmd.awsSigV4 !== undefined) {
    // `aws:amz:<region>:<service>` with -u ACCESS_KEY:SECRET
    const [, , region = '', service = ''] = cmd.awsSigV4.split(':');
    const { user, password } = splitUser(cmd.user ?? '');
    authentication = { type: 'iam', accessKeyId: user, secretAccessKey: password, sessionToken: '', region, service };
  } else if (cmd.user !== undefined) {
    const { user, password, hasPassword } = splitUser(cmd.user);
    if (!hasPassword) warnings.push(`${where}: -u "${user}" has no password (curl would ask for it); the password is left empty`);
    authentication = { type: cmd.authKind, username: user, password };
  } else if (cmd.bearer !== undefined) {
    authentication = { type: 'bearer', token: cmd.bearer, prefix: '' };
  }

  const request = importedRequest(parentId, requestName(method, url), index * 1000, { method, url, parameters, headers, body, authentication });
  if (cmd.followRedirects) request.settings.followRedirects = 'on';
  for (const t of badTemplates([url, ...parameters.map((p) => p.value), ...parameters.map((p) => p.name)])) {
    warnings.push(`${where}: "${t}" is not an Insomnia template (Nunjucks) and will not render when the request is sent`);
  }
  return request;
}

/** Base URL, query (without `?`) and fragment (without `#`). The query starts at the first `?` outside `{{ }}`. */
function splitUrl(url: string): { base: string; query?: string; fragment?: string } {
  let rest = url;
  let fragment: string | undefined;
  const hash = indexOutsideTemplates(rest, '#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = indexOutsideTemplates(rest, '?');
  if (q < 0) return { base: rest, fragment };
  return { base: rest.slice(0, q), query: rest.slice(q + 1), fragment };
}

function indexOutsideTemplates(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('{{', i) || s.startsWith('{%', i)) {
      depth++;
      i++;
    } else if ((s.startsWith('}}', i) || s.startsWith('%}', i)) && depth > 0) {
      depth--;
      i++;
    } else if (depth === 0 && s[i] === ch) return i;
  }
  return -1;
}

/** `a=1&b=x+y` -> rows, decoded as a form (`+` is a space); a malformed `%` escape is kept as written. */
export function formPairs(text: string): KeyValue[] {
  if (text === '') return [];
  const out: KeyValue[] = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    out.push({ name: decodeForm(name), value: decodeForm(value) });
  }
  return out;
}

function decodeForm(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** curl's URL encoding (`--data-urlencode`): unreserved characters kept, space as `+`, the rest `%XX`. */
function curlEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** One `-d`-family value as the bytes curl would add to the body, or undefined when it names a file (dropped). */
function dataPart(part: { kind: DataKind; value: string }, where: string, dropped: DroppedTally): string | undefined {
  const v = part.value;
  switch (part.kind) {
    case 'data-raw':
      return v;
    case 'data-urlencode':
      return urlencodeArg(v, where, dropped);
    default:
      if (v.startsWith('@')) {
        dropped.add(`data from file "${v.slice(1)}" (${where})`, 'curl reads that file at send time; the import reads no files (set the body by hand)');
        return undefined;
      }
      // (curl strips line breaks only from what -d reads from a file, never from the argument itself)
      return v;
  }
}

/** `--data-urlencode` forms: `content`, `=content`, `name=content`, `@file`, `name@file`. */
function urlencodeArg(v: string, where: string, dropped: DroppedTally): string | undefined {
  const eq = v.indexOf('=');
  const at = v.indexOf('@');
  if (at >= 0 && (eq < 0 || at < eq)) {
    dropped.add(`url-encoded data from file "${v.slice(at + 1)}" (${where})`, 'curl reads that file at send time; the import reads no files');
    return undefined;
  }
  if (eq < 0) return curlEscape(v);
  if (eq === 0) return curlEscape(v.slice(1));
  return `${v.slice(0, eq)}=${curlEscape(v.slice(eq + 1))}`;
}

/** A body that reads as a form: `name=value` pairs joined by `&`, names without spaces. */
function looksLikeForm(text: string): boolean {
  if (!text.includes('=')) return false;
  return text.split('&').every((p) => p === '' || /^[^=\s&]+=[^&]*$/.test(p));
}

function isJson(text: string): boolean {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/**
 * One `-F` value -> multipart rows. `name=value`; `name=@file` (a file part; `@a,b` several files under one name, as
 * curl's multipart/mixed); `name=<file` (a text part read from a file: kept as a file part); `;type=`, `;filename=`,
 * `;headers=` after a file are noted.
 */
function formField(raw: string, literal: boolean, where: string, dropped: DroppedTally): KeyValue[] {
  const eq = raw.indexOf('=');
  if (eq < 0) {
    dropped.add(`form field "${raw}" (${where})`, 'curl refuses a -F without "="');
    return [];
  }
  const name = raw.slice(0, eq);
  const value = raw.slice(eq + 1);
  if (literal || (!value.startsWith('@') && !value.startsWith('<'))) {
    const { head, attrs } = literal ? { head: value, attrs: [] as string[] } : splitFormAttrs(value);
    noteAttrs(attrs, name, where, dropped, false);
    return [{ name, value: head }];
  }
  const isText = value.startsWith('<');
  const files = isText ? [value.slice(1)] : splitFiles(value.slice(1));
  if (files.length > 1) {
    dropped.add(`multipart/mixed grouping of field "${name}" (${where})`, `Insomnia sends ${files.length} separate file parts named "${name}" instead of one part holding them all`);
  }
  if (isText) dropped.add(`"<" of field "${name}" (${where})`, 'Insomnia sends the file as a file part (with its file name), not as a text field');
  return files.map((f) => {
    const { head, attrs } = splitFormAttrs(f);
    noteAttrs(attrs, name, where, dropped, true);
    return { name, value: '', type: 'file', fileName: head };
  });
}

/** `value;type=a/b;filename=x` -> the value and its `;key=value` attributes (a quoted value keeps its `;`). */
function splitFormAttrs(value: string): { head: string; attrs: string[] } {
  if (value.startsWith('"')) {
    let j = 1;
    let head = '';
    while (j < value.length && value[j] !== '"') {
      if (value[j] === '\\' && j + 1 < value.length) j++;
      head += value[j];
      j++;
    }
    const rest = value.slice(j + 1);
    return { head, attrs: rest.split(';').filter((a) => a.trim() !== '') };
  }
  const parts = value.split(/;(?=\s*(?:type|filename|headers|encoder)=)/i);
  return { head: parts[0], attrs: parts.slice(1) };
}

/** `a.gif;type=image/gif,b.txt` -> `a.gif;type=image/gif`, `b.txt` (each file keeps its own attributes). */
function splitFiles(head: string): string[] {
  return head.split(',').filter((f) => f !== '');
}

function noteAttrs(attrs: readonly string[], field: string, where: string, dropped: DroppedTally, file: boolean): void {
  for (const attr of attrs) {
    const key = attr.split('=')[0].trim().toLowerCase();
    const why = key === 'type'
      ? file
        ? "Insomnia's multipart parts carry no content type of their own; the file's type is guessed from its name"
        : "Insomnia's multipart text parts carry no content type"
      : key === 'filename'
        ? 'Insomnia sends the file under its own name'
        : 'Insomnia multipart parts carry no extra headers';
    dropped.add(`"${attr.trim()}" of form field "${field}" (${where})`, why);
  }
}

function splitUser(raw: string): { user: string; password: string; hasPassword: boolean } {
  const colon = raw.indexOf(':');
  if (colon < 0) return { user: raw, password: '', hasPassword: false };
  return { user: raw.slice(0, colon), password: raw.slice(colon + 1), hasPassword: true };
}

/**
 * A request's name: its method and path (`GET /v1/users`), as an API's operations are named, without the host and
 * the query; the host when the path is empty (`GET api.example.com`).
 */
export function requestName(method: string, url: string): string {
  return `${(method || 'GET').toUpperCase()} ${urlName(url)}`;
}

/** The name New Request suggests: the URL's path, else its host (no method: Insomnia's badge shows it). */
export function urlName(url: string): string {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[?#]/)[0];
  const slash = rest.indexOf('/');
  const path = slash === -1 ? '' : rest.slice(slash).replace(/(.)\/$/, '$1');
  return path && path !== '/' ? path : rest.slice(0, slash === -1 ? undefined : slash) || url;
}

/** Whether what was typed as a URL looks like a name (`Create user`): a space, and no scheme, template or cURL. */
export function looksLikeName(text: string): boolean {
  return /\S\s+\S/.test(text) && !/^\s*(curl\s|[a-z][a-z0-9+.-]*:\/\/)|\{\{/i.test(text);
}

/** `{{ ... }}` spans that Insomnia's template engine cannot read (`{{.hostname}}`, a Go template of the API itself). */
function badTemplates(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
      const expr = m[1].trim();
      if (!/^[A-Za-z_$][\w$]*(\s*(\.\s*[A-Za-z_$][\w$]*|\[[^\]]*\]))*(\s*\|.*)?$/.test(expr)) out.add(m[0]);
    }
  }
  return [...out];
}
