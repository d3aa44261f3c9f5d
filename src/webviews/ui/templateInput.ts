// A text field that knows Insomnia templates: its `{{ variables }}` and `{% tags %}` are highlighted (a variable no
// environment defines is underlined as an error), typing `{{` or `{%` (or Ctrl+Space) offers the variables of the
// active environment chain and the tags, and a line under it shows the value rendered with the active environment.
//
// The field is a plain <input> or <textarea>: the browser owns its text, caret and keystrokes. The highlighting is a
// mirror behind it (same font, padding and scroll; its text transparent, only the template parts tinted), updated
// after each input event, so highlighting never touches what is typed and no keystroke can be lost to it.
//
// Undo and redo are the field's own (fieldHistory.ts): Chromium's would take back one key at a time here, the mirror
// being drawn again on every key. Ctrl+Z, Ctrl+Y, Ctrl+Shift+Z and the Edit menu's Undo and Redo (a `historyUndo`
// input) take back and put again a run of typing, and what they give is posted as any edit.
import { applyCompletion, completionContext, matchCompletions, templateSegments, type CompletionContext, type CompletionItem } from '../templateField';
import { editKindOf, FieldHistory, type FieldSnapshot, type StepAction } from '../fieldHistory';
import { h, setText } from './dom';
import { standIn } from './fieldKeys';

export interface TemplateSource {
  /** the variables and tags to offer. */
  items(): readonly CompletionItem[];
  /** the variable names the active environment chain defines (`base_url`, `vault.token`). */
  known(): ReadonlySet<string>;
  /** asks the host for the text rendered with the active environment (undefined: no preview here). */
  render?(text: string): Promise<{ text?: string; error?: string }>;
}

export interface TemplateInputOptions {
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly multiline?: boolean;
  readonly rows?: number;
  readonly placeholder?: string;
  readonly id?: string;
  readonly dataKey?: string;
  /** what a redraw keeps the field by when `dataKey` says a place (a table row's field: its row's key). */
  readonly fieldKey?: string;
  readonly className?: string;
  readonly password?: boolean;
  /** show the rendered value under the field even when it is not focused (the URL). */
  readonly alwaysPreview?: boolean;
  readonly ariaLabel?: string;
}

let source: TemplateSource = { items: () => [], known: () => new Set() };
/** what typing in a field calls, by its wrapper: a field kept through a redraw calls the new page's. */
const handlers = new WeakMap<HTMLElement, { onInput: (value: string) => void }>();
const live = new Set<() => void>();
/** each field's repaint for a new source, by its wrapper: a field put back on the page (a tab shown again) repaints again. */
const repaints = new WeakMap<HTMLElement, () => void>();

/**
 * Sets the text of a template field's <input>/<textarea> for an edit of more than the field (a cURL command pasted
 * into the URL field sets the whole request): one step of the field's undo history, whose Undo and Redo call `action`
 * (which makes the edit) where a step of the field's own text posts the text. The caret goes to the end.
 */
export function setFieldText(field: HTMLInputElement | HTMLTextAreaElement, text: string, action: StepAction): void {
  field.dispatchEvent(new CustomEvent<FieldTextSet>('tpl-set', { detail: { text, action } }));
}

interface FieldTextSet {
  readonly text: string;
  readonly action: StepAction;
}

/** Sets what every template field offers and checks against; the fields update their marks. */
export function setTemplateSource(next: TemplateSource): void {
  source = next;
  for (const update of [...live]) update();
}

// ---------- the completion list (one for the page)

let popup: HTMLElement | undefined;
let popupState: { field: HTMLInputElement | HTMLTextAreaElement; ctx: CompletionContext; items: CompletionItem[]; index: number; apply: (item: CompletionItem) => void } | undefined;

function hidePopup(): void {
  popup?.remove();
  popup = undefined;
  if (popupState) popupState.field.setAttribute('aria-expanded', 'false');
  popupState = undefined;
}

function showPopup(field: HTMLInputElement | HTMLTextAreaElement, ctx: CompletionContext, apply: (item: CompletionItem) => void): void {
  const all = ctx.kind === 'variable' ? source.items().filter((i) => !i.insert.startsWith('{%')) : source.items().filter((i) => i.insert.startsWith('{%'));
  const items = matchCompletions(all, ctx);
  if (items.length === 0) {
    hidePopup();
    return;
  }
  const index = popupState && popupState.field === field ? Math.min(popupState.index, items.length - 1) : 0;
  popupState = { field, ctx, items, index, apply };
  popup?.remove();
  popup = h('div', { class: 'completions', id: 'completions', 'attr:role': 'listbox', 'attr:aria-label': ctx.kind === 'variable' ? 'Variables' : 'Tags' });
  items.forEach((item, i) => {
    const row = h('div', {
      class: `completion${i === index ? ' selected' : ''}`,
      id: `completion-${i}`,
      'attr:role': 'option',
      'attr:aria-selected': String(i === index),
      'attr:data-label': item.label,
      on: {
        mousedown: (e: Event) => {
          e.preventDefault(); // the field keeps the focus
          apply(item);
        },
      },
    },
    h('span', { class: 'completion-label', text: item.label }),
    h('span', { class: 'completion-detail', text: item.detail }),
    item.preview !== undefined ? h('span', { class: 'completion-preview', text: item.preview }) : null);
    popup!.append(row);
  });
  document.body.append(popup);
  const r = field.getBoundingClientRect();
  popup.style.left = `${Math.max(4, r.left + window.scrollX)}px`;
  popup.style.top = `${r.bottom + window.scrollY + 2}px`;
  popup.style.minWidth = `${Math.min(Math.max(r.width / 2, 260), 520)}px`;
  field.setAttribute('aria-expanded', 'true');
  field.setAttribute('aria-activedescendant', `completion-${index}`);
}

function movePopup(delta: number): void {
  if (!popupState || !popup) return;
  const n = popupState.items.length;
  popupState.index = (popupState.index + delta + n) % n;
  [...popup.children].forEach((el, i) => {
    el.classList.toggle('selected', i === popupState!.index);
    el.setAttribute('aria-selected', String(i === popupState!.index));
  });
  popup.children[popupState.index]?.scrollIntoView({ block: 'nearest' });
  popupState.field.setAttribute('aria-activedescendant', `completion-${popupState.index}`);
}

window.addEventListener('blur', hidePopup);
document.addEventListener('scroll', hidePopup, true);

/** A mouse button or a finger is down on the page (a field's blur then comes from a press elsewhere: a button's, maybe). */
let pressing = false;
window.addEventListener('pointerdown', () => { pressing = true; }, true);
for (const end of ['pointerup', 'pointercancel']) window.addEventListener(end, () => { pressing = false; }, true);

// ---------- the field

/** A template-aware text field; the <input>/<textarea> inside carries `id` and `data-key`. */
export function templateInput(opts: TemplateInputOptions): HTMLElement {
  // a one-line field's value with line breaks (a PEM, a form field written in Insomnia) is shown in a text area: an
  // <input> drops line breaks from its value, and the next key typed would save the value without them
  const multiline = opts.multiline || (!opts.password && /[\r\n]/.test(opts.value));
  const rows = opts.rows ?? (opts.multiline ? 10 : Math.min(opts.value.split('\n').length, 8));
  const field = (multiline ? h('textarea', { rows }) : h('input', { type: opts.password ? 'password' : 'text' })) as HTMLInputElement | HTMLTextAreaElement;
  field.value = opts.value;
  field.className = `tpl-input${multiline ? ' multiline' : ''}`;
  field.spellcheck = false;
  field.autocomplete = 'off';
  if (opts.placeholder) field.placeholder = opts.placeholder;
  if (opts.id) field.id = opts.id;
  if (opts.dataKey) field.dataset.key = opts.dataKey;
  if (opts.fieldKey) field.dataset.field = opts.fieldKey;
  if (opts.ariaLabel) field.setAttribute('aria-label', opts.ariaLabel);
  field.setAttribute('aria-autocomplete', 'list');
  field.setAttribute('aria-expanded', 'false');
  const mirror = h('div', { class: `tpl-mirror${multiline ? ' multiline' : ''}`, 'attr:aria-hidden': 'true' });
  const preview = h('div', { class: 'tpl-preview', 'attr:aria-live': 'polite' });
  const box = h('div', { class: 'tpl-box' }, mirror, field);
  const wrap = h('div', { class: `tpl-field ${opts.className ?? ''}` }, box, preview);
  const on = { onInput: opts.onInput };
  handlers.set(wrap, on);
  // drawn again with the same text, the field on the page stays (with its undo history) and types into the new page
  standIn(wrap, (old) => {
    const kept = handlers.get(old);
    if (kept) kept.onInput = opts.onInput;
    // this one never goes on the page: it neither follows the environment nor asks the host for previews; the one
    // kept does (again, when it was off the page a while), painted for the source of now
    live.delete(update);
    const again = repaints.get(old);
    if (again && !live.has(again)) {
      live.add(again);
      queueMicrotask(again);
    }
  });

  const snapshot = (): FieldSnapshot => ({ text: field.value, start: field.selectionStart ?? field.value.length, end: field.selectionEnd ?? field.value.length });
  const history = new FieldHistory(snapshot());
  /** the field before the edit an `input` event is about to report (taken at its `beforeinput`). */
  let beforeEdit: { snap: FieldSnapshot; kind: ReturnType<typeof editKindOf> } | undefined;

  const paint = () => {
    const text = field.value;
    const known = source.known();
    const parts: (Node | string)[] = [];
    let unknown = 0;
    for (const s of templateSegments(text)) {
      const piece = text.slice(s.start, s.end);
      if (s.kind === 'text') {
        parts.push(piece);
        continue;
      }
      const bad = s.kind === 'variable' && s.name !== undefined && !known.has(s.name);
      if (bad) unknown++;
      parts.push(h('span', { class: `tpl-${s.kind}${bad ? ' tpl-unknown' : ''}`, text: piece, ...(bad ? { title: `Unknown variable: ${s.name}` } : {}) }));
    }
    // a trailing newline needs a character after it to take its line in the mirror
    if (multiline && text.endsWith('\n')) parts.push(' ');
    if (!opts.password) mirror.replaceChildren(...parts);
    field.classList.toggle('has-unknown', unknown > 0);
    wrap.classList.toggle('has-template', text !== '' && parts.some((p) => typeof p !== 'string'));
    syncScroll();
  };
  const syncScroll = () => {
    mirror.scrollTop = field.scrollTop;
    mirror.scrollLeft = field.scrollLeft;
  };

  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  let previewSeq = 0;
  const showPreview = () => {
    if (previewTimer) clearTimeout(previewTimer);
    const text = field.value;
    // a template still being typed (`{{ _.` without its `}}`) is not rendered: it would only say it is unfinished
    const complete = !/\{\{(?![\s\S]*?\}\})|\{%(?![\s\S]*?%\})/.test(text);
    const wanted = (opts.alwaysPreview || document.activeElement === field) && /\{[{%]/.test(text) && complete && !!source.render && !opts.password;
    if (!wanted) {
      setText(preview, '');
      preview.classList.remove('error');
      return;
    }
    const seq = ++previewSeq;
    previewTimer = setTimeout(() => {
      // (a field drawn for a page but not put on it, its old one kept: no preview to show)
      if (!wrap.isConnected) return;
      void source.render!(text).then((r) => {
        if (seq !== previewSeq) return;
        preview.classList.toggle('error', !!r.error);
        preview.textContent = r.error ? r.error : `→ ${r.text ?? ''}`;
        preview.title = preview.textContent;
      });
    }, 250);
  };

  const complete = (item: CompletionItem) => {
    const ctx = popupState?.ctx;
    hidePopup();
    if (!ctx) return;
    const next = applyCompletion(field.value, ctx, item);
    const before = snapshot();
    field.value = next.text;
    field.setSelectionRange(next.caret, next.caret);
    history.record(before, snapshot(), 'other', Date.now());
    on.onInput(field.value);
    paint();
    showPreview();
    // a tag with arguments: the caret goes to its first argument
    const arg = item.insert.indexOf("''");
    if (ctx.kind === 'tag' && arg !== -1) field.setSelectionRange(ctx.start + arg + 1, ctx.start + arg + 1);
  };

  const offer = (force: boolean) => {
    const caret = field.selectionStart ?? field.value.length;
    if (field.selectionEnd !== caret) return hidePopup();
    const ctx = completionContext(field.value, caret);
    if (!ctx) {
      if (force) {
        // Ctrl+Space outside a template: offer variables as if `{{ ` had been typed
        showPopup(field, { kind: 'variable', start: caret, end: caret, prefix: '' }, (item) => {
          hidePopup();
          const text = field.value.slice(0, caret) + item.insert + field.value.slice(caret);
          const before = snapshot();
          field.value = text;
          field.setSelectionRange(caret + item.insert.length, caret + item.insert.length);
          history.record(before, snapshot(), 'other', Date.now());
          on.onInput(field.value);
          paint();
          showPreview();
        });
      } else hidePopup();
      return;
    }
    showPopup(field, ctx, complete);
  };

  /** Ctrl+Z (`undo`) or Ctrl+Y (`redo`): the field as the history gives it, posted as any edit. */
  const travel = (way: 'undo' | 'redo') => {
    history.sync(snapshot(), Date.now());
    const to = way === 'undo' ? history.undo() : history.redo();
    if (!to) return;
    hidePopup();
    field.value = to.text;
    field.setSelectionRange(to.start, to.end);
    // a step of more than the field (setFieldText) makes its own edit
    if (to.action) {
      if (way === 'undo') to.action.undo();
      else to.action.redo();
    } else on.onInput(field.value);
    paint();
    showPreview();
  };
  field.addEventListener('beforeinput', (e) => {
    const type = (e as InputEvent).inputType;
    if (type === 'historyUndo' || type === 'historyRedo') {
      e.preventDefault();
      travel(type === 'historyUndo' ? 'undo' : 'redo');
      return;
    }
    beforeEdit = { snap: snapshot(), kind: editKindOf(type) };
  });
  field.addEventListener('input', (e) => {
    const type = (e as InputEvent).inputType;
    const before = beforeEdit;
    beforeEdit = undefined;
    history.record(before?.snap ?? snapshot(), snapshot(), before?.kind ?? editKindOf(type), Date.now());
    on.onInput(field.value);
    paint();
    offer(false);
    showPreview();
  });
  field.addEventListener('scroll', syncScroll);
  // the page sets the text for an edit of more than the field (setFieldText): one step, with its action
  field.addEventListener('tpl-set', (e) => {
    const { text, action } = (e as CustomEvent<FieldTextSet>).detail;
    hidePopup();
    const before = snapshot();
    field.value = text;
    field.setSelectionRange(text.length, text.length);
    history.record(before, snapshot(), 'other', Date.now(), action);
    paint();
    showPreview();
  });
  // the page set the value itself (the URL after a Params edit): repaint
  field.addEventListener('tpl-refresh', () => {
    history.sync(snapshot(), Date.now());
    paint();
    showPreview();
  });
  field.addEventListener('keydown', (e) => {
    const k = e as KeyboardEvent;
    const key = k.key.toLowerCase();
    if ((k.ctrlKey || k.metaKey) && !k.altKey && (key === 'z' || key === 'y')) {
      k.preventDefault();
      travel(key === 'y' || k.shiftKey ? 'redo' : 'undo');
      return;
    }
    if (k.ctrlKey && k.key === ' ') {
      k.preventDefault();
      offer(true);
      return;
    }
    if (!popupState || popupState.field !== field) return;
    if (k.key === 'ArrowDown' || k.key === 'ArrowUp') {
      k.preventDefault();
      movePopup(k.key === 'ArrowDown' ? 1 : -1);
    } else if ((k.key === 'Enter' && !k.ctrlKey && !k.metaKey) || k.key === 'Tab') {
      k.preventDefault();
      k.stopPropagation();
      const item = popupState.items[popupState.index];
      popupState.apply(item);
    } else if (k.key === 'Escape') {
      k.preventDefault();
      k.stopPropagation();
      hidePopup();
    }
  });
  field.addEventListener('keyup', (e) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'ArrowLeft' || k === 'ArrowRight' || k === 'Home' || k === 'End') {
      if (popupState?.field === field) offer(false);
      syncScroll();
    }
  });
  field.addEventListener('focus', showPreview);
  field.addEventListener('blur', () => {
    history.close();
    if (popupState?.field === field) hidePopup();
    if (opts.alwaysPreview) return;
    const clear = () => {
      if (document.activeElement === field) return;
      setText(preview, '');
      preview.classList.remove('error');
    };
    // a press on a button below the field took the focus: the preview goes once the click is over (after its
    // pointerup, click runs in the same task), or the button moves up from under the pointer between its press and its
    // release and the click is lost (Format JSON under the body, right after typing in it, did nothing)
    if (pressing) window.addEventListener('pointerup', () => setTimeout(clear), { once: true, capture: true });
    else clear();
  });

  // the marks follow the environment: while the field is on the page, a new source repaints it
  const update = () => {
    if (!wrap.isConnected) {
      live.delete(update);
      return;
    }
    paint();
    if (opts.alwaysPreview) showPreview();
  };
  live.add(update);
  repaints.set(wrap, update);
  paint();
  if (opts.alwaysPreview) queueMicrotask(showPreview);
  return wrap;
}
