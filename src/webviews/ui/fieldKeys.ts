// Keystroke safety shared by the webview editors (request editor, environment editor).

/**
 * Re-renders the page keeping the focused field (by its `data-key`), its caret and selection: a state from the host
 * never moves the caret of the field being typed in.
 */
export function keepFieldKeys(render: () => void): void {
  const focused = document.activeElement as HTMLElement | null;
  const focusKey = focused?.dataset?.key;
  const inner = textOf(focused);
  const caret = inner ? [inner.selectionStart, inner.selectionEnd] : undefined;
  render();
  if (!focusKey) return;
  const again = document.querySelector(`[data-key="${CSS.escape(focusKey)}"]`) as HTMLElement | null;
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
