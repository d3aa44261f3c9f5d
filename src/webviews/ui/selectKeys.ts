// The keys of a list (vscode-single-select) that the component (2.5.1) leaves out, as a native <select> and VS Code's
// own select boxes have them, and the focus kept on a list that a change draws again.

/** vscode-single-select as used here: the option the open list highlights (`_opts.activeIndex`) is not public. */
type SingleSelect = HTMLElement & {
  open: boolean;
  combobox: boolean;
  selectedIndex: number;
  updateComplete: Promise<unknown>;
  _opts: { activeIndex: number };
  _scrollActiveElementToTop(): void;
};

const isSelect = (el: EventTarget | null | undefined): el is SingleSelect => el instanceof HTMLElement && el.localName === 'vscode-single-select';

/** Focuses list `el` (its face, once drawn), as a click or a Tab onto it does. */
export function focusList(el: Element | null | undefined): void {
  if (isSelect(el)) void el.updateComplete.then(() => el.shadowRoot?.querySelector<HTMLElement>('.face')?.focus());
}

/**
 * Runs `redraw`, which takes `list` (or a control beside it) off the page, and gives the focus to the list drawn in its
 * place: the one at its place among the page's lists.
 */
export function focusListAfter(list: Element | null | undefined, redraw: () => void): void {
  const lists = (): Element[] => [...document.querySelectorAll('vscode-single-select')];
  const place = lists().indexOf(list as Element);
  redraw();
  if (place >= 0) focusList(lists()[place]);
}

/**
 * Home, End, PageUp, PageDown and letters (type-ahead: the next option starting with the letter, or with the letters
 * typed within a second) in a list: in the open list they move the highlight (Enter picks it); in a closed one they pick
 * the option at once with a change event, as a mouse pick does. A list drawn again by its change (the auth's type: the
 * form under it) gets the focus back, which went to the page's body with the old list.
 */
export function selectKeys(): void {
  let typed = '';
  let typedAt = 0;
  document.addEventListener('keydown', (e) => {
    const el = e.target;
    if (!isSelect(el) || el.combobox || e.ctrlKey || e.metaKey || e.altKey) return;
    const labels = [...el.querySelectorAll('vscode-option')].map((o) => ((o as HTMLElement & { disabled?: boolean }).disabled ? '' : (o.textContent ?? '').trim().toLowerCase() || ' '));
    const enabled = labels.flatMap((l, i) => (l ? [i] : []));
    if (enabled.length === 0) return;
    const at = Math.max(0, enabled.indexOf(el.open ? el._opts.activeIndex : el.selectedIndex));
    let to: number | undefined;
    // (another key between letters starts the typing again)
    if (e.key.length !== 1 || e.key === ' ') typed = '';
    if (e.key === 'Home') to = enabled[0];
    else if (e.key === 'End') to = enabled[enabled.length - 1];
    else if (e.key === 'PageUp') to = enabled[Math.max(0, at - 9)];
    else if (e.key === 'PageDown') to = enabled[Math.min(enabled.length - 1, at + 9)];
    else if (e.key.length === 1 && e.key !== ' ') {
      typed = e.timeStamp - typedAt < 1000 ? typed + e.key.toLowerCase() : e.key.toLowerCase();
      typedAt = e.timeStamp;
      // one letter (again and again) goes to the next option starting with it; more letters from the current option
      const one = [...typed].every((c) => c === typed[0]);
      for (let k = one ? 1 : 0; k <= enabled.length && to === undefined; k++) {
        const i = enabled[(at + k) % enabled.length];
        if (labels[i].startsWith(one ? typed[0] : typed)) to = i;
      }
    }
    if (to === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    if (el.open) {
      el._opts.activeIndex = to;
      el._scrollActiveElementToTop();
    } else if (to !== el.selectedIndex) {
      el.selectedIndex = to;
      el.dispatchEvent(new Event('change'));
    }
    // (seen before the list's own listener, which keeps Space and the arrows to itself)
  }, true);
  // (seen before the page's own listener: the list's place among the page's lists is the new list's)
  document.addEventListener('change', (e) => {
    const el = e.target;
    if (!isSelect(el) || document.activeElement !== el) return;
    const place = [...document.querySelectorAll('vscode-single-select')].findIndex((s: HTMLElement) => s === el);
    queueMicrotask(() => {
      if (!el.isConnected && document.activeElement === document.body) focusList(document.querySelectorAll('vscode-single-select')[place]);
    });
  }, true);
}
