// Keystroke safety shared by the webview editors (request editor, environment editor).

/**
 * A field's key, what a redraw keeps it and gives it the focus back by: its `data-field` when it has one (a table
 * row's field: its row's key, rowKeys.ts), else its `data-key`. A table row's `data-key` says its place
 * (`headers:2:value`), which a row deleted above it changes.
 */
function keyOf(el: HTMLElement | null | undefined): string | undefined {
  return el?.dataset?.field ?? el?.dataset?.key;
}

function fieldWithKey(key: string): HTMLElement | null {
  const k = CSS.escape(key);
  return document.querySelector(`[data-field="${k}"]`) ?? document.querySelector(`[data-key="${k}"]:not([data-field])`);
}

/**
 * Re-renders the page keeping the focused field (by its key), its caret and selection: a state from the host never
 * moves the caret of the field being typed in.
 */
export function keepFieldKeys(render: () => void): void {
  const focused = document.activeElement as HTMLElement | null;
  const focusKey = keyOf(focused);
  const inner = textOf(focused);
  const caret = inner ? [inner.selectionStart, inner.selectionEnd] : undefined;
  render();
  if (!focusKey) return;
  const again = fieldWithKey(focusKey);
  again?.focus();
  const field = textOf(again);
  if (field && caret && caret[0] !== null && caret[1] !== null) field.setSelectionRange(caret[0], caret[1]);
}

/** The text control of a field: itself (a plain input or textarea) or the one in its shadow root (vscode-elements). */
function textOf(el: Element | null | undefined): HTMLInputElement | HTMLTextAreaElement | null | undefined {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el;
  return el?.shadowRoot?.querySelector('input, textarea') as HTMLInputElement | null | undefined;
}

/**
 * Select All, Undo and Redo in a text field stay in the field. The webview's host page forwards every key it sees to
 * the workbench, which answers Ctrl+A with a select-all command sent back into the page a few milliseconds later:
 * typed right after Ctrl+A, the first characters landed before that second select-all and were replaced by the next
 * key (`http` saved as `ttp`). Stopped here, on the document, the key never reaches the host page's listener on the
 * window, and the browser's own select-all, undo and redo act at once, as in any text field.
 */
export function keepTextKeysInFields(): void {
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key !== 'a' && key !== 'z' && key !== 'y') return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const editable = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || !!target?.isContentEditable;
    if (editable) e.stopPropagation();
  });
}

/** What a node built for a page drawn again does when the old page's node stays in its place (replaceKeepingFields). */
const standIns = new WeakMap<Node, (old: HTMLElement) => void>();

/**
 * Lets the old page's node stay on the page in place of `fresh` when it is drawn again (replaceKeepingFields):
 * `adopt` gets the old node, to point at it what pointed at `fresh` (a field's handlers, a tab strip's body). A text
 * field (its unit: the field, or a wrapper around it) is kept only when it was built with this; the plain elements
 * between it and the page's root must carry no handlers of their own (they take the new ones' attributes only).
 */
export function standIn(fresh: HTMLElement, adopt: (old: HTMLElement) => void): void {
  standIns.set(fresh, adopt);
}

/** The listeners of an element built with `keptListeners`, by element: a kept one calls those of the page drawn last. */
const listenersOf = new WeakMap<HTMLElement, Record<string, (e: Event) => void>>();

/**
 * Gives `el` its listeners so that, kept through a redraw (replaceKeepingFields) in place of the new page's element,
 * it calls the new page's listeners (which see the new page's rows), not the old page's. Returns `el`.
 */
export function keptListeners<T extends HTMLElement>(el: T, listeners: Record<string, (e: Event) => void>): T {
  listenersOf.set(el, { ...listeners });
  for (const type of Object.keys(listeners)) el.addEventListener(type, (e) => listenersOf.get(el)?.[type]?.(e));
  standIn(el, (old) => {
    const kept = listenersOf.get(old);
    if (kept) Object.assign(kept, listeners);
  });
  return el;
}

type TextField = HTMLElement & { value: string; type?: string };

/** The nearest node at or above `el` (below `root`) built with standIn, and how many steps up it is. */
function unitOf(el: HTMLElement, root: Node): { unit: HTMLElement; up: number } | undefined {
  let up = 0;
  for (let n: HTMLElement | null = el; n && n !== root; n = n.parentElement, up++) if (standIns.has(n)) return { unit: n, up };
  return undefined;
}

/** `el` and its parents up to (not with) `root`, nearest first. */
function chainOf(el: HTMLElement, root: Node): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (let n: HTMLElement | null = el; n && n !== root; n = n.parentElement) out.push(n);
  return out;
}

/**
 * Puts `next` in `parent` in place of its children, as `parent.replaceChildren(...next)` would, but a text field of the
 * old page whose new one has the same key (keyOf), kind and value stays, never taken off the page: the browser keeps
 * its undo history (Ctrl+Z after a redraw for news that did not change the field), its caret and its scroll. The
 * elements above a kept field stay too, taking the new ones' attributes and children.
 */
export function replaceKeepingFields(parent: HTMLElement, next: readonly HTMLElement[]): void {
  const fresh = document.createElement('div');
  fresh.append(...next);
  const olds = new Map<string, TextField>();
  for (const el of parent.querySelectorAll<TextField>('[data-key]')) if (typeof el.value === 'string') olds.set(keyOf(el)!, el);
  /** new node -> the old one that stays in its place, and back */
  const keptFor = new Map<Node, HTMLElement>();
  const newOf = new Map<HTMLElement, HTMLElement>();
  const units = new Set<HTMLElement>();
  for (const f of fresh.querySelectorAll<TextField>('[data-key]')) {
    const o = olds.get(keyOf(f)!);
    if (!o || typeof f.value !== 'string' || o.tagName !== f.tagName || o.type !== f.type || o.value !== f.value) continue;
    const nu = unitOf(f, fresh);
    const ou = unitOf(o, parent);
    if (!nu || !ou || nu.up !== ou.up) continue;
    const newChain = chainOf(nu.unit, fresh);
    const oldChain = chainOf(ou.unit, parent);
    // the same shape above it, each old node standing for one new node only
    const fits = newChain.length === oldChain.length && newChain.every((n, i) => {
      const o2 = oldChain[i];
      return n.tagName === o2.tagName && (keptFor.get(n) ?? o2) === o2 && (newOf.get(o2) ?? n) === n;
    });
    if (!fits) continue;
    newChain.forEach((n, i) => {
      keptFor.set(n, oldChain[i]);
      newOf.set(oldChain[i], n);
    });
    units.add(ou.unit);
    // a table row's field says its place and its row as the new page does (a row deleted above it)
    for (const name of ['data-key', 'aria-label']) {
      const value = f.getAttribute(name);
      if (value !== null && o.getAttribute(name) !== value) o.setAttribute(name, value);
    }
  }
  const place = (target: HTMLElement, from: HTMLElement) => {
    const wanted = [...from.childNodes].map((n) => keptFor.get(n) ?? n);
    const keep = new Set(wanted);
    for (const c of [...target.childNodes]) if (!keep.has(c)) c.remove();
    let at = target.firstChild;
    for (const n of wanted) {
      if (n === at) at = at.nextSibling;
      else target.insertBefore(n, at);
    }
    for (const n of wanted) {
      const neu = n instanceof HTMLElement && newOf.get(n);
      if (!neu || !(n instanceof HTMLElement)) continue;
      standIns.get(neu)?.(n);
      if (units.has(n)) continue;
      for (const a of [...n.attributes]) if (!neu.hasAttribute(a.name)) n.removeAttribute(a.name);
      for (const a of [...neu.attributes]) if (n.getAttribute(a.name) !== a.value) n.setAttribute(a.name, a.value);
      place(n, neu);
    }
  };
  place(parent, fresh);
}
