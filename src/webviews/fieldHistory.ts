// The undo history of one text field of the editors (the template fields: URL, header and parameter values, auth,
// body, environment values), without the DOM. A browser's own undo cannot be used there: Chromium ends the typing
// that one Ctrl+Z takes back whenever the document changes, and the field's highlighting is drawn again on every key,
// so that Ctrl+Z took back one character at a time. Here, as in a native field and in VS Code's editors, one Ctrl+Z
// takes back a run of typing: keys typed one after another at the caret they left, of one kind (inserting, deleting
// backwards, deleting forwards). A pause, a caret moved, the focus gone or any other edit (a paste, a cut, a
// completion, a text set by the page) ends the run; an edit that is not typing is a step of its own. Typing over a
// selection starts a run (one Ctrl+Z gives the selection back).

/** A field's text and selection. */
export interface FieldSnapshot {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * An edit of more than the field, made at one step of its history (a cURL command pasted into the URL field sets the
 * whole request): Undo and Redo of that step call it, where a step of the field's text alone posts the text.
 */
export interface StepAction {
  undo(): void;
  redo(): void;
}

/** A snapshot Undo or Redo gives back, with the action of the step taken back or made again, if it has one. */
export interface HistoryMove extends FieldSnapshot {
  readonly action?: StepAction;
}

/** What an edit was, as the runs of typing go: its `inputType` in a kind. */
export type EditKind = 'insert' | 'deleteBackward' | 'deleteForward' | 'other';

/** A pause longer than this between two keys ends the run of typing. */
export const TYPING_PAUSE_MS = 1000;

/** The kind of an `input` event's `inputType` (https://w3c.github.io/input-events/#interface-InputEvent-Attributes). */
export function editKindOf(inputType: string | undefined): EditKind {
  switch (inputType) {
    case 'insertText':
    case 'insertLineBreak':
    case 'insertCompositionText':
      return 'insert';
    case 'deleteContentBackward':
      return 'deleteBackward';
    case 'deleteContentForward':
      return 'deleteForward';
    default:
      return 'other';
  }
}

interface Step {
  before: FieldSnapshot;
  after: FieldSnapshot;
  readonly kind: EditKind;
  /** when the step's last edit was made (ms). */
  at: number;
  /** the run of typing may go on in this step. */
  open: boolean;
  readonly action?: StepAction;
}

const same = (a: FieldSnapshot, b: FieldSnapshot) => a.text === b.text && a.start === b.start && a.end === b.end;

export class FieldHistory {
  private readonly done: Step[] = [];
  private undone: Step[] = [];
  /** what the field holds, as far as the history knows (after its last edit, undo or redo). */
  private known: FieldSnapshot;

  constructor(initial: FieldSnapshot, private readonly limit = 500) {
    this.known = initial;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /**
   * An edit of the field, from `before` to `after`, at `at` ms. An edit that leaves the text as it was is none, unless
   * it carries an `action` (an edit of more than the field): that is a step of its own.
   */
  record(before: FieldSnapshot, after: FieldSnapshot, kind: EditKind, at: number, action?: StepAction): void {
    // the page changed the text since the history last saw it: that change is a step of its own
    if (before.text !== this.known.text) {
      this.undone = [];
      this.push({ before: this.known, after: { ...before }, kind: 'other', at, open: false });
    }
    this.known = after;
    if (action) {
      this.undone = [];
      this.push({ before, after, kind: 'other', at, open: false, action });
      return;
    }
    if (before.text === after.text) return;
    this.undone = [];
    const last = this.done[this.done.length - 1];
    const joins = last !== undefined && last.open && kind !== 'other' && last.kind === kind && at - last.at <= TYPING_PAUSE_MS
      && before.start === before.end && same(last.after, before);
    if (joins) {
      last.after = after;
      last.at = at;
      return;
    }
    this.push({ before, after, kind, at, open: kind !== 'other' });
  }

  /** The field holds `current` (the page may have set it): a text the history did not see becomes a step. */
  sync(current: FieldSnapshot, at: number): void {
    if (current.text !== this.known.text) this.record(current, current, 'other', at);
    else this.known = current;
  }

  /** The run of typing ends here (the focus left the field). */
  close(): void {
    const last = this.done[this.done.length - 1];
    if (last) last.open = false;
  }

  /** Takes the last step back: what the field holds then, or undefined when there is nothing to undo. */
  undo(): HistoryMove | undefined {
    const step = this.done.pop();
    if (!step) return undefined;
    step.open = false;
    this.undone.push(step);
    this.known = step.before;
    return step.action ? { ...step.before, action: step.action } : step.before;
  }

  /** Makes the last step undone again: what the field holds then, or undefined when there is nothing to redo. */
  redo(): HistoryMove | undefined {
    const step = this.undone.pop();
    if (!step) return undefined;
    this.done.push(step);
    this.known = step.after;
    return step.action ? { ...step.after, action: step.action } : step.after;
  }

  private push(step: Step): void {
    const last = this.done[this.done.length - 1];
    if (last) last.open = false;
    this.done.push(step);
    if (this.done.length > this.limit) this.done.shift();
  }
}
