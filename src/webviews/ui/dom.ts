// Small DOM helpers of the webview UIs. Text goes in through textContent and element properties only: nothing from
// the workspace or a response is ever parsed as HTML.

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

import { replaceKeepingFields, standIn } from './fieldKeys';
import { focusList } from './selectKeys';

export const vscode: VsCodeApi = acquireVsCodeApi();

/**
 * The tab a page showed, in its webview state beside the host's (`persist`): VS Code drops a hidden panel's page and
 * loads it again when it is shown, and the page came back on its first tab (Insomnia keeps each request's tab).
 */
export function keptTab(): number {
  const tab = (vscode.getState() as { tab?: unknown } | undefined)?.tab;
  return typeof tab === 'number' ? tab : 0;
}

/** Keeps `state` (the host's, `persist`; else the one kept) with the tab shown, `tab` (else the one kept). */
export function keepState(state?: object, tab = keptTab()): void {
  vscode.setState({ ...(state ?? (vscode.getState() as object | undefined)), tab });
}

/**
 * The focus kept through a redraw, as VS Code's own views keep it: a keyboard action or news from the host that draws
 * the focused control again (Send that becomes Cancel, a row's Remove, an environment chosen in the list) gave the
 * focus to the page's body, from where a keyboard user had to Tab from the top again. The control drawn in its stead
 * gets it: the one of the same id or key, else the one at its place among the page's controls of its kind (a removed
 * row's: the next row's, or the previous one's). Only while the page has the focus (never taken from another view).
 */
function keepFocus(): void {
  const CONTROLS = 'button,input,textarea,[tabindex]:not([tabindex="-1"]),vscode-button,vscode-checkbox,vscode-single-select,vscode-textfield,vscode-textarea';
  /** the focused control's place, and the next control's (where the focus goes when the redraw drew none in its stead) */
  let was: { el: Element; places: { sel: string; nth: number }[] } | undefined;
  const placeOf = (el: Element) => {
    const attr = ['id', 'data-field', 'data-key', 'data-env'].find((a) => el.hasAttribute(a));
    const title = el.getAttribute('title');
    const sel = attr
      ? `[${attr}="${CSS.escape(el.getAttribute(attr)!)}"]`
      : el.localName + (el.classList[0] ? `.${CSS.escape(el.classList[0])}` : '') + (title ? `[title="${CSS.escape(title)}"]` : '');
    return { sel, nth: [...document.querySelectorAll(sel)].indexOf(el) };
  };
  const note = () => {
    const el = document.activeElement;
    if (!el || el === document.body) return;
    const controls = [...document.querySelectorAll(CONTROLS)];
    const after = controls[controls.indexOf(el) + 1];
    was = { el, places: [placeOf(el), ...(after ? [placeOf(after)] : [])] };
  };
  document.addEventListener('focusin', note);
  // (the place as it is when the key acts: rows may have come and gone since the control got the focus)
  document.addEventListener('keydown', note, true);
  new MutationObserver(() => {
    if (!was || was.el.isConnected || (document.activeElement && document.activeElement !== document.body) || !document.hasFocus()) return;
    const next = was.places.map(({ sel, nth }) => {
      const all = document.querySelectorAll<HTMLElement>(sel);
      return all[Math.min(nth, all.length - 1)];
    }).find((x) => x);
    was = undefined;
    if (next) focusDrawn(next);
  }).observe(document.body, { childList: true, subtree: true });
}
keepFocus();

/**
 * Focuses `el`, which may be just drawn: a component (vscode-button) takes the focus once it is updated (its tabindex
 * is set then: before, focus() does nothing); a list on its face.
 */
function focusDrawn(el: HTMLElement): void {
  if (el.localName === 'vscode-single-select') return focusList(el);
  void Promise.resolve((el as { updateComplete?: unknown }).updateComplete).then(() => {
    if (el.isConnected && (document.activeElement === document.body || !document.activeElement)) el.focus();
  });
}

/**
 * Sets an element's text only when it differs. Chromium ends the typing that one Ctrl+Z takes back whenever the
 * document's text changes: a status line written again on every key (even with the same words) made each key typed
 * into a field an undo step of its own, so that Ctrl+Z after typing over a selection gave back one character.
 */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

type Props = Record<string, unknown> & { class?: string; text?: string; on?: Record<string, (e: Event) => void> };

/** An element with properties (`text` = textContent, `class`, `on` = listeners, other keys as properties or attributes). */
export function h<K extends string>(tag: K, props: Props = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'class') el.className = String(value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value as Record<string, (e: Event) => void>)) el.addEventListener(ev, fn);
    else if (key.startsWith('attr:')) el.setAttribute(key.slice(5), String(value));
    else (el as unknown as Record<string, unknown>)[key] = value;
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'attr:aria-hidden': 'true' });
}

/**
 * A tab strip: buttons and one visible panel. Returns the root; `select(i)` shows a tab. With `left` (the page's, kept
 * over its redraws), a tab shown again gets back the text fields it had when it was left whose text is still what
 * the tab draws (replaceKeepingFields): Ctrl+Z in the body after a look at the Headers tab takes the body's typing back.
 * One Tab stop, as the WAI-ARIA tabs pattern and VS Code's own tab lists have it: Tab enters on the selected tab and
 * leaves for the panel; the arrows, Home and End show another tab. A strip drawn again while a tab had the focus gives
 * it to the selected tab of the new strip (the old one's went to the page's body).
 */
export function tabs(names: readonly string[], render: (i: number) => HTMLElement, initial = 0, onSelect?: (i: number) => void, left?: Map<number, HTMLElement>) {
  let body = h('div', { class: 'tab-body' });
  // a redraw that keeps a field of the tab keeps the body holding it: the tabs show theirs there from then on
  standIn(body, (old) => (body = old));
  const buttons = names.map((name, i) =>
    h('button', { class: 'tab', text: name, 'attr:role': 'tab', on: { click: () => select(i) } }),
  );
  const keys = (e: Event) => {
    const n = buttons.length;
    const k = e as KeyboardEvent;
    const to = { ArrowRight: current + 1, ArrowLeft: current + n - 1, Home: 0, End: n - 1 }[k.key];
    // (with a modifier: the workbench's key, Alt+Left's Go Back)
    if (to === undefined || k.altKey || k.ctrlKey || k.metaKey || k.shiftKey) return;
    e.preventDefault();
    select(to % n);
    buttons[to % n].focus();
  };
  let current = initial;
  const select = (i: number) => {
    const leaving = body.firstElementChild;
    if (left && leaving instanceof HTMLElement && i !== current) left.set(current, leaving);
    current = i;
    buttons.forEach((b, j) => {
      b.classList.toggle('active', j === i);
      b.tabIndex = j === i ? 0 : -1;
      b.setAttribute('aria-selected', String(j === i));
    });
    const fresh = render(i);
    const before = left?.get(i);
    left?.delete(i);
    if (before && before !== leaving) {
      const holder = document.createElement('div');
      holder.append(before);
      replaceKeepingFields(holder, [fresh]);
      body.replaceChildren(...holder.childNodes);
    } else {
      body.replaceChildren(fresh);
    }
    onSelect?.(i);
  };
  const root = h('div', { class: 'tabs' }, h('div', { class: 'tab-strip', 'attr:role': 'tablist', on: { keydown: keys } }, ...buttons), body);
  select(initial);
  const had = document.activeElement;
  if (had?.getAttribute('role') === 'tab') queueMicrotask(() => !had.isConnected && document.activeElement === document.body && buttons[current].focus());
  /** sets tab `i`'s name (a count in it that an edit changed). */
  const rename = (i: number, name: string) => {
    if (buttons[i] && buttons[i].textContent !== name) buttons[i].textContent = name;
  };
  return { root, select, rename, get current() { return current; }, rerender: () => select(current) };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
