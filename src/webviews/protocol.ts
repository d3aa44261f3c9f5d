// The one typed protocol between the extension host and the webview UIs (request editor, response viewer).
// Shared by both sides: no 'vscode' and no DOM import here. Commands go from the UI to the host, notifications
// from the host to the UI; `ready` is the handshake (the host posts the state only after it). The host validates
// every incoming message with the hand-written validators below and drops what does not match.

import type { RequestFieldsPatch } from '../collections/edits';
import type { Authentication, KeyValue, RequestBody, RequestSettings, Scripts } from '../collections/model';
import type { VarType } from './variableType';

/** What the editor shows of a request: its editable fields (nothing from SecretStorage). */
export interface RequestView {
  readonly id: string;
  readonly name: string;
  readonly collectionName: string;
  /** the names of the folders the request is in, outermost first (the header shows the way to it). */
  readonly folders: readonly string[];
  readonly method: string;
  readonly url: string;
  readonly parameters: KeyValue[];
  readonly headers: KeyValue[];
  readonly body: RequestBody;
  readonly authentication: Authentication;
  readonly description: string;
  readonly settings: RequestSettings;
  readonly scripts: Scripts;
  /** headers from the folders above that apply to this request (read-only here), with the folder's name. */
  readonly inheritedHeaders: readonly { readonly name: string; readonly value: string; readonly where: string }[];
  /** the folder auth this request inherits (its own is empty): only the type and where, no fields. */
  readonly inheritedAuth?: { readonly type: string; readonly where: string };
}

// ---------------------------------------------------------------------------------------------------------------
// request editor

export type EditorCommand =
  | { readonly type: 'ready' }
  /**
   * fields the user changed (only those); `seq` grows with every edit of the page's life (it starts at the time the
   * page loaded, so a reloaded page's edits come after the ones before). `base`: what the page held in those fields
   * before the edit (settings and scripts: the keys given), so that the host can tell a change made on disk since.
   */
  | { readonly type: 'edit'; readonly fields: RequestFieldsPatch; readonly seq: number; readonly base?: RequestFieldsPatch }
  | { readonly type: 'send' }
  | { readonly type: 'cancel' }
  /** asks for a file path (binary body, multipart file part); the host answers with `filePicked`. */
  | { readonly type: 'pickFile'; readonly purpose: string }
  /** asks for the URL rendered with the active environment (the URL field's hover); answered with `preview`. */
  | { readonly type: 'preview' }
  /** asks for a field's text rendered with the active environment; answered with `rendered` of the same `seq`. */
  | { readonly type: 'render'; readonly seq: number; readonly text: string }
  /** the active environment of the request's collection ('' = none: the base environment alone). */
  | { readonly type: 'selectEnvironment'; readonly id: string }
  | { readonly type: 'manageEnvironments' }
  /** opens a part of the request in a VS Code text editor (`beside`: to the side of this panel). */
  | { readonly type: 'openPart'; readonly part: RequestPart; readonly beside: boolean }
  /**
   * a cURL command pasted into the URL field (the clipboard's text, line breaks and all): the host reads it with the
   * importer and answers `curlPasted` of the same `seq` with the fields it gives the request (the page makes them one
   * edit) or why it cannot.
   */
  | { readonly type: 'pasteCurl'; readonly seq: number; readonly text: string };

/** The parts of a request that open in a real text editor. */
export type RequestPart = 'body' | 'query' | 'variables' | 'preRequest' | 'afterResponse';

/** A variable of the active environment chain, as the template fields offer it. */
export interface VariableView {
  /** `base_url`, `vault.token`. */
  readonly name: string;
  /** where it comes from: `Base Environment`, the sub-environment's name, `folder "Users"`, `vault`. */
  readonly source: string;
  /** a short preview of its value; masked for private environments, the vault and secret-named variables. */
  readonly preview: string;
}

/** The environments of the request's collection and the variables the request sees, for the header and the fields. */
export interface EditorContextView {
  readonly environments: readonly { readonly id: string; readonly name: string; readonly color: string | null; readonly private: boolean }[];
  /** the active sub-environment ('' = none: the base environment alone, shown by its name as everywhere else). */
  readonly activeId: string;
  readonly hasEnvironments: boolean;
  /** the name of the collection's base environment. */
  readonly baseName: string;
  readonly variables: readonly VariableView[];
}

export type EditorNotification =
  /** the request as the store has it, including every edit up to `seq` (the UI ignores one that lacks its newer edits). */
  | { readonly type: 'state'; readonly request: RequestView; readonly seq: number }
  | { readonly type: 'sending'; readonly busy: boolean }
  | { readonly type: 'filePicked'; readonly purpose: string; readonly path: string }
  | { readonly type: 'preview'; readonly url: string; readonly error?: string }
  | { readonly type: 'rendered'; readonly seq: number; readonly text?: string; readonly error?: string }
  | { readonly type: 'context'; readonly context: EditorContextView }
  /** the answer to `pasteCurl`: the fields the command gives the request and what it could not carry, or `error`. */
  | { readonly type: 'curlPasted'; readonly seq: number; readonly fields?: RequestFieldsPatch; readonly notes?: readonly string[]; readonly error?: string }
  /** `held`: the page's edit is not saved and waits for the user; the next state that includes it takes the message away. */
  | { readonly type: 'error'; readonly message: string; readonly held?: boolean }
  | PersistNotification;

/** Tells the UI what to keep in its webview state (`vscode.setState`) so the panel comes back after a reload. */
export interface PersistNotification {
  readonly type: 'persist';
  readonly state: PanelState;
}

// ---------------------------------------------------------------------------------------------------------------
// response viewer

export interface TimelineEntry {
  readonly kind: 'info' | 'requestHead' | 'responseHead';
  readonly text: string;
}

export interface CookieView {
  readonly name: string;
  readonly value: string;
  readonly domain?: string;
  readonly path?: string;
  readonly expires?: string;
}

/** A test of a request's scripts (`insomnia.test`), as the viewer shows it. */
export interface TestView {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** the assertion's message for a failed test. */
  readonly error?: string;
  readonly phase: 'pre-request' | 'after-response';
}

/** A line a script printed (`console.log`). */
export interface ConsoleView {
  readonly level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  readonly text: string;
  readonly phase: 'pre-request' | 'after-response';
}

/** What a response is, whether shown (ResponseView) or stored (ResponseRecord in responseHistory.ts). */
export interface ResponseMeta {
  readonly requestName: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly elapsedMs: number;
  /** the body's size in bytes as received (decoded). */
  readonly size: number;
  readonly receivedAt: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly cookies: readonly CookieView[];
  readonly timeline: readonly TimelineEntry[];
  /** set when nothing was received (connection refused, timeout, template error, a pre-request script error, ...). */
  readonly error?: string;
  /** the tests the request's scripts ran. */
  readonly tests?: readonly TestView[];
  /** what the scripts printed. */
  readonly console?: readonly ConsoleView[];
  /** an after-response script failed (the response itself arrived). */
  readonly scriptError?: string;
  /** the pre-request script skipped the request. */
  readonly skipped?: boolean;
  /** read back from its file, where the values sent from secrets are masked (`••••••`). */
  readonly masked?: boolean;
}

/** One response as the viewer shows it. `body` is text (possibly truncated) or, for images, a data URI. */
export interface ResponseView extends ResponseMeta {
  readonly contentType: string;
  readonly bodyKind: 'text' | 'image' | 'binary' | 'none';
  readonly body: string;
  readonly truncated: boolean;
}

export interface HistoryItemView {
  readonly index: number;
  readonly label: string;
}

export type ViewerCommand =
  | { readonly type: 'ready' }
  | { readonly type: 'openInEditor' }
  | { readonly type: 'saveBodyAs' }
  | { readonly type: 'copyAsCurl' }
  | { readonly type: 'showHistory'; readonly index: number };

export type ViewerNotification =
  | { readonly type: 'response'; readonly response: ResponseView | undefined; readonly history: readonly HistoryItemView[]; readonly index: number }
  | { readonly type: 'pending'; readonly requestName: string }
  | PersistNotification;

/** The state a panel keeps across reloads (`vscode.setState`): ids only, no request data, no secrets. */
export interface PanelState {
  readonly collectionPath: string;
  readonly requestId: string;
}

// ---------------------------------------------------------------------------------------------------------------
// validators (host side)

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Obj, keys: readonly string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isOptStr = (v: unknown) => v === undefined || isStr(v);
const isOptBool = (v: unknown) => v === undefined || typeof v === 'boolean';

const KEY_VALUE_KEYS = ['name', 'value', 'disabled', 'description', 'id', 'type', 'fileName', 'multiline'];

export function isKeyValue(v: unknown): v is KeyValue {
  return (
    isObj(v) &&
    onlyKeys(v, KEY_VALUE_KEYS) &&
    isStr(v.name) &&
    isStr(v.value) &&
    isOptBool(v.disabled) &&
    isOptStr(v.description) &&
    isOptStr(v.id) &&
    isOptStr(v.type) &&
    isOptStr(v.fileName) &&
    (v.multiline === undefined || typeof v.multiline === 'boolean' || isStr(v.multiline))
  );
}

const isKeyValues = (v: unknown): v is KeyValue[] => Array.isArray(v) && v.length <= 10_000 && v.every(isKeyValue);

function isBody(v: unknown): v is RequestBody {
  return (
    isObj(v) &&
    onlyKeys(v, ['mimeType', 'text', 'fileName', 'params']) &&
    (v.mimeType === undefined || v.mimeType === null || isStr(v.mimeType)) &&
    isOptStr(v.text) &&
    isOptStr(v.fileName) &&
    (v.params === undefined || isKeyValues(v.params))
  );
}

/** Auth: a flat mapping of strings and booleans (and OAuth's nested-free fields); `type` a string. */
function isAuth(v: unknown): v is Authentication {
  if (!isObj(v) || !isOptStr(v.type)) return false;
  return Object.values(v).every((x) => x === null || ['string', 'boolean', 'number'].includes(typeof x));
}

const FOLLOW = ['global', 'on', 'off'];

function isSettings(v: unknown): v is Partial<RequestSettings> {
  return (
    isObj(v) &&
    onlyKeys(v, ['renderRequestBody', 'encodeUrl', 'followRedirects', 'sendCookies', 'storeCookies', 'rebuildPath']) &&
    isOptBool(v.renderRequestBody) &&
    isOptBool(v.encodeUrl) &&
    (v.followRedirects === undefined || FOLLOW.includes(v.followRedirects as string)) &&
    isOptBool(v.sendCookies) &&
    isOptBool(v.storeCookies) &&
    isOptBool(v.rebuildPath)
  );
}

function isScripts(v: unknown): v is Partial<Scripts> {
  return isObj(v) && onlyKeys(v, ['preRequest', 'afterResponse']) && isOptStr(v.preRequest) && isOptStr(v.afterResponse);
}

export function isFieldsPatch(v: unknown): v is RequestFieldsPatch {
  return (
    isObj(v) &&
    onlyKeys(v, ['method', 'url', 'parameters', 'headers', 'body', 'authentication', 'description', 'settings', 'scripts']) &&
    (v.scripts === undefined || isScripts(v.scripts)) &&
    (v.method === undefined || (isStr(v.method) && /^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(v.method))) &&
    isOptStr(v.url) &&
    (v.parameters === undefined || isKeyValues(v.parameters)) &&
    (v.headers === undefined || isKeyValues(v.headers)) &&
    (v.body === undefined || isBody(v.body)) &&
    (v.authentication === undefined || isAuth(v.authentication)) &&
    isOptStr(v.description) &&
    (v.settings === undefined || isSettings(v.settings))
  );
}

/** The longest cURL paste the URL field sends the host (a command with a large inline body). */
export const MAX_CURL_PASTE = 1_000_000;

/** The editor command in `msg`, or undefined when it is not one (unknown type, extra or mistyped fields). */
export function parseEditorCommand(msg: unknown): EditorCommand | undefined {
  if (!isObj(msg)) return undefined;
  switch (msg.type) {
    case 'ready':
    case 'send':
    case 'cancel':
    case 'preview':
      return onlyKeys(msg, ['type']) ? { type: msg.type } : undefined;
    case 'edit':
      // a base the checks refuse (a value from the file no edit could set) is left out: the edit is still taken
      return onlyKeys(msg, ['type', 'fields', 'seq', 'base']) && isFieldsPatch(msg.fields) && Number.isSafeInteger(msg.seq) && (msg.seq as number) >= 0
        ? { type: 'edit', fields: msg.fields, seq: msg.seq as number, ...(isFieldsPatch(msg.base) ? { base: msg.base } : {}) }
        : undefined;
    case 'pickFile':
      return onlyKeys(msg, ['type', 'purpose']) && isStr(msg.purpose) && msg.purpose.length < 100
        ? { type: 'pickFile', purpose: msg.purpose }
        : undefined;
    case 'render':
      return onlyKeys(msg, ['type', 'seq', 'text']) && Number.isSafeInteger(msg.seq) && isStr(msg.text) && msg.text.length <= 1_000_000
        ? { type: 'render', seq: msg.seq as number, text: msg.text }
        : undefined;
    case 'selectEnvironment':
      return onlyKeys(msg, ['type', 'id']) && isStr(msg.id) && msg.id.length < 300 ? { type: 'selectEnvironment', id: msg.id } : undefined;
    case 'pasteCurl':
      return onlyKeys(msg, ['type', 'seq', 'text']) && Number.isSafeInteger(msg.seq) && isStr(msg.text) && msg.text.length <= MAX_CURL_PASTE
        ? { type: 'pasteCurl', seq: msg.seq as number, text: msg.text }
        : undefined;
    case 'manageEnvironments':
      return onlyKeys(msg, ['type']) ? { type: 'manageEnvironments' } : undefined;
    case 'openPart':
      return onlyKeys(msg, ['type', 'part', 'beside']) && ['body', 'query', 'variables', 'preRequest', 'afterResponse'].includes(msg.part as string) && typeof msg.beside === 'boolean'
        ? { type: 'openPart', part: msg.part as RequestPart, beside: msg.beside }
        : undefined;
    default:
      return undefined;
  }
}

export function parseViewerCommand(msg: unknown): ViewerCommand | undefined {
  if (!isObj(msg)) return undefined;
  switch (msg.type) {
    case 'ready':
    case 'openInEditor':
    case 'saveBodyAs':
    case 'copyAsCurl':
      return onlyKeys(msg, ['type']) ? { type: msg.type } : undefined;
    case 'showHistory':
      return onlyKeys(msg, ['type', 'index']) && Number.isInteger(msg.index) && (msg.index as number) >= 0
        ? { type: 'showHistory', index: msg.index as number }
        : undefined;
    default:
      return undefined;
  }
}

export function isPanelState(v: unknown): v is PanelState {
  return isObj(v) && isStr(v.collectionPath) && isStr(v.requestId);
}

// ---------------------------------------------------------------------------------------------------------------
// environment editor

/** The kinds of environment the editor shows: in the collection's files, on this machine only, or a folder's. */
export type EnvironmentKind = 'base' | 'sub' | 'private' | 'vault' | 'folder';

/** A variable's value as the table shows and types it. */
export type VariableValue = string | number | boolean | null | VariableValue[] | { [key: string]: VariableValue };

/** One environment in the editor's list. */
export interface EnvironmentListEntry {
  readonly id: string;
  readonly name: string;
  readonly kind: EnvironmentKind;
  readonly color: string | null;
  /** the active one of the collection (base: no sub-environment is active). */
  readonly active: boolean;
}

/** The environment being edited. */
export interface EnvironmentView {
  readonly id: string;
  readonly kind: EnvironmentKind;
  readonly name: string;
  readonly color: string | null;
  /** marked private: this machine only (kind `private`), or `isPrivate` in a collection file (then `warning` says so). */
  readonly isPrivate: boolean;
  /** the variables in the order Insomnia shows them: `[name, value]`. */
  readonly variables: readonly (readonly [string, VariableValue])[];
  /** where it is stored, for the hint under the title (`v5/everything.yaml`, `this machine (SecretStorage)`). */
  readonly storedIn: string;
  readonly warning?: string;
}

export interface EnvironmentEditorState {
  readonly collectionName: string;
  /** `Environments` or `Folder environment`. */
  readonly title: string;
  /** the list on the left (empty for a folder's environment). */
  readonly environments: readonly EnvironmentListEntry[];
  readonly current: EnvironmentView;
  /** the variables a value here can use besides its own: the base environment's, the vault's (`vault.x`). */
  readonly inherited: readonly string[];
}

/** What the environment editor writes: only the fields given. `variables` in their order. */
export interface EnvironmentEditFields {
  readonly name?: string;
  readonly color?: string | null;
  readonly variables?: readonly (readonly [string, VariableValue])[];
}

export type EnvironmentEditorCommand =
  | { readonly type: 'ready' }
  /** `base`: what the page held in those fields before the edit, so that the host can merge a change made on disk since. */
  | { readonly type: 'edit'; readonly id: string; readonly fields: EnvironmentEditFields; readonly seq: number; readonly base?: EnvironmentEditFields }
  | { readonly type: 'select'; readonly id: string }
  | { readonly type: 'activate'; readonly id: string }
  | { readonly type: 'create'; readonly kind: 'sub' | 'private' }
  | { readonly type: 'delete'; readonly id: string }
  | { readonly type: 'duplicate'; readonly id: string }
  | { readonly type: 'move'; readonly id: string; readonly before?: string }
  | { readonly type: 'setPrivate'; readonly id: string; readonly private: boolean }
  | { readonly type: 'openJson'; readonly id: string }
  /** what the page holds and cannot save yet (EnvironmentDraft); neither `rows` nor `json`: nothing (any more). */
  | ({ readonly type: 'draft' } & EnvironmentDraft);

/**
 * Typing in an environment that cannot be saved yet (a row with an empty or repeated name, a number or JSON that does
 * not parse, the JSON tab's text half-typed): kept by the host (in memory, and in SecretStorage over a window reload:
 * keptTyping.ts; never in the page's state), for the page that loads when its tab is shown again (a hidden webview's
 * page is dropped), the environment is chosen again, or the tab is brought back after a reload, so that it is not lost.
 */
export interface EnvironmentDraft {
  readonly id: string;
  /** the table's rows as typed (a value as its text). */
  readonly rows?: readonly { readonly name: string; readonly type: VarType; readonly text: string }[];
  /** the JSON tab's text as typed. */
  readonly json?: string;
  /** the variables the page held before this typing: the base of the edit it becomes (a change on disk since is merged). */
  readonly base: readonly (readonly [string, VariableValue])[];
}

export type EnvironmentEditorNotification =
  | { readonly type: 'state'; readonly state: EnvironmentEditorState; readonly seq: number }
  /** `held`: the page's edit is not saved and waits for the user; the next state that includes it takes the message away. */
  | { readonly type: 'error'; readonly message: string; readonly held?: boolean }
  | { readonly type: 'persist'; readonly state: EnvironmentPanelState }
  | { readonly type: 'draft'; readonly draft: EnvironmentDraft };

/** What an environment editor keeps across reloads: ids only. */
export interface EnvironmentPanelState {
  readonly collectionPath: string;
  readonly collectionId: string;
  /** the environment shown (a folder's id for a folder environment). */
  readonly environmentId: string;
  readonly folder?: boolean;
}

export function isEnvironmentPanelState(v: unknown): v is EnvironmentPanelState {
  return isObj(v) && isStr(v.collectionPath) && isStr(v.collectionId) && isStr(v.environmentId) && isOptBool(v.folder);
}

const MAX_DEPTH = 32;

export function isVariableValue(v: unknown, depth = 0): v is VariableValue {
  if (depth > MAX_DEPTH) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.length <= 100_000 && v.every((x) => isVariableValue(x, depth + 1));
  return isObj(v) && Object.values(v).every((x) => isVariableValue(x, depth + 1));
}

const isId = (v: unknown): v is string => isStr(v) && v.length > 0 && v.length < 300;

function isEnvironmentEditFields(v: unknown): v is EnvironmentEditFields {
  return (
    isObj(v) &&
    onlyKeys(v, ['name', 'color', 'variables']) &&
    isOptStr(v.name) &&
    (v.color === undefined || v.color === null || (isStr(v.color) && /^#[0-9a-fA-F]{3,8}$/.test(v.color))) &&
    (v.variables === undefined ||
      (Array.isArray(v.variables) &&
        v.variables.length <= 10_000 &&
        v.variables.every((e) => Array.isArray(e) && e.length === 2 && isStr(e[0]) && e[0] !== '' && isVariableValue(e[1])) &&
        new Set(v.variables.map((e: unknown[]) => e[0])).size === v.variables.length))
  );
}

/** The environment editor command in `msg`, or undefined when it is not one. */
export function parseEnvironmentEditorCommand(msg: unknown): EnvironmentEditorCommand | undefined {
  if (!isObj(msg)) return undefined;
  switch (msg.type) {
    case 'ready':
      return onlyKeys(msg, ['type']) ? { type: 'ready' } : undefined;
    case 'edit':
      return onlyKeys(msg, ['type', 'id', 'fields', 'seq', 'base']) && isId(msg.id) && isEnvironmentEditFields(msg.fields) && Number.isSafeInteger(msg.seq) && (msg.seq as number) >= 0
        ? { type: 'edit', id: msg.id, fields: msg.fields, seq: msg.seq as number, ...(isEnvironmentEditFields(msg.base) ? { base: msg.base } : {}) }
        : undefined;
    case 'select':
    case 'activate':
    case 'delete':
    case 'duplicate':
    case 'openJson':
      return onlyKeys(msg, ['type', 'id']) && isId(msg.id) ? { type: msg.type, id: msg.id } : undefined;
    case 'create':
      return onlyKeys(msg, ['type', 'kind']) && (msg.kind === 'sub' || msg.kind === 'private') ? { type: 'create', kind: msg.kind } : undefined;
    case 'move':
      return onlyKeys(msg, ['type', 'id', 'before']) && isId(msg.id) && (msg.before === undefined || isId(msg.before)) ? { type: 'move', id: msg.id, before: msg.before as string | undefined } : undefined;
    case 'setPrivate':
      return onlyKeys(msg, ['type', 'id', 'private']) && isId(msg.id) && typeof msg.private === 'boolean' ? { type: 'setPrivate', id: msg.id, private: msg.private } : undefined;
    case 'draft':
      return onlyKeys(msg, ['type', 'id', 'rows', 'json', 'base']) && isId(msg.id) && isOptStr(msg.json) && (msg.rows === undefined || isDraftRows(msg.rows)) && isEnvironmentEditFields({ variables: msg.base }) && msg.base !== undefined
        ? { type: 'draft', id: msg.id, base: msg.base as EnvironmentDraft['base'], ...(msg.rows !== undefined ? { rows: msg.rows } : {}), ...(msg.json !== undefined ? { json: msg.json } : {}) }
        : undefined;
    default:
      return undefined;
  }
}

function isDraftRows(v: unknown): v is EnvironmentDraft['rows'] {
  return Array.isArray(v) && v.length <= 10_000 && v.every((r) => isObj(r) && onlyKeys(r, ['name', 'type', 'text']) && isStr(r.name) && isStr(r.text) && (r.type === 'string' || r.type === 'number' || r.type === 'boolean' || r.type === 'json'));
}
