// The import preview's page (browser side): the format detected, the counts, what is not imported and why, the
// warnings, and the target (a new collection in a format, or an existing collection and folder); Import / Cancel.
// Text goes in through textContent only (dom.ts `h`).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { ImportSummaryView, ImportTargetChoice, PreviewCommand, PreviewNotification } from '../../importExport/importPreviewProtocol';
import { h, icon, vscode } from './dom';
import { selectKeys } from './selectKeys';
import './importPreview.css';

const app = document.getElementById('app') as HTMLElement;
let summary: ImportSummaryView | undefined;
let target: ImportTargetChoice | undefined;
let busy = false;
let failure: string | undefined;

function post(cmd: PreviewCommand): void {
  vscode.postMessage(cmd);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function select(options: readonly { value: string; label: string; disabled?: boolean }[], value: string, onChange: (v: string) => void, label: string): HTMLElement {
  const el = h('vscode-single-select', { 'attr:aria-label': label, on: { change: () => onChange((el as unknown as { value: string }).value) } },
    ...options.map((o) => h('vscode-option', { value: o.value, text: o.label, selected: o.value === value, disabled: o.disabled })));
  return el;
}

function countsTable(s: ImportSummaryView): HTMLElement {
  const head = h('tr', {}, ...['Collection', 'Folders', 'Requests', 'Environments'].map((t) => h('th', { text: t })));
  const rows = s.collections.map((c) =>
    h('tr', {},
      h('td', { text: c.name }),
      h('td', { class: 'num', text: String(c.folders) }),
      h('td', { class: 'num', text: c.otherRequests ? `${c.requests} + ${c.otherRequests} other` : String(c.requests) }),
      h('td', { class: 'num', text: String(c.environments) })));
  return h('table', { class: 'counts' }, h('thead', {}, head), h('tbody', {}, ...rows));
}

function droppedSection(s: ImportSummaryView): HTMLElement {
  if (!s.dropped.length) return h('p', { class: 'hint' }, icon('check'), ' Everything in the file is imported.');
  const total = s.dropped.reduce((n, d) => n + (d.count ?? 1), 0);
  return h('section', {},
    h('h3', {}, icon('warning'), ` Not imported (${total})`),
    h('ul', { class: 'dropped' }, ...s.dropped.map((d) =>
      h('li', {},
        h('span', { class: 'what', text: d.count && d.count > 1 ? `${d.what} (×${d.count})` : d.what }),
        h('span', { class: 'why', text: d.why })))));
}

function targetSection(s: ImportSummaryView): HTMLElement {
  const t = target ?? s.initialTarget;
  const intoOptions = [
    { value: 'new', label: 'A new collection' },
    ...s.existing.map((e) => ({ value: `existing:${e.collectionPath}`, label: `${e.name} (${e.where})` })),
  ];
  const into = select(intoOptions, t.kind === 'new' ? 'new' : `existing:${t.collectionPath}`, (v) => {
    if (v === 'new') {
      const firstAvailable = s.newFormats.find((f) => !f.unavailable)?.format ?? 'v5';
      target = { kind: 'new', format: s.initialTarget.kind === 'new' ? s.initialTarget.format : firstAvailable };
    } else {
      target = { kind: 'existing', collectionPath: v.slice('existing:'.length) };
    }
    render();
  }, 'Import into');
  const rows: HTMLElement[] = [h('div', { class: 'row' }, h('label', { text: 'Import into' }), into)];
  if (t.kind === 'new') {
    rows.push(h('div', { class: 'row' }, h('label', { text: 'File format' }),
      select(s.newFormats.map((f) => ({ value: f.format, label: f.unavailable ? `${f.label} (unavailable)` : f.label, disabled: !!f.unavailable })), t.format,
        (v) => { target = { kind: 'new', format: v === 'legacy' ? 'legacy' : 'v5' }; render(); }, 'File format')));
    const why = s.newFormats.find((f) => f.unavailable)?.unavailable;
    if (why) rows.push(h('p', { class: 'hint', text: why }));
  } else {
    const existing = s.existing.find((e) => e.collectionPath === t.collectionPath);
    const folders = [{ value: '', label: '(top level)' }, ...(existing?.folders ?? []).map((f) => ({ value: f.id, label: f.label }))];
    rows.push(h('div', { class: 'row' }, h('label', { text: 'Folder' }),
      select(folders, t.parentId ?? '', (v) => { target = { kind: 'existing', collectionPath: t.collectionPath, parentId: v || undefined }; render(); }, 'Folder')));
  }
  return h('section', { class: 'target' }, h('h3', { text: 'Target' }), ...rows);
}

function render(): void {
  const s = summary;
  if (!s) {
    app.replaceChildren(h('p', { class: 'hint', text: 'Reading the file...' }));
    return;
  }
  const t = target ?? s.initialTarget;
  const collections = s.collections.length;
  app.replaceChildren(
    h('h2', { text: `Import ${s.source}` }),
    h('p', { class: 'format' }, h('span', { class: 'hint', text: 'Format detected: ' }), h('strong', { text: s.format }),
      h('span', { class: 'hint', text: collections > 1 ? ` · ${plural(collections, 'collection')}` : '' })),
    countsTable(s),
    droppedSection(s),
    ...(s.warnings.length
      ? [h('section', {}, h('h3', {}, icon('info'), ` Warnings (${s.warnings.length})`), h('ul', { class: 'warnings' }, ...s.warnings.map((w) => h('li', { text: w }))))]
      : []),
    targetSection(s),
    ...(failure ? [h('div', { class: 'error-banner', 'attr:role': 'alert', text: failure })] : []),
    h('div', { class: 'actions' },
      h('vscode-button', { icon: 'cloud-download', disabled: busy, on: { click: () => { failure = undefined; post({ type: 'import', target: t }); } } }, 'Import'),
      h('vscode-button', { secondary: true, disabled: busy, on: { click: () => post({ type: 'cancel' }) } }, 'Cancel'),
      busy ? h('vscode-progress-ring', { class: 'ring' }) : null),
    h('p', { class: 'hint', text: 'Nothing is written before Import.' }),
  );
}

window.addEventListener('message', (event: MessageEvent<PreviewNotification>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'show':
      summary = msg.summary;
      busy = false;
      render();
      return;
    case 'busy':
      busy = true;
      render();
      return;
    case 'failed':
      busy = false;
      failure = msg.message;
      render();
      return;
  }
});

render();
selectKeys();
post({ type: 'ready' });
