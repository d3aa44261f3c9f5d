// The environment editor's UI (browser side): the collection's environments on the left, the chosen one's variables
// on the right as a table (name, type, value; add, rename, delete, drag to reorder) or as JSON, with its name, colour
// and private flag. The rows the user edits are the truth: each change posts the whole list of variables as one
// `edit` (the host merges and writes them), and a state from the host that does not include the latest edit, or that
// arrives while a row cannot be saved (an empty or repeated name, a number or JSON that does not parse), is not shown.
// What cannot be saved yet is given to the host to keep (a `draft`), which gives it back to the page that loads when the
// tab is shown again (a hidden webview's page is dropped) or the environment is chosen again.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { EnvironmentDraft, EnvironmentEditFields, EnvironmentEditorCommand, EnvironmentEditorNotification, EnvironmentEditorState, EnvironmentListEntry, VariableValue } from '../protocol';
import { h, icon, setText, tabs, vscode } from './dom';
import { keepFieldKeys, keepTextKeysInFields, keptListeners, replaceKeepingFields, standIn } from './fieldKeys';
import { KeyedRows, type RowMatching } from '../rowKeys';
import { setTemplateSource, templateInput } from './templateInput';
import { TAG_COMPLETIONS, variableInsert } from '../templateField';
import { retypedText, type VarType } from '../variableType';
import { selectKeys } from './selectKeys';
import './environments.css';

interface Row {
  name: string;
  type: VarType;
  /** the value as typed (a number or JSON as text). */
  text: string;
}

/** Insomnia's environment colours, and none. */
const COLORS = ['#7d69cb', '#59a210', '#1f9cd8', '#ff9a1f', '#dd2f2f', '#d36ab4', '#2b8a9a', '#8b8b8b'];

let state: EnvironmentEditorState | undefined;
/** A variable the same as the table shows it, and one that may be another renamed or retyped in place. */
const ROW_MATCH: RowMatching<Row> = {
  idOf: () => undefined,
  same: (a, b) => a.name === b.name && a.type === b.type && a.text === b.text,
  similar: (a, b) => a.name === b.name || (a.text !== '' && a.text === b.text),
};
/** the variables as the table shows them, each with its key (rowKeys.ts): a row keeps its fields through changes elsewhere. */
let table = new KeyedRows<Row>([], ROW_MATCH);
let jsonText = '';
let invalid = '';
/** why the JSON tab's text cannot be saved, when it is what cannot be. */
let jsonInvalid = '';
/** what the host kept of an environment's typing that could not be saved (EnvironmentDraft), until that environment is shown. */
let draft: EnvironmentDraft | undefined;
let tabIndex = 0;
const app = document.getElementById('app') as HTMLElement;

function post(cmd: EnvironmentEditorCommand): void {
  vscode.postMessage(cmd);
}

let seq = Date.now();
let lastEdit = 0;

function typeOf(v: VariableValue): VarType {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'json';
}

function textOf(v: VariableValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function rowsOf(variables: readonly (readonly [string, VariableValue])[]): Row[] {
  return variables.map(([name, v]) => ({ name, type: typeOf(v), text: textOf(v) }));
}

/** A row's value, or an error that says why it cannot be saved. */
function valueOf(row: Row): { value: VariableValue } | { error: string } {
  switch (row.type) {
    case 'string':
      return { value: row.text };
    case 'boolean':
      return { value: row.text === 'true' };
    case 'number': {
      const n = Number(row.text);
      return row.text.trim() !== '' && Number.isFinite(n) ? { value: n } : { error: `"${row.name}" is not a number` };
    }
    case 'json':
      try {
        return { value: JSON.parse(row.text) as VariableValue };
      } catch {
        return { error: `"${row.name}" is not valid JSON` };
      }
  }
}

function variablesOfRows(): { variables: [string, VariableValue][] } | { error: string } {
  const out: [string, VariableValue][] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    if (row.name === '') return { error: 'A variable needs a name' };
    if (seen.has(row.name)) return { error: `Two variables are named "${row.name}"` };
    seen.add(row.name);
    const v = valueOf(row);
    if ('error' in v) return v;
    out.push([row.name, v.value]);
  }
  return { variables: out };
}

/** the names the template fields were last given (JSON), so that they are given again only when they change. */
let namesOffered = '';

/**
 * Gives the template fields the variables they may use: the inherited ones and this environment's as the table holds
 * them (a variable added or renamed here is known at once, not once the host's state differs from the page's).
 */
function offerNames(): void {
  const s = state;
  if (!s) return;
  const names = [...new Set([...s.inherited, ...s.current.variables.map(([n]) => n)])];
  const key = JSON.stringify(names);
  if (key === namesOffered) return;
  namesOffered = key;
  const items = [...names.map((n) => ({ label: n, detail: n.startsWith('vault.') ? 'vault' : s.inherited.includes(n) ? 'base' : 'this environment', insert: variableInsert(n) })), ...TAG_COMPLETIONS];
  const known = new Set(names);
  setTemplateSource({ items: () => items, known: () => known });
}

function edit(fields: EnvironmentEditFields): void {
  if (!state) return;
  lastEdit = ++seq;
  const current = state.current;
  // what the fields held before this edit: the host merges a change made on disk since, variable by variable
  const base: EnvironmentEditFields = {
    ...(fields.name !== undefined ? { name: current.name } : {}),
    ...(fields.color !== undefined ? { color: current.color } : {}),
    ...(fields.variables ? { variables: current.variables } : {}),
  };
  post({ type: 'edit', id: current.id, fields, seq: lastEdit, base });
  state = { ...state, current: { ...current, ...(fields.name !== undefined ? { name: fields.name } : {}), ...(fields.color !== undefined ? { color: fields.color } : {}), ...(fields.variables ? { variables: fields.variables } : {}) } };
  // (not while a name is typed: a change to the page's other fields breaks the run of typing Ctrl+Z takes back in the
  // name field; the names are given when it loses the focus)
  if (fields.variables && !(document.activeElement instanceof HTMLInputElement && document.activeElement.getAttribute('aria-label') === 'Variable name')) offerNames();
}

/** Posts the rows when they can be saved; else shows why not, and gives the host what was typed to keep. */
function rowsChanged(): void {
  const out = variablesOfRows();
  const status = document.getElementById('status');
  if ('error' in out) {
    invalid = out.error;
    if (status) setText(status, out.error);
    status?.classList.add('error');
    if (state) post({ type: 'draft', id: state.current.id, base: state.current.variables, rows: table.rows.map((r) => ({ name: r.name, type: r.type, text: r.text })) });
    return;
  }
  invalid = '';
  if (status) {
    setText(status, '');
    status.classList.remove('error');
  }
  edit({ variables: out.variables });
}

// ---------- the table

function typeSelect(row: Row, onChange: () => void): HTMLElement {
  const el = h('vscode-single-select', {
    class: 'type',
    title: 'Type',
    on: {
      change: () => {
        const next = (el as unknown as { value: string }).value as VarType;
        const v = valueOf(row);
        row.type = next;
        if ('value' in v) row.text = retypedText(v.value, next);
        onChange();
      },
    },
  }, ...(['string', 'number', 'boolean', 'json'] as const).map((t) => h('vscode-option', { value: t, text: { string: 'Text', number: 'Number', boolean: 'Boolean', json: 'JSON' }[t], selected: t === row.type })));
  return el;
}

function variablesTable(masked: boolean): HTMLElement {
  let list = h('div', { class: 'vars', 'attr:role': 'table' });
  // a redraw that keeps a field of the table keeps the table holding it: drawn again from then on in its place
  standIn(list, (old) => (list = old));
  const rerender = () => list.replaceWith(variablesTable(masked));
  let dragFrom = -1;
  const rows = table.rows;
  rows.forEach((row, i) => {
    const rowKey = table.keys[i];
    // (kept through a redraw whose text is the same, with its undo history: it then calls this page's listeners)
    const nameInput = keptListeners(h('input', {
      type: 'text',
      value: row.name,
      placeholder: 'name',
      class: 'tpl-input',
      spellcheck: false,
      'attr:aria-label': 'Variable name',
      'attr:data-key': `var:${i}:name`,
      'attr:data-field': `var#${rowKey}:name`,
    }), {
      input: (e: Event) => {
        row.name = (e.target as HTMLInputElement).value;
        rowsChanged();
      },
      blur: () => offerNames(),
      keydown: (e: Event) => {
        const k = e as KeyboardEvent;
        if (!k.altKey || (k.key !== 'ArrowUp' && k.key !== 'ArrowDown')) return;
        const j = k.key === 'ArrowUp' ? i - 1 : i + 1;
        if (j < 0 || j >= table.rows.length) return;
        k.preventDefault();
        table.move(i, j);
        rowsChanged();
        rerender();
        (document.querySelector(`[data-key="var:${j}:name"]`) as HTMLElement | null)?.focus();
      },
    });
    const name = h('div', { class: 'tpl-box' }, nameInput);
    let value: HTMLElement;
    if (row.type === 'boolean') {
      value = h('vscode-checkbox', {
        checked: row.text === 'true',
        label: row.text === 'true' ? 'true' : 'false',
        'attr:data-key': `var:${i}:value`,
        'attr:data-field': `var#${rowKey}:value`,
        on: {
          change: (e: Event) => {
            row.text = (e.target as unknown as { checked: boolean }).checked ? 'true' : 'false';
            (e.target as unknown as { label: string }).label = row.text;
            rowsChanged();
          },
        },
      });
    } else if (row.type === 'string') {
      // a value may use the other variables: highlighted and offered as in the request editor
      value = templateInput({
        value: row.text,
        placeholder: 'value',
        password: masked,
        dataKey: `var:${i}:value`,
        fieldKey: `var#${rowKey}:value`,
        ariaLabel: `Value of ${row.name}`,
        onInput: (v) => {
          row.text = v;
          rowsChanged();
        },
      });
    } else {
      value = h('vscode-textfield', {
        value: row.text,
        placeholder: row.type === 'json' ? '{ "json": true }' : '0',
        class: row.type === 'json' ? 'mono' : '',
        'attr:data-key': `var:${i}:value`,
        'attr:data-field': `var#${rowKey}:value`,
        on: {
          input: () => {
            row.text = (value as unknown as { value: string }).value;
            rowsChanged();
          },
        },
      });
    }
    const handle = h('span', { class: 'drag codicon codicon-gripper', title: 'Drag to reorder (or Alt+Up / Alt+Down in the name)', draggable: true, 'attr:data-drag': String(i) });
    let line = h('div', { class: 'var-row', 'attr:role': 'row', 'attr:data-row': String(i) },
      handle, name, masked ? h('span', { class: 'type-fixed hint', text: 'Secret' }) : typeSelect(row, () => { rowsChanged(); rerender(); }), value,
      h('button', { class: 'icon-button', title: 'Delete variable', 'attr:data-delete': String(i), on: { click: () => { table.remove(i); rowsChanged(); rerender(); } } }, icon('trash')),
    );
    standIn(line, (old) => (line = old));
    handle.addEventListener('dragstart', (e) => {
      dragFrom = i;
      (e as DragEvent).dataTransfer?.setData('text/plain', String(i));
      line.classList.add('dragging');
    });
    handle.addEventListener('dragend', () => line.classList.remove('dragging'));
    line.addEventListener('dragover', (e) => {
      e.preventDefault();
      line.classList.add('drop-target');
    });
    line.addEventListener('dragleave', () => line.classList.remove('drop-target'));
    line.addEventListener('drop', (e) => {
      e.preventDefault();
      const from = dragFrom >= 0 ? dragFrom : Number((e as DragEvent).dataTransfer?.getData('text/plain'));
      dragFrom = -1;
      // (this row's place now: the line may be one kept through redraws, its row moved since it was drawn)
      const to = table.keys.indexOf(rowKey);
      if (!Number.isInteger(from) || from < 0 || from >= table.rows.length || to === -1 || from === to) return rerender();
      table.move(from, to);
      rowsChanged();
      rerender();
    });
    list.append(line);
  });
  list.append(h('div', { class: 'row' },
    h('vscode-button', { id: 'add-variable', secondary: true, icon: 'add', on: { click: () => {
      let n = 1;
      while (table.rows.some((r) => r.name === (n === 1 ? 'new_variable' : `new_variable_${n}`))) n++;
      table.add({ name: n === 1 ? 'new_variable' : `new_variable_${n}`, type: 'string', text: '' });
      rowsChanged();
      rerender();
      // the new row's name, selected: typing names it
      const field = document.querySelector(`[data-key="var:${table.rows.length - 1}:name"]`) as HTMLInputElement | null;
      field?.focus();
      field?.select();
    } } }, 'Add Variable'),
    h('span', { id: 'status', class: invalid ? 'hint error' : 'hint', text: invalid })));
  return list;
}

/**
 * Enter in the JSON text keeps the line's indentation, two spaces more after an opening `{` or `[`, as a code editor
 * does (JSON.stringify's indent); typed through insertText, so the input event follows and Undo takes it back at once.
 */
function keepIndent(area: HTMLElement): void {
  area.addEventListener('keydown', (e) => {
    const text = area.shadowRoot?.querySelector('textarea');
    if (e.key !== 'Enter' || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || !text) return;
    const line = text.value.slice(text.value.lastIndexOf('\n', text.selectionStart - 1) + 1, text.selectionStart);
    const indent = /^[ \t]*/.exec(line)![0] + (/[{[]\s*$/.test(line) ? '  ' : '');
    if (!indent) return;
    e.preventDefault();
    document.execCommand('insertText', false, `\n${indent}`);
  });
}

function jsonView(): HTMLElement {
  // (a draft given back: why it is not saved, at once)
  const status = h('div', { class: jsonInvalid ? 'hint error' : 'hint', text: jsonInvalid });
  const keep = () => state && post({ type: 'draft', id: state.current.id, base: state.current.variables, json: jsonText });
  const area = h('vscode-textarea', {
    value: jsonText,
    rows: 18,
    monospace: true,
    class: 'code',
    resize: 'vertical',
    'attr:data-key': 'json',
    on: {
      input: () => {
        jsonText = (area as unknown as { value: string }).value;
        let parsed: unknown;
        try {
          parsed = jsonText.trim() === '' ? {} : JSON.parse(jsonText);
        } catch (e) {
          invalid = jsonInvalid = `Invalid JSON: ${(e as Error).message}`;
          setText(status, invalid);
          status.classList.add('error');
          keep();
          return;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          invalid = jsonInvalid = 'An environment is a JSON object: { "name": "value" }';
          setText(status, invalid);
          status.classList.add('error');
          keep();
          return;
        }
        invalid = jsonInvalid = '';
        setText(status, '');
        status.classList.remove('error');
        table.follow(rowsOf(Object.entries(parsed as Record<string, VariableValue>)));
        edit({ variables: Object.entries(parsed as Record<string, VariableValue>) });
      },
    },
  });
  keepIndent(area);
  return h('div', {}, area, status,
    h('div', { class: 'row' }, h('vscode-button', { secondary: true, icon: 'go-to-file', on: { click: () => state && post({ type: 'openJson', id: state.current.id }) } }, 'Open in Editor'),
      h('span', { class: 'hint', text: 'Edit it in a VS Code editor beside this one: saving writes the variables.' })));
}

// ---------- the page

/** A dot in the environment's colour (set through the CSSOM: the page's CSP allows no inline style). */
function colorDot(color: string | null): HTMLElement {
  const dot = h('span', { class: 'dot' });
  if (color) dot.style.background = color;
  return dot;
}

function listEntry(e: EnvironmentListEntry, selected: boolean): HTMLElement {
  const item = h('div', {
    class: `env-item${selected ? ' selected' : ''}${e.kind === 'sub' || e.kind === 'private' ? ' sub' : ''}`,
    'attr:role': 'option',
    'attr:aria-selected': String(selected),
    'attr:data-env': e.id,
    'attr:data-kind': e.kind,
    draggable: e.kind === 'sub' || e.kind === 'private',
    tabIndex: 0,
    on: {
      click: () => post({ type: 'select', id: e.id }),
      keydown: (ev: Event) => {
        if ((ev as KeyboardEvent).key === 'Enter') post({ type: 'select', id: e.id });
      },
    },
  },
  colorDot(e.color),
  e.kind === 'private' ? icon('lock') : e.kind === 'vault' ? icon('key') : null,
  h('span', { class: 'env-name', text: e.name }),
  e.active ? h('span', { class: 'badge', text: 'active' }) : null);
  item.addEventListener('dragstart', (ev) => (ev as DragEvent).dataTransfer?.setData('application/x-hammock-env', e.id));
  item.addEventListener('dragover', (ev) => {
    if (e.kind === 'sub' || e.kind === 'private' || e.kind === 'vault') ev.preventDefault();
  });
  item.addEventListener('drop', (ev) => {
    const id = (ev as DragEvent).dataTransfer?.getData('application/x-hammock-env');
    if (!id || id === e.id) return;
    ev.preventDefault();
    post({ type: 'move', id, before: e.kind === 'vault' ? undefined : e.id });
  });
  return item;
}

function colorPicker(current: string | null): HTMLElement {
  const wrap = h('div', { class: 'colors', 'attr:role': 'radiogroup', title: 'Colour' });
  const choose = (c: string | null) => {
    edit({ color: c });
    render();
  };
  wrap.append(h('button', { class: `swatch none${current === null ? ' chosen' : ''}`, title: 'No colour', 'attr:aria-label': 'No colour', on: { click: () => choose(null) } }, icon('circle-slash')));
  // a colour the file has that is not one of these (Insomnia's picker takes any)
  const palette = current && !COLORS.includes(current.toLowerCase()) ? [current, ...COLORS] : COLORS;
  for (const c of palette) {
    const swatch = h('button', { class: `swatch${current?.toLowerCase() === c ? ' chosen' : ''}`, title: c, 'attr:aria-label': c, 'attr:data-color': c, on: { click: () => choose(c) } });
    swatch.style.background = c;
    wrap.append(swatch);
  }
  return wrap;
}

/**
 * Draws the page. `keep`: the fields whose text the redraw does not change stay on the page with their undo history
 * (a save's echo, a change from outside); not when another environment is shown, whose fields are not the ones typed
 * in, even where they hold the same text (Ctrl+Z there would write the other environment's typing into this one).
 */
function render(keep = true): void {
  const s = state;
  if (!s) return;
  const cur = s.current;
  const masked = cur.kind === 'vault';
  const editable = cur.kind !== 'folder' && cur.kind !== 'vault';
  // (kept through a redraw whose name is the same, with its undo history: it then calls this page's listener)
  const name = keptListeners(h('vscode-textfield', {
    id: 'env-name',
    value: cur.name,
    disabled: !editable,
    'attr:data-key': 'env-name',
  }), { input: (e: Event) => edit({ name: (e.currentTarget as unknown as { value: string }).value }) });
  const entry = s.environments.find((e) => e.id === cur.id);
  const actions = h('div', { class: 'actions' });
  if (cur.kind !== 'folder' && cur.kind !== 'vault') {
    actions.append(entry?.active
      ? h('span', { class: 'badge', text: 'Active' })
      : h('vscode-button', { id: 'activate', secondary: true, icon: 'check', on: { click: () => post({ type: 'activate', id: cur.id }) } }, 'Use This Environment'));
  }
  if (cur.kind === 'sub' || cur.kind === 'private') {
    actions.append(
      h('button', { class: 'icon-button', title: 'Duplicate', on: { click: () => create({ type: 'duplicate', id: cur.id }) } }, icon('copy')),
      h('button', { class: 'icon-button', id: 'delete-env', title: 'Delete', on: { click: () => post({ type: 'delete', id: cur.id }) } }, icon('trash')),
    );
  }
  const header = h('div', { class: 'env-head' },
    h('div', { class: 'row' }, h('label', { text: 'Name' }), name, actions),
    editable ? h('div', { class: 'row color-row' }, h('label', { text: 'Colour' }), colorPicker(cur.color)) : null,
    cur.kind === 'sub' || cur.kind === 'private'
      ? h('div', { class: 'row private-row' }, h('label', { text: 'Private' }),
          h('vscode-checkbox', { id: 'private', checked: cur.isPrivate, label: 'Only on this machine, never in git (VS Code SecretStorage)', on: { change: (e: Event) => {
            const box = e.target as unknown as { checked: boolean };
            post({ type: 'setPrivate', id: cur.id, private: box.checked });
            // the box says where the environment is, not what was asked: it shows the move once the host made it (the
            // host asks first, and a Cancel or a failure leaves the environment where it was)
            box.checked = cur.isPrivate;
          } } }))
      : null,
    h('div', { class: 'hint stored', text: `Stored in ${cur.storedIn}` }),
    cur.warning ? h('div', { class: 'hint error', text: cur.warning }) : null);
  const t = tabs(masked ? ['Table'] : ['Table', 'JSON'], (i) => (i === 0 ? variablesTable(masked) : jsonView()), masked ? 0 : tabIndex, (i) => {
    tabIndex = i;
  });
  const main = h('main', { class: 'env-main' }, header, t.root);
  if (s.environments.length === 0) {
    show(keep, [h('header', { class: 'title' }, h('span', { class: 'collection', text: s.collectionName }), h('span', { class: 'sep', text: '/' }), h('span', { class: 'name', text: `${cur.name} · environment` })), main]);
    return;
  }
  const side = h('nav', { class: 'env-list', 'attr:role': 'listbox', 'attr:aria-label': 'Environments' },
    ...s.environments.map((e) => listEntry(e, e.id === cur.id)),
    h('div', { class: 'env-new' },
      h('vscode-button', { id: 'new-env', secondary: true, icon: 'add', on: { click: () => create({ type: 'create', kind: 'sub' }) } }, 'Environment'),
      h('vscode-button', { id: 'new-private', secondary: true, icon: 'lock', on: { click: () => create({ type: 'create', kind: 'private' }) } }, 'Private')));
  show(keep, [
    h('header', { class: 'title' }, h('span', { class: 'collection', text: s.collectionName }), h('span', { class: 'sep', text: '/' }), h('span', { class: 'name', text: s.title })),
    h('div', { class: 'env-layout' }, side, main),
  ]);
}

/** A new environment asked for (New, Private, Duplicate): its name takes the focus when it is shown (nameNew). */
let naming = false;

function create(cmd: EnvironmentEditorCommand): void {
  naming = true;
  post(cmd);
}

/** The name field of the environment just made, focused with its text selected: typing names it, as Add Variable's row. */
function nameNew(): void {
  naming = false;
  const field = document.getElementById('env-name') as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
  void field?.updateComplete?.then(() => {
    field.focus();
    field.shadowRoot?.querySelector('input')?.select();
  });
}

function show(keep: boolean, page: HTMLElement[]): void {
  if (keep) replaceKeepingFields(app, page);
  else app.replaceChildren(...page);
}

function applyState(next: EnvironmentEditorState, stateSeq: number): void {
  if (stateSeq < lastEdit) return;
  // the edits are in (saved, or the file's version chosen): a "not saved" message is over
  for (const banner of document.querySelectorAll('.error-banner.held')) banner.remove();
  // what cannot be saved yet stays on screen while it is typed; a switch to another environment shows at once
  if (invalid && state && next.current.id === state.current.id) return;
  if (state && JSON.stringify(state) === JSON.stringify(next)) return;
  const switched = !state || state.current.id !== next.current.id;
  state = next;
  // another environment's rows are other rows, even where they read the same
  if (switched) table = new KeyedRows(rowsOf(next.current.variables), ROW_MATCH);
  else table.follow(rowsOf(next.current.variables));
  jsonText = JSON.stringify(Object.fromEntries(next.current.variables), null, 2);
  invalid = jsonInvalid = '';
  if (switched && next.current.kind === 'vault') tabIndex = 0;
  const kept = takeDraft();
  offerNames();
  keepFieldKeys(() => render(!switched && !kept));
  if (switched && naming) nameNew();
}

/**
 * What was typed in the environment shown and could not be saved, given back by the host (this page is a new one: its
 * tab was hidden, or the environment chosen again): on the page as it was typed, with why it is not saved. Whether
 * there was one.
 */
function takeDraft(): boolean {
  const d = draft;
  if (!d || !state || d.id !== state.current.id) return false;
  draft = undefined;
  // typed against what the page held then: the edit it becomes is merged with a change made on disk since, as any
  state = { ...state, current: { ...state.current, variables: d.base } };
  if (d.rows) {
    table = new KeyedRows(d.rows.map((r) => ({ ...r })), ROW_MATCH);
    const out = variablesOfRows();
    invalid = 'error' in out ? out.error : '';
  }
  if (d.json !== undefined && state.current.kind !== 'vault') {
    jsonText = d.json;
    tabIndex = 1;
    try {
      const parsed: unknown = JSON.parse(d.json);
      invalid = jsonInvalid = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? '' : 'An environment is a JSON object: { "name": "value" }';
    } catch (e) {
      invalid = jsonInvalid = `Invalid JSON: ${(e as Error).message}`;
    }
  }
  return true;
}

window.addEventListener('message', (event: MessageEvent<EnvironmentEditorNotification>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'state':
      applyState(msg.state, msg.seq);
      return;
    case 'error':
      if (msg.held) for (const banner of document.querySelectorAll('.error-banner.held')) banner.remove();
      app.prepend(h('div', { class: msg.held ? 'error-banner held' : 'error-banner', text: msg.message }));
      return;
    case 'persist':
      vscode.setState(msg.state);
      return;
    case 'draft':
      draft = msg.draft;
      // the state came first: shown now (else when it comes)
      if (state && takeDraft()) keepFieldKeys(() => render(false));
      return;
  }
});

keepTextKeysInFields();
selectKeys();
post({ type: 'ready' });
