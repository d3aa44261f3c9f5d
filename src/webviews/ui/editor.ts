// The request editor's UI (browser side). It keeps a local copy of the request, posts each change as an `edit`
// command holding only the fields the user changed (the host merges and writes them), and re-renders when the host
// posts a request that differs. What the user typed is the truth: a state from the host that does not include the
// latest edit (its `seq` is older) is ignored, so the echo of a save never overwrites keystrokes typed after it.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { RequestFieldsPatch } from '../../collections/edits';
import type { KeyValue, RequestBody } from '../../collections/model';
import { MAX_CURL_PASTE, type EditorCommand, type EditorContextView, type EditorNotification, type RequestPart, type RequestView } from '../protocol';
import { displayUrl, showsSameAs, urlFieldEdit, type UrlFieldBase } from '../urlField';
import { withPatch } from '../editSession';
import { switchAuthType } from '../authType';
import { bodySwitchPatch, switchBodyType } from '../bodyType';
import { TAG_COMPLETIONS, unknownVariables, variableInsert, type CompletionItem } from '../templateField';
import { setFieldText, setTemplateSource, templateInput, type TemplateInputOptions } from './templateInput';
import { isCurlText } from '../../collections/convert/curlText';
import { stepPatch } from '../pasteStep';
import { formatJson } from '../formatJson';
import { h, icon, keepState, keptTab, setText, tabs, vscode } from './dom';
import { keepFieldKeys, keepTextKeysInFields, replaceKeepingFields, standIn } from './fieldKeys';
import { KeyedRows, type RowMatching } from '../rowKeys';
import { focusListAfter, selectKeys } from './selectKeys';
import './editor.css';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const BODY_TYPES: readonly { label: string; mime: string | null }[] = [
  { label: 'No Body', mime: null },
  { label: 'JSON', mime: 'application/json' },
  { label: 'Text', mime: 'text/plain' },
  { label: 'XML', mime: 'application/xml' },
  { label: 'Form URL Encoded', mime: 'application/x-www-form-urlencoded' },
  { label: 'Multipart Form', mime: 'multipart/form-data' },
  { label: 'GraphQL', mime: 'application/graphql' },
  { label: 'Binary File', mime: 'application/octet-stream' },
];

interface AuthField {
  key: string;
  label: string;
  kind?: 'text' | 'password' | 'bool' | 'select';
  options?: readonly string[];
}

const AUTH_TYPES: Record<string, { label: string; fields: readonly AuthField[] }> = {
  none: { label: 'No Auth', fields: [] },
  basic: { label: 'Basic', fields: [{ key: 'username', label: 'Username' }, { key: 'password', label: 'Password', kind: 'password' }, { key: 'useISO88591', label: 'Use ISO 8859-1', kind: 'bool' }] },
  bearer: { label: 'Bearer Token', fields: [{ key: 'token', label: 'Token', kind: 'password' }, { key: 'prefix', label: 'Prefix' }] },
  apikey: { label: 'API Key', fields: [{ key: 'key', label: 'Key' }, { key: 'value', label: 'Value', kind: 'password' }, { key: 'addTo', label: 'Add to', kind: 'select', options: ['header', 'queryParams', 'cookie'] }] },
  digest: { label: 'Digest', fields: [{ key: 'username', label: 'Username' }, { key: 'password', label: 'Password', kind: 'password' }] },
  oauth2: {
    label: 'OAuth 2.0',
    fields: [
      { key: 'grantType', label: 'Grant type', kind: 'select', options: ['client_credentials', 'password', 'authorization_code'] },
      { key: 'accessTokenUrl', label: 'Access token URL' },
      { key: 'authorizationUrl', label: 'Authorization URL' },
      { key: 'clientId', label: 'Client ID' },
      { key: 'clientSecret', label: 'Client secret', kind: 'password' },
      { key: 'usePkce', label: 'Use PKCE', kind: 'bool' },
      { key: 'username', label: 'Username' },
      { key: 'password', label: 'Password', kind: 'password' },
      { key: 'scope', label: 'Scope' },
      { key: 'redirectUrl', label: 'Redirect URL' },
    ],
  },
  iam: { label: 'AWS Signature v4', fields: [{ key: 'accessKeyId', label: 'Access key ID' }, { key: 'secretAccessKey', label: 'Secret access key', kind: 'password' }, { key: 'region', label: 'Region' }, { key: 'service', label: 'Service' }, { key: 'sessionToken', label: 'Session token', kind: 'password' }] },
};

/** What a new auth of a type starts with (OAuth 2.0: its grant type), besides `type`. */
const NEW_AUTH: Record<string, Record<string, unknown>> = { oauth2: { grantType: 'client_credentials' } };

/** `a`, `a and b`, `a, b and c`. */
function listOf(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

let req: RequestView | undefined;
/** The url and parameters the URL field's current editing started from (urlFieldEdit); reset on focus, blur and news. */
let urlBase: UrlFieldBase | undefined;
/** The URL field's text as drawn or last typed (the text an editing of it starts from). */
let urlText = '';
let context: EditorContextView | undefined;
let busy = false;
let tabIndex = keptTab();
/** the tabs' panels as they were left (tabs in dom.ts): their text fields, with their undo histories, come back with them. */
const tabsLeft = new Map<number, HTMLElement>();
const app = document.getElementById('app') as HTMLElement;

function post(cmd: EditorCommand): void {
  vscode.postMessage(cmd);
}

/**
 * Edit numbers. They start at the time the page loaded, so that after a reload of the page its edits still come
 * after the ones the host already has. `lastEdit` is the number of the page's latest edit (0: none yet).
 */
let seq = Date.now();
let lastEdit = 0;

function edit(fields: RequestFieldsPatch): void {
  if (!req || Object.keys(fields).length === 0) return;
  const base = baseOf(req, fields);
  req = withPatch(req, fields);
  lastEdit = ++seq;
  post({ type: 'edit', fields, seq: lastEdit, base });
  updateUnknown();
  // the tabs' counts follow rows added or removed without a whole render (typing `&limit=5` in the URL, Add)
  if (fields.parameters || fields.headers) tabCounts?.(req);
}

/** updates the Params and Headers tabs' counts of the page on screen (set by render). */
let tabCounts: ((r: RequestView) => void) | undefined;

function tabName(name: string, count: number): string {
  return count ? `${name} (${count})` : name;
}

/** What `r` holds in the fields an edit sets (settings and scripts: the keys it sets): the host checks it is still so on disk. */
function baseOf(r: RequestView, fields: RequestFieldsPatch): RequestFieldsPatch {
  const base: Record<string, unknown> = {};
  for (const key of Object.keys(fields) as (keyof RequestFieldsPatch)[]) {
    if (fields[key] === undefined) continue;
    if (key === 'settings' || key === 'scripts') {
      const whole = r[key] as unknown as Record<string, unknown>;
      base[key] = Object.fromEntries(Object.keys(fields[key] ?? {}).map((k) => [k, whole[k]]));
    } else {
      base[key] = r[key];
    }
  }
  return base as RequestFieldsPatch;
}



// ---------- templates: what the fields offer and check, rendered previews from the host

let renderSeq = 0;
const renders = new Map<number, (r: { text?: string; error?: string }) => void>();

function renderOnHost(text: string): Promise<{ text?: string; error?: string }> {
  const seqNo = ++renderSeq;
  post({ type: 'render', seq: seqNo, text });
  return new Promise((resolve) => {
    renders.set(seqNo, resolve);
    setTimeout(() => {
      if (renders.delete(seqNo)) resolve({});
    }, 5000);
  });
}

function useContext(next: EditorContextView): void {
  context = next;
  const items: CompletionItem[] = [
    ...next.variables.map((v) => ({ label: v.name, detail: v.source, insert: variableInsert(v.name), preview: v.preview })),
    ...TAG_COMPLETIONS,
  ];
  const known = new Set(next.variables.map((v) => v.name));
  setTemplateSource({ items: () => items, known: () => known, render: renderOnHost });
}

/** A template-aware field (variables and tags highlighted and offered, the rendered value shown while focused). */
function tfield(value: string, onInput: (v: string) => void, options: Omit<TemplateInputOptions, 'value' | 'onInput'> = {}): HTMLElement {
  return templateInput({ value, onInput, ...options });
}

/** The variables the request uses that the active environment chain does not define, with where. */
function unknownInRequest(r: RequestView): string[] {
  if (!context) return [];
  const known = new Set(context.variables.map((v) => v.name));
  const out: string[] = [];
  const look = (text: string | undefined, where: string) => {
    for (const name of unknownVariables(text ?? '', known)) out.push(`${name} (${where})`);
  };
  look(r.url, 'URL');
  for (const p of r.parameters) if (!p.disabled) look(`${p.name}${p.value}`, `parameter ${p.name}`);
  for (const hd of r.headers) if (!hd.disabled) look(`${hd.name}${hd.value}`, `header ${hd.name}`);
  if (r.settings.renderRequestBody) {
    look(r.body.text, 'body');
    for (const p of r.body.params ?? []) if (!p.disabled) look(p.value, `form field ${p.name}`);
  }
  for (const [k, v] of Object.entries(r.authentication)) if (typeof v === 'string') look(v, `auth ${k}`);
  return out;
}

function updateUnknown(): void {
  const bar = document.getElementById('unknown');
  if (!bar || !req) return;
  const list = unknownInRequest(req);
  setText(bar, list.length ? `Unknown variable${list.length === 1 ? '' : 's'}: ${list.join(', ')}. Define ${list.length === 1 ? 'it' : 'them'} in an environment, or choose another environment.` : '');
  bar.classList.toggle('shown', list.length > 0);
}

function openPart(part: RequestPart, beside: boolean): void {
  post({ type: 'openPart', part, beside });
}

/** "Open in Editor" and "Open to the Side" for a part of the request. */
function openButtons(part: RequestPart, what: string): HTMLElement {
  return h('div', { class: 'row open-row' },
    button(`Open ${what} in Editor`, 'go-to-file', () => openPart(part, false), true),
    button('Open to the Side', 'split-horizontal', () => openPart(part, true), true));
}

// ---------- widgets

function select(options: readonly { value: string; label: string }[], value: string, onChange: (v: string) => void): HTMLElement {
  const el = h('vscode-single-select', { on: { change: () => onChange((el as unknown as { value: string }).value) } },
    ...options.map((o) => h('vscode-option', { value: o.value, text: o.label, selected: o.value === value })));
  return el;
}

function textarea(value: string, onInput: (v: string) => void, dataKey: string, rows = 12, cls = 'code'): HTMLElement {
  const el = h('vscode-textarea', { value, rows, class: cls, resize: 'vertical', 'attr:data-key': dataKey, on: { input: () => onInput((el as unknown as { value: string }).value) } });
  // (kept through a redraw as it is: what it calls depends on its key only)
  standIn(el, () => undefined);
  return el;
}

function checkbox(checked: boolean, label: string, onChange: (v: boolean) => void): HTMLElement {
  const el = h('vscode-checkbox', { checked, label, on: { change: () => onChange((el as unknown as { checked: boolean }).checked) } });
  return el;
}

function button(label: string, codicon: string | undefined, onClick: () => void, secondary = false): HTMLElement {
  const el = h('vscode-button', { on: { click: onClick }, secondary, ...(codicon ? { icon: codicon } : {}) }, label);
  return el;
}

/** Rows the same as the table shows them, and a row that may be another changed in place (its name or value kept). */
const KV_MATCH: RowMatching<KeyValue> = {
  idOf: (r) => (typeof r.id === 'string' && r.id !== '' ? r.id : undefined),
  same: (a, b) => a.name === b.name && a.value === b.value && !!a.disabled === !!b.disabled && a.type === b.type && a.fileName === b.fileName,
  similar: (a, b) => a.name === b.name || (a.value !== '' && a.value === b.value),
};

/** The tables' rows with their keys (params, headers, form), as the page drew them last or edited them since. */
const tables = new Map<string, KeyedRows<KeyValue>>();

/** Table `key`'s rows with their keys, following `rows` (the request's, which may have changed elsewhere). */
function keyedRows(key: string, rows: readonly KeyValue[]): KeyedRows<KeyValue> {
  let table = tables.get(key);
  if (!table) tables.set(key, (table = new KeyedRows(rows.map((r) => ({ ...r })), KV_MATCH)));
  else table.follow(rows.map((r) => ({ ...r })));
  return table;
}

/**
 * A key-value table: enable checkbox, name, value, (file part), remove; and an Add button. Each row's fields carry its
 * key (rowKeys.ts): a row deleted or added elsewhere, the page drawn again, the row typed in keeps its fields, its
 * focus and its undo history.
 */
function keyValueTable(rows: readonly KeyValue[], onChange: (rows: KeyValue[]) => void, options: { key: string; files?: boolean; rerender: () => void }): HTMLElement {
  const keyed = keyedRows(options.key, rows);
  const list = keyed.rows;
  const commit = () => onChange(list.map((r) => ({ ...r })));
  const table = h('div', { class: 'kv' });
  list.forEach((row, i) => {
    const isFile = row.type === 'file';
    const rowKey = keyed.keys[i];
    table.append(
      h('div', { class: `kv-row${row.disabled ? ' disabled' : ''}` },
        h('vscode-checkbox', {
          checked: !row.disabled,
          title: 'Enabled',
          on: {
            change: (e) => {
              row.disabled = !(e.target as unknown as { checked: boolean }).checked;
              (e.target as HTMLElement).parentElement?.classList.toggle('disabled', !!row.disabled);
              commit();
            },
          },
        }),
        tfield(row.name, (v) => { row.name = v; commit(); }, { placeholder: 'name', dataKey: `${options.key}:${i}:name`, fieldKey: `${options.key}#${rowKey}:name`, ariaLabel: 'Name' }),
        isFile
          ? h('div', { class: 'file-cell' }, h('span', { class: 'file-name', text: row.fileName || 'No file chosen' }),
              button('Choose...', 'folder-opened', () => pickFile(`param:${rowKey}`), true))
          : tfield(row.value, (v) => { row.value = v; commit(); }, { placeholder: 'value', dataKey: `${options.key}:${i}:value`, fieldKey: `${options.key}#${rowKey}:value`, ariaLabel: 'Value' }),
        options.files
          ? select([{ value: 'text', label: 'Text' }, { value: 'file', label: 'File' }], isFile ? 'file' : 'text', (v) => {
              row.type = v;
              commit();
              options.rerender();
            })
          : null,
        // (pressed with the keys: the focus goes to the next row's Remove, the previous row's, or Add: dom.ts keepFocus)
        h('button', { class: 'icon-button', title: 'Remove', on: { click: () => { keyed.remove(i); commit(); options.rerender(); } } }, icon('trash')),
      ),
    );
  });
  table.append(h('div', { class: 'kv-add' }, button('Add', 'add', () => {
    const added = keyed.add(options.files ? { name: '', value: '', type: 'text' } : { name: '', value: '' });
    commit();
    options.rerender();
    // the new row's name takes the keys typed next, as Add Variable's does (else they went nowhere)
    (document.querySelector(`[data-field="${options.key}#${added}:name"]`) as HTMLInputElement | null)?.focus();
  }, true)));
  return table;
}

function pickFile(purpose: string): void {
  post({ type: 'pickFile', purpose });
}

// ---------- tabs

function paramsTab(r: RequestView, rerender: () => void): HTMLElement {
  return keyValueTable(r.parameters, (rows) => {
    edit({ parameters: rows });
    const urlField = document.getElementById('url') as HTMLInputElement | null;
    if (urlField && req) {
      urlField.value = urlText = displayUrl(req.url, req.parameters);
      urlField.dispatchEvent(new Event('tpl-refresh'));
    }
  }, { key: 'params', rerender });
}

function headersTab(r: RequestView, rerender: () => void): HTMLElement {
  const table = keyValueTable(r.headers, (rows) => edit({ headers: rows }), { key: 'headers', rerender });
  if (r.inheritedHeaders.length === 0) return table;
  return h('div', {}, table,
    h('div', { class: 'inherited' }, h('div', { class: 'hint', text: 'Inherited from folders (a request header of the same name replaces them):' }),
      ...r.inheritedHeaders.map((x) => h('div', { class: 'inherited-row mono' }, h('span', { text: `${x.name}: ${x.value}` }), h('span', { class: 'hint', text: `  ${x.where}` })))));
}

/**
 * The question a type switch that would drop what the user wrote asks (Body, Auth), under the type's list: "Switch to
 * `label`" runs `onSwitch`, `keep` takes the question away. Nothing is written until the user answers.
 */
function switchQuestion(cls: string, text: string, label: string, keep: string, onSwitch: () => void): HTMLElement {
  // the buttons go with the question (Switch draws the tab again): the focus goes back to the type list that asked
  const back = (then: () => void) => () => focusListAfter(question.previousElementSibling?.querySelector('vscode-single-select'), then);
  const confirm = button(`Switch to ${label}`, undefined, back(onSwitch));
  confirm.classList.add('switch');
  const keepButton = button(keep, undefined, back(() => question.remove()), true);
  keepButton.classList.add('keep');
  const question = h('div', { class: `row type-switch ${cls}`, 'attr:role': 'alert' }, h('span', { text }), confirm, keepButton);
  return question;
}

function bodyTab(r: RequestView, rerender: () => void): HTMLElement {
  const mime = r.body.mimeType ?? null;
  const known = BODY_TYPES.find((t) => t.mime === mime) ?? (mime ? { label: mime, mime } : BODY_TYPES[0]);
  const setBody = (body: RequestBody) => edit({ body });
  /** a switch of the body's type: its Content-Type header (and for GraphQL the method) follow in the same edit, as Insomnia writes them */
  const switchBody = (body: RequestBody, to: string | null) => {
    const patch = bodySwitchPatch(req ?? r, to);
    edit({ body, ...patch });
    if (patch.method) showMethod(patch.method);
  };
  /** the question a switch that would drop something asks (under the list), while it is open. */
  let question: HTMLElement | undefined;
  const typeSelect = select(
    [...BODY_TYPES, ...(BODY_TYPES.includes(known) ? [] : [known])].map((t) => ({ value: t.mime ?? '', label: t.label })),
    mime ?? '',
    (v) => {
      const m = v === '' ? null : v;
      question?.remove();
      question = undefined;
      // the body as it is now (the text and rows typed since the tab was drawn are in `req`, not in `r`)
      const next = switchBodyType((req ?? r).body, m);
      if (next.drops.length === 0) {
        switchBody(next.body, m);
        rerender();
        return;
      }
      // a switch that drops what the user wrote is asked first, as Insomnia does; the list shows the body's type meanwhile
      (typeSelect as unknown as { value: string }).value = mime ?? '';
      const label = BODY_TYPES.find((t) => t.mime === m)?.label ?? m ?? 'No Body';
      question = switchQuestion('body-switch', `Switching to ${label} drops ${next.drops.join(' and ')} of this body.`, label, 'Keep the Body', () => {
        switchBody(switchBodyType((req ?? r).body, m).body, m);
        rerender();
      });
      typeRow.after(question);
    },
  );
  const typeRow = h('div', { class: 'row' }, h('label', { text: 'Body' }), typeSelect);
  const out = h('div', { class: 'body-tab' }, typeRow);
  if (mime === null) {
    out.append(h('p', { class: 'hint', text: 'This request has no body.' }));
  } else if (mime === 'application/x-www-form-urlencoded' || mime === 'multipart/form-data') {
    out.append(keyValueTable(r.body.params ?? [], (params) => setBody({ ...(req ?? r).body, params }), { key: 'form', files: mime === 'multipart/form-data', rerender }));
  } else if (mime === 'application/octet-stream') {
    const name = h('span', { class: 'file-name', text: r.body.fileName || 'No file chosen' });
    out.append(h('div', { class: 'row' }, name, button('Choose File...', 'folder-opened', () => pickFile('body'), true)));
  } else if (mime === 'application/graphql') {
    let gql: { query?: string; variables?: unknown } = {};
    try {
      gql = JSON.parse(r.body.text || '{}') as typeof gql;
    } catch {
      gql = { query: r.body.text ?? '' };
    }
    let query = gql.query ?? '';
    let variables = gql.variables === undefined ? '' : JSON.stringify(gql.variables, null, 2);
    const status = h('div', { class: 'hint' });
    /** the last variables that parsed: saved with the query while the text typed into Variables does not parse (as Insomnia does) */
    let vars: unknown = gql.variables;
    const write = () => {
      try {
        vars = variables.trim() === '' ? undefined : JSON.parse(variables);
        setText(status, '');
      } catch (e) {
        setText(status, `Variables: ${(e as Error).message}; the last ones that parse are saved with the query.`);
      }
      setBody({ mimeType: mime, text: JSON.stringify(vars === undefined ? { query } : { query, variables: vars }) });
    };
    out.append(h('label', { text: 'Query' }), tfield(query, (v) => { query = v; write(); }, { multiline: true, rows: 12, dataKey: 'body:query' }), openButtons('query', 'Query'),
      h('label', { text: 'Variables (JSON)' }), tfield(variables, (v) => { variables = v; write(); }, { multiline: true, rows: 6, dataKey: 'body:variables' }), status, openButtons('variables', 'Variables'));
  } else {
    const status = h('div', { class: 'hint' });
    const isJson = mime.includes('json');
    const validate = (text: string) => {
      if (!isJson) return;
      try {
        if (text.trim() !== '' && !text.includes('{{')) JSON.parse(text);
        setText(status, '');
        status.classList.remove('error');
      } catch (e) {
        setText(status, `Invalid JSON: ${(e as Error).message}`);
        status.classList.add('error');
      }
    };
    const area = tfield(r.body.text ?? '', (v) => { setBody({ ...(req ?? r).body, mimeType: mime, text: v }); validate(v); }, { multiline: true, rows: 16, dataKey: 'body:text', id: 'body-text' });
    out.append(area, status);
    const tools = openButtons('body', 'Body');
    if (isJson) {
      tools.prepend(button('Format JSON', 'json', () => {
        // the field on the page (the one drawn first, when a redraw kept it)
        const field = document.getElementById('body-text') as HTMLTextAreaElement;
        // JSON as JSON.stringify has it; with templates ({{ _.id }}, {% response %}), re-indented as Insomnia does
        const formatted = formatJson(field.value);
        if (!formatted.ok) {
          setText(status, `Cannot format as JSON: ${formatted.reason}. The body is unchanged.`);
          status.classList.add('error');
          return;
        }
        const text = formatted.text;
        field.value = text;
        field.dispatchEvent(new Event('tpl-refresh'));
        setBody({ ...(req ?? r).body, mimeType: mime, text });
        validate(text);
      }, true));
    }
    out.append(tools);
    validate(r.body.text ?? '');
  }
  return out;
}

function authTab(r: RequestView, rerender: () => void): HTMLElement {
  const auth = r.authentication;
  const type = auth.type && AUTH_TYPES[auth.type] ? auth.type : auth.type ? auth.type : 'none';
  const out = h('div', { class: 'form' });
  let question: HTMLElement | undefined;
  const typeSelect = select(Object.entries(AUTH_TYPES).map(([value, t]) => ({ value, label: t.label })), type, (v) => {
    question?.remove();
    question = undefined;
    // from the auth as it is now (the fields typed since the tab was drawn are in `req`), keeping what both types have
    const switched = () => {
      const next = switchAuthType((req ?? r).authentication, v, (AUTH_TYPES[v]?.fields ?? []).map((f) => f.key), {
        labels: Object.fromEntries((AUTH_TYPES[type]?.fields ?? []).map((f) => [f.key, f.label])),
        defaults: NEW_AUTH[type],
      });
      return { ...next, auth: v === 'none' || v === type ? next.auth : { type: v, ...NEW_AUTH[v], ...next.auth } };
    };
    const next = switched();
    if (next.drops.length === 0) {
      edit({ authentication: next.auth });
      rerender();
      return;
    }
    // a switch that drops what the user wrote is asked first, as Insomnia does; the list shows the auth's type meanwhile
    (typeSelect as unknown as { value: string }).value = type;
    const label = AUTH_TYPES[v]?.label ?? v;
    question = switchQuestion('auth-switch', `Switching to ${label} drops ${listOf(next.drops)}.`, label, 'Keep the Auth', () => {
      edit({ authentication: switched().auth });
      rerender();
    });
    typeRow.after(question);
  });
  const typeRow = h('div', { class: 'row' }, h('label', { text: 'Type' }), typeSelect);
  out.append(typeRow);
  if (type === 'none' && r.inheritedAuth) {
    out.append(h('p', { class: 'hint', text: `Inherits ${AUTH_TYPES[r.inheritedAuth.type]?.label ?? r.inheritedAuth.type} auth from ${r.inheritedAuth.where}.` }));
  }
  const spec = AUTH_TYPES[type];
  if (!spec) {
    out.append(h('p', { class: 'hint', text: `Auth type "${type}" is kept as it is; Hammock cannot edit it.` }));
    return out;
  }
  if (type !== 'none') {
    out.append(h('div', { class: 'row' }, checkbox(!auth.disabled, 'Enabled', (v) => edit({ authentication: { ...(req?.authentication ?? auth), disabled: !v } }))));
  }
  for (const f of spec.fields) {
    const current = (req?.authentication ?? auth)[f.key];
    const set = (value: unknown) => edit({ authentication: { ...(req?.authentication ?? auth), [f.key]: value } });
    let control: HTMLElement;
    if (f.kind === 'bool') control = checkbox(current === true, f.label, set);
    else if (f.kind === 'select') control = select((f.options ?? []).map((o) => ({ value: o, label: o })), typeof current === 'string' ? current : (f.options?.[0] ?? ''), set);
    else control = tfield(typeof current === 'string' ? current : '', set, { password: f.kind === 'password', dataKey: `auth:${f.key}`, ariaLabel: f.label, className: 'auth-field' });
    out.append(h('div', { class: 'row' }, f.kind === 'bool' ? h('span') : h('label', { text: f.label }), control));
  }
  if (type === 'oauth2') out.append(h('p', { class: 'hint', text: 'Tokens are kept in VS Code\'s secret storage, never in the repository.' }));
  return out;
}

function settingsTab(r: RequestView): HTMLElement {
  const s = r.settings;
  return h('div', { class: 'form' },
    h('div', { class: 'row' }, checkbox(s.sendCookies, 'Send cookies automatically', (v) => edit({ settings: { sendCookies: v } }))),
    h('div', { class: 'row' }, checkbox(s.storeCookies, 'Store cookies automatically', (v) => edit({ settings: { storeCookies: v } }))),
    h('div', { class: 'row' }, checkbox(s.renderRequestBody, 'Render templates in the request body', (v) => edit({ settings: { renderRequestBody: v } }))),
    h('div', { class: 'row' }, checkbox(s.encodeUrl, 'Encode the URL automatically', (v) => edit({ settings: { encodeUrl: v } }))),
    h('div', { class: 'row' }, checkbox(s.rebuildPath, 'Rebuild the path (dot segments)', (v) => edit({ settings: { rebuildPath: v } }))),
    h('div', { class: 'row' }, h('label', { text: 'Follow redirects' }),
      select([{ value: 'global', label: 'Global setting' }, { value: 'on', label: 'Always' }, { value: 'off', label: 'Never' }], s.followRedirects, (v) =>
        edit({ settings: { followRedirects: v as 'global' | 'on' | 'off' } }))),
  );
}

function scriptsTab(r: RequestView): HTMLElement {
  const area = (which: 'preRequest' | 'afterResponse') => {
    const el = h('textarea', { class: 'script code', rows: 10, spellcheck: false, 'attr:data-key': `script:${which}`, 'attr:aria-label': which === 'preRequest' ? 'Pre-request script' : 'After-response script' }) as HTMLTextAreaElement;
    el.value = r.scripts[which];
    el.addEventListener('input', () => edit({ scripts: { [which]: el.value } }));
    // (kept through a redraw as it is: what it calls depends on its key only)
    standIn(el, () => undefined);
    return el;
  };
  return h('div', { class: 'form scripts' },
    h('label', { text: 'Pre-request script' }), area('preRequest'), openButtons('preRequest', 'Script'),
    h('label', { text: 'After-response script' }), area('afterResponse'), openButtons('afterResponse', 'Script'),
    h('p', { class: 'hint', text: 'Send runs them as Insomnia does (the insomnia.* API, in a sandbox): the pre-request script before the request is rendered, the after-response script when the response is in. Their tests and console show with the response.' }));
}

function descriptionTab(r: RequestView): HTMLElement {
  return h('div', { class: 'form' }, textarea(r.description, (v) => edit({ description: v }), 'description', 16, 'prose'));
}

// ---------- a cURL command pasted into the URL field

/** The paste the page waits for the host to read: its number, and the page's latest edit when it was pasted. */
let curlPaste: { seq: number; lastEdit: number } | undefined;
let curlSeq = 0;

function pasteCurl(text: string): void {
  // what the page said of an earlier paste goes: only the latest paste's message stays
  clearPasteBanner();
  // (the host drops a longer message unread: the page would wait for an answer that never comes)
  if (text.length > MAX_CURL_PASTE) {
    curlPaste = undefined;
    banner(`The pasted cURL command is too long to put in this request (${text.length.toLocaleString('en-US')} characters, at most ${MAX_CURL_PASTE.toLocaleString('en-US')}): nothing changed. Import... (From the Clipboard) makes a request of it.`);
    return;
  }
  curlPaste = { seq: ++curlSeq, lastEdit };
  post({ type: 'pasteCurl', seq: curlSeq, text });
}

/** What a paste of a cURL command said (one at a time: a paste again replaces it, typing in the URL takes it away). */
function banner(text: string, cls = 'error-banner'): void {
  clearPasteBanner();
  app.prepend(h('div', { class: `${cls} paste-banner`, text, 'attr:role': 'status' }));
}

function clearPasteBanner(): void {
  for (const el of document.querySelectorAll('.paste-banner')) el.remove();
}

/**
 * The host read the pasted command: its fields are one edit of the request (the edit path writes the ones that
 * differ), the page shows the request they make, and the URL field's history holds the paste as one step, whose
 * Undo gives the fields back as they were (and Redo sets them again).
 */
function curlPasted(seq: number, fields: RequestFieldsPatch | undefined, notes: readonly string[], error: string | undefined): void {
  const asked = curlPaste;
  if (!asked || asked.seq !== seq) return;
  curlPaste = undefined;
  if (error !== undefined || !fields || !req) {
    banner(error ?? 'The pasted cURL command was not put in this request.');
    return;
  }
  if (lastEdit !== asked.lastEdit) {
    banner('The pasted cURL command was not put in this request: it was edited while the command was read. Paste it again.');
    return;
  }
  const before = baseOf(req, fields);
  const field = document.getElementById('url') as HTMLInputElement | HTMLTextAreaElement | null;
  // Undo and Redo move only the fields that still hold what the step left there: a field edited since the paste (a
  // header, in the Headers tab) keeps the user's edit (pasteStep.ts)
  const move = (from: RequestFieldsPatch, to: RequestFieldsPatch) => {
    if (!req) return;
    edit(stepPatch(req, from, to));
    // the field shows the request's URL (the one given back, or the user's own when it was edited since)
    if (field) {
      const shown = displayUrl(req.url, req.parameters);
      if (field.value !== shown) field.value = shown;
      urlText = field.value;
    }
    urlBase = undefined;
    keepFieldKeys(render);
  };
  edit(fields);
  const after = req ? baseOf(req, fields) : fields;
  if (field && req) setFieldText(field, displayUrl(req.url, req.parameters), { undo: () => move(after, before), redo: () => move(before, after) });
  if (field) urlText = field.value;
  urlBase = undefined;
  keepFieldKeys(render);
  if (notes.length) banner(`Put in this request from the pasted cURL command, except: ${notes.join('; ')}`, 'notice-banner');
  else clearPasteBanner();
}

// ---------- the page

/** The method list shows `m` (a method set by something else than the list: a switch of the body to GraphQL). */
function showMethod(m: string): void {
  const el = document.getElementById('method');
  if (!el) return;
  (el as unknown as { value: string }).value = m;
  el.className = `method method-${m.toLowerCase()}`;
}

function render(): void {
  const r = req;
  if (!r) return;
  const method = select(METHODS.concat(METHODS.includes(r.method.toUpperCase()) ? [] : [r.method]).map((m) => ({ value: m, label: m })), r.method.toUpperCase(), (v) => {
    edit({ method: v });
    method.className = `method method-${v.toLowerCase()}`;
  });
  method.className = `method method-${r.method.toLowerCase()}`;
  method.id = 'method';
  // the field being typed in keeps its text when that still means what the request holds (a re-render for news
  // that did not change it: `?a=1&` is not cut back to `?a=1` under the caret, so the next key does not join `1`);
  // the field the focus left keeps what was typed when it says what the request holds as the field shows it (`&c=`
  // stays `&c=` and `&c` stays `&c` through Send or news; `/pets&limit=5` is drawn as `/pets?limit=5`)
  const typing = document.getElementById('url') as HTMLInputElement | null;
  const keepText = typing !== null && (typing === document.activeElement ? Object.keys(urlFieldEdit(typing.value, r)).length === 0 : showsSameAs(typing.value, r.url, r.parameters));
  urlText = keepText ? typing.value : displayUrl(r.url, r.parameters);
  const url = tfield(urlText, (v) => {
    const cur = req ?? r;
    clearPasteBanner();
    // (read against the text the field showed when this editing began: a kept `&c` is not a change)
    urlBase ??= { url: cur.url, parameters: cur.parameters, text: urlText };
    urlText = v;
    const fields = urlFieldEdit(v, cur, urlBase);
    edit(fields);
    if (fields.parameters && t.current === 0) t.rerender();
  }, { placeholder: 'https://example.com/path or {{ _.base_url }}/path', id: 'url', dataKey: 'url', className: 'url', alwaysPreview: true, ariaLabel: 'URL' });
  // hovering shows the URL rendered with the active environment (asked when the pointer enters)
  const urlInput = url.querySelector('input');
  urlInput?.addEventListener('mouseenter', () => post({ type: 'preview' }));
  // a cURL command pasted into the field is put in the request (as Insomnia does), not pasted as text: the clipboard's
  // text keeps its line breaks here, which the one-line field would drop; any other paste is the field's own
  url.querySelector('input, textarea')?.addEventListener('paste', (e) => {
    const text = (e as ClipboardEvent).clipboardData?.getData('text/plain') ?? '';
    if (!isCurlText(text)) return;
    e.preventDefault();
    pasteCurl(text);
  });
  // one editing of the field runs from focus to blur: its text is read against the rows it started from
  urlInput?.addEventListener('focus', () => (urlBase = undefined));
  urlInput?.addEventListener('blur', () => {
    urlBase = undefined;
    // a text that means the request in another form than the field's (`/pets&limit=5`) is drawn as the field shows it,
    // so that the next editing reads its keys against that text (`&limit=50` stays a row)
    const cur = req ?? r;
    if (urlInput.value !== urlText || showsSameAs(urlInput.value, cur.url, cur.parameters)) return;
    urlInput.value = urlText = displayUrl(cur.url, cur.parameters);
    urlInput.dispatchEvent(new Event('tpl-refresh'));
  });
  const send = busy
    ? button('Cancel', 'debug-stop', () => post({ type: 'cancel' }), true)
    : button('Send', 'play', () => post({ type: 'send' }));
  send.id = 'send';
  const names = ['Params', 'Headers', 'Body', 'Auth', 'Scripts', 'Settings', 'Description'];
  const counts = [r.parameters.length, r.headers.length];
  const t = tabs(
    names.map((n, i) => tabName(n, counts[i] ?? 0)),
    (i) => {
      const cur = req ?? r;
      const rer = () => t.rerender();
      switch (i) {
        case 0: return paramsTab(cur, rer);
        case 1: return headersTab(cur, rer);
        case 2: return bodyTab(cur, rer);
        case 3: return authTab(cur, rer);
        case 4: return scriptsTab(cur);
        case 5: return settingsTab(cur);
        default: return descriptionTab(cur);
      }
    },
    tabIndex,
    (i) => { tabIndex = i; keepState(undefined, i); },
    tabsLeft,
  );
  tabCounts = (cur) => {
    t.rename(0, tabName(names[0], cur.parameters.length));
    t.rename(1, tabName(names[1], cur.headers.length));
  };
  // the fields whose text the redraw does not change stay on the page: Ctrl+Z in them still undoes what was typed
  replaceKeepingFields(app, [
    h('header', { class: 'title' }, h('span', { class: 'collection', text: r.collectionName }), h('span', { class: 'sep', text: '/' }),
      // the folders on the way (two requests of one name in two folders are told apart)
      ...(r.folders ?? []).flatMap((f) => [h('span', { class: 'folder', text: f }), h('span', { class: 'sep', text: '/' })]),
      h('span', { class: 'name', text: r.name || 'Request' }), environmentPicker()),
    h('div', { class: 'request-line' }, method, url, send, busy ? h('vscode-progress-ring', { class: 'ring' }) : null),
    h('div', { id: 'unknown', class: 'unknown', 'attr:role': 'status' }),
    t.root,
  ]);
  updateUnknown();
}

/** The active environment of the request's collection, chosen here or in the status bar. */
function environmentPicker(): HTMLElement | null {
  if (!context?.hasEnvironments) return null;
  const MANAGE = '__manage__';
  const options = [
    // no sub-environment: the base environment alone, named as the status bar and the Environments view name it
    { value: '', label: context.baseName },
    ...context.environments.map((e) => ({ value: e.id, label: e.private ? `${e.name} (private)` : e.name })),
    { value: MANAGE, label: 'Manage Environments...' },
  ];
  const active = context.activeId;
  const picker = select(options, active, (v) => {
    if (v === MANAGE) {
      post({ type: 'manageEnvironments' });
      (picker as unknown as { value: string }).value = active;
      return;
    }
    post({ type: 'selectEnvironment', id: v });
  });
  picker.id = 'environment';
  picker.title = 'The environment this request is sent with';
  const chosen = context.environments.find((e) => e.id === active);
  const dot = h('span', { class: 'env-dot' });
  if (chosen?.color) dot.style.background = chosen.color;
  return h('span', { class: 'env-picker' }, icon(chosen?.private ? 'lock' : 'layers'), dot, picker);
}

/**
 * Shows a request from the host unless it is what the UI already has, or it does not include the UI's latest edit
 * (`stateSeq` older than `lastEdit`): then what the user typed since is the truth, and the host posts again once that
 * edit is saved. The focused field (by its data-key) keeps the focus and its caret across the re-render.
 */
function applyState(next: RequestView, stateSeq: number): void {
  if (stateSeq < lastEdit) return;
  // the edits are in (saved, or the file's version chosen): a "not saved" message is over
  for (const banner of document.querySelectorAll('.error-banner.held')) banner.remove();
  if (req && JSON.stringify(req) === JSON.stringify(next)) return;
  req = next;
  // the request changed otherwise than the field's editing made it (another field, another editor, the file): the
  // field's text is read against what it holds now
  urlBase = undefined;
  keepFieldKeys(render);
}

window.addEventListener('message', (event: MessageEvent<EditorNotification>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'state':
      applyState(msg.request, msg.seq);
      return;
    case 'sending':
      busy = msg.busy;
      render();
      return;
    case 'filePicked': {
      if (!req) return;
      if (msg.purpose === 'body') edit({ body: { ...req.body, fileName: msg.path } });
      else if (msg.purpose.startsWith('param:')) {
        // the row the file was chosen for, wherever it is now
        const i = keyedRows('form', req.body.params ?? []).keys.indexOf(msg.purpose.slice(6));
        if (i === -1) return;
        const params = (req.body.params ?? []).map((p, j) => (j === i ? { ...p, type: 'file', fileName: msg.path } : p));
        edit({ body: { ...req.body, params } });
      }
      render();
      return;
    }
    case 'preview': {
      const field = document.getElementById('url');
      if (field) field.title = msg.error ? msg.error : msg.url;
      return;
    }
    case 'rendered': {
      const done = renders.get(msg.seq);
      renders.delete(msg.seq);
      done?.({ text: msg.text, error: msg.error });
      return;
    }
    case 'context': {
      useContext(msg.context);
      // the request did not change: the URL field's editing goes on against the rows it started from (the focus
      // given back to the re-rendered field would start a new one)
      const editing = urlBase;
      if (req) keepFieldKeys(render);
      urlBase = editing;
      return;
    }
    case 'curlPasted':
      curlPasted(msg.seq, msg.fields, msg.notes ?? [], msg.error);
      return;
    case 'error':
      if (msg.held) for (const banner of document.querySelectorAll('.error-banner.held')) banner.remove();
      app.prepend(h('div', { class: msg.held ? 'error-banner held' : 'error-banner', text: msg.message }));
      return;
    case 'persist':
      keepState(msg.state);
      return;
  }
});

window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
    e.preventDefault();
    post({ type: busy ? 'cancel' : 'send' });
  }
});

keepTextKeysInFields();
selectKeys();

post({ type: 'ready' });
