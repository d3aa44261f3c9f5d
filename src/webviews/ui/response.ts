// The response viewer's UI (browser side): status, time and size; tabs Body, Headers, Cookies, Timeline; history.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { SECRET_MASK } from '../../collections/secrets/mask';
import type { ConsoleView, ResponseView, TestView, ViewerCommand, ViewerNotification } from '../protocol';
import { formatBytes, h, keepState, keptTab, tabs, vscode } from './dom';
import { focusList, selectKeys } from './selectKeys';
import './response.css';

const app = document.getElementById('app') as HTMLElement;
let tabIndex = keptTab();

function post(cmd: ViewerCommand): void {
  vscode.postMessage(cmd);
}

function statusClass(status: number, error?: string): string {
  if (error !== undefined || status === 0) return 'status-error';
  if (status < 300) return 'status-2xx';
  if (status < 400) return 'status-3xx';
  if (status < 500) return 'status-4xx';
  return 'status-5xx';
}

/** JSON pretty-printed into token spans (text via textContent only). */
function jsonView(value: unknown): HTMLElement {
  const pre = h('pre', { class: 'body json' });
  const text = JSON.stringify(value, null, 2);
  const re = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) pre.append(text.slice(last, m.index));
    const cls = m[1] ? (m[2] ? 'tok-key' : 'tok-string') : m[3] ? 'tok-literal' : 'tok-number';
    pre.append(h('span', { class: cls, text: m[1] ?? m[0] }));
    if (m[1] && m[2]) pre.append(m[2]);
    last = m.index + m[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

/** XML / HTML source, tags coloured (text via textContent only). */
function markupView(text: string): HTMLElement {
  const pre = h('pre', { class: 'body markup' });
  const re = /<!--[\s\S]*?-->|<\/?[A-Za-z][^>]*>/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) pre.append(text.slice(last, m.index));
    pre.append(h('span', { class: m[0].startsWith('<!--') ? 'tok-comment' : 'tok-tag', text: m[0] }));
    last = m.index + m[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

function bodyTab(r: ResponseView): HTMLElement {
  const out = h('div');
  if (r.truncated) {
    out.append(h('div', { class: 'notice' }, h('span', { text: 'The body is too large to show in full. ' }),
      h('vscode-button', { secondary: true, on: { click: () => post({ type: 'openInEditor' }) } }, 'Open in Editor')));
  }
  if (r.error !== undefined) {
    out.append(h('pre', { class: 'body error', text: r.error }));
  } else if (r.bodyKind === 'none') {
    out.append(h('p', { class: 'hint', text: 'No body.' }));
  } else if (r.bodyKind === 'image') {
    out.append(h('img', { class: 'image', src: r.body, alt: 'Response image' }));
  } else if (r.bodyKind === 'binary') {
    out.append(h('p', { class: 'hint', text: `Binary body (${r.contentType || 'unknown type'}, ${formatBytes(r.size)}). Use "Save Body As..." to keep it.` }));
  } else {
    const ct = r.contentType.toLowerCase();
    let shown: HTMLElement | undefined;
    if (ct.includes('json') && !r.truncated) {
      try {
        shown = jsonView(JSON.parse(r.body));
      } catch {
        shown = undefined;
      }
    } else if (ct.includes('xml') || ct.includes('html')) {
      shown = markupView(r.body);
    }
    out.append(shown ?? h('pre', { class: 'body', text: r.body }));
  }
  return out;
}

/** The tests of the request's scripts: passed, failed with the assertion's message, skipped. */
function testsTab(tests: readonly TestView[], scriptError: string | undefined): HTMLElement {
  const out = h('div', { class: 'tests' });
  if (scriptError) out.append(h('div', { class: 'script-error', text: scriptError }));
  if (tests.length === 0) {
    out.append(h('p', { class: 'hint', text: 'No tests. A script adds one with insomnia.test(\'name\', () => insomnia.expect(...)).' }));
    return out;
  }
  for (const t of tests) {
    const icon = t.status === 'passed' ? 'pass' : t.status === 'failed' ? 'error' : 'circle-slash';
    out.append(
      h('div', { class: `test test-${t.status}`, 'attr:data-status': t.status },
        h('span', { class: `codicon codicon-${icon}` }),
        h('span', { class: 'test-name', text: t.name }),
        h('span', { class: 'test-phase', text: t.phase }),
        t.error ? h('div', { class: 'test-error', text: t.error }) : null,
      ),
    );
  }
  return out;
}

/** What the scripts printed, each line with its level. */
function consoleTab(lines: readonly ConsoleView[]): HTMLElement {
  if (lines.length === 0) return h('p', { class: 'hint', text: 'The scripts printed nothing (console.log in a script prints here).' });
  return h('div', { class: 'console' }, ...lines.map((l) => h('pre', { class: `console-line console-${l.level}`, text: `${l.level === 'log' ? '' : `${l.level}: `}${l.text}` })));
}

function table(rows: readonly (readonly string[])[], head: readonly string[]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'hint', text: 'None.' });
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { text: c })))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', { text: c }))))));
}

function render(r: ResponseView | undefined, history: readonly { index: number; label: string }[], index: number): void {
  if (!r) {
    app.replaceChildren(h('p', { class: 'hint', text: 'No response yet. Send the request (Ctrl+Enter in the editor).' }));
    return;
  }
  const statusText = r.error !== undefined ? 'Error' : `${r.status} ${r.statusText}`;
  const noBody = r.error !== undefined && r.size === 0;
  const historySelect = h('vscode-single-select', {
    class: 'history',
    title: 'Previous responses',
    on: { change: (e) => post({ type: 'showHistory', index: Number((e.target as unknown as { value: string }).value) }) },
  }, ...history.map((item) => h('vscode-option', { value: String(item.index), text: item.label, selected: item.index === index })));
  const tests = r.tests ?? [];
  const passed = tests.filter((x) => x.status === 'passed').length;
  const failedTests = tests.filter((x) => x.status === 'failed').length;
  const lines = r.console ?? [];
  const had = document.activeElement;
  const t = tabs(
    ['Body', `Headers (${r.headers.length})`, `Cookies (${r.cookies.length})`, 'Timeline', tests.length ? `Tests (${passed}/${tests.length})` : 'Tests', `Console (${lines.length})`],
    (i) => {
      switch (i) {
        case 0: return bodyTab(r);
        case 1: return table(r.headers.map(([k, v]) => [k, v]), ['Name', 'Value']);
        case 2: return table(r.cookies.map((c) => [c.name, c.value, c.domain ?? '', c.path ?? '', c.expires ?? '']), ['Name', 'Value', 'Domain', 'Path', 'Expires']);
        case TESTS_TAB: return testsTab(tests, r.scriptError);
        case 5: return consoleTab(lines);
        default: return h('div', { class: 'timeline' }, ...r.timeline.map((e) => h('pre', { class: `tl tl-${e.kind}`, text: e.kind === 'requestHead' ? prefix(e.text, '> ') : e.kind === 'responseHead' ? prefix(e.text, '< ') : `* ${e.text}` })));
      }
    },
    tabIndex,
    (i) => { tabIndex = i; keepState(undefined, i); },
  );
  app.replaceChildren(
    h('div', { class: 'summary' },
      h('span', { class: `status ${statusClass(r.status, r.error)}`, text: statusText }),
      h('span', { class: 'metric', text: `${r.elapsedMs < 1000 ? `${Math.round(r.elapsedMs)} ms` : `${(r.elapsedMs / 1000).toFixed(2)} s`}` }),
      h('span', { class: 'metric', text: formatBytes(r.size) }),
      // a script that failed after its tests passed says so beside them (not a red 'Tests 1/1' alone), its message on
      // hover; a click shows the Tests tab, where the tests and the error are written out
      tests.length || r.scriptError
        ? h('button', { class: `tests-badge ${failedTests || r.scriptError ? 'tests-failed' : 'tests-passed'}`, text: [tests.length ? `Tests ${passed}/${tests.length}` : '', r.scriptError ? 'Script error' : ''].filter(Boolean).join(' · '), title: r.scriptError ?? 'Show the tests', on: { click: () => t.select(TESTS_TAB) } })
        : null,
      h('span', { class: 'spacer' }),
      history.length > 1 ? historySelect : null,
    ),
    h('div', { class: 'request mono', text: `${r.method} ${r.url}` }),
    ...(r.masked ? [h('p', { class: 'hint', text: `Kept from an earlier session: the values sent from secrets show as ${SECRET_MASK}.` })] : []),
    h('div', { class: 'actions' },
      // a request that got no response (not sent, refused, cut) has no body to open or save
      h('vscode-button', { secondary: true, icon: 'go-to-file', disabled: noBody, title: noBody ? 'No response body' : undefined, on: { click: () => post({ type: 'openInEditor' }) } }, 'Open in Editor'),
      h('vscode-button', { secondary: true, icon: 'save-as', disabled: noBody, title: noBody ? 'No response body' : undefined, on: { click: () => post({ type: 'saveBodyAs' }) } }, 'Save Body As...'),
      h('vscode-button', { secondary: true, icon: 'copy', on: { click: () => post({ type: 'copyAsCurl' }) } }, 'Copy as cURL'),
    ),
    t.root,
  );
  // the history list a response was chosen in with the keys is drawn again with it: the new one has the focus
  if (had?.classList.contains('history') && !had.isConnected) focusList(historySelect);
}

/** the Tests tab's index among the viewer's tabs. */
const TESTS_TAB = 4;

function prefix(text: string, p: string): string {
  return text.split('\n').map((l) => p + l).join('\n');
}

window.addEventListener('message', (event: MessageEvent<ViewerNotification>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'response':
      render(msg.response, msg.history, msg.index);
      return;
    case 'pending':
      app.prepend(h('div', { class: 'pending' }, h('vscode-progress-ring', { class: 'ring' }), h('span', { text: `Sending ${msg.requestName}...` })));
      return;
    case 'persist':
      keepState(msg.state);
      return;
  }
});

selectKeys();
post({ type: 'ready' });
