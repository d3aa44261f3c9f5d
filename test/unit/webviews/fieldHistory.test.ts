// The template fields' undo history: one Ctrl+Z takes back a run of typing, as a native field does.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { editKindOf, FieldHistory, TYPING_PAUSE_MS, type EditKind, type FieldSnapshot } from '../../../src/webviews/fieldHistory';

/** A field driven as a person types: keys at the caret, Backspace, caret moves, selections; the history records each. */
class Field {
  text: string;
  start: number;
  end: number;
  now = 0;
  /** every text the field held */
  readonly held = new Set<string>();
  readonly history: FieldHistory;
  constructor(text: string) {
    this.text = text;
    this.start = this.end = text.length;
    this.held.add(text);
    this.history = new FieldHistory(this.snap());
  }
  snap(): FieldSnapshot {
    return { text: this.text, start: this.start, end: this.end };
  }
  private edit(kind: EditKind, apply: () => void, ms = 50): void {
    this.now += ms;
    const before = this.snap();
    apply();
    this.held.add(this.text);
    this.history.record(before, this.snap(), kind, this.now);
  }
  type(keys: string, ms = 50): void {
    for (const k of keys) {
      this.edit('insert', () => {
        this.text = this.text.slice(0, this.start) + k + this.text.slice(this.end);
        this.start = this.end = this.start + 1;
      }, ms);
    }
  }
  backspace(n = 1): void {
    for (let i = 0; i < n; i++) {
      this.edit('deleteBackward', () => {
        const from = this.start === this.end ? Math.max(0, this.start - 1) : this.start;
        this.text = this.text.slice(0, from) + this.text.slice(this.end);
        this.start = this.end = from;
      });
    }
  }
  paste(t: string): void {
    this.edit('other', () => {
      this.text = this.text.slice(0, this.start) + t + this.text.slice(this.end);
      this.start = this.end = this.start + t.length;
    });
  }
  caret(at: number, to = at): void {
    this.start = Math.min(at, to);
    this.end = Math.max(at, to);
  }
  undo(): boolean {
    const s = this.history.undo();
    if (s) ({ text: this.text, start: this.start, end: this.end } = s);
    return !!s;
  }
  redo(): boolean {
    const s = this.history.redo();
    if (s) ({ text: this.text, start: this.start, end: this.end } = s);
    return !!s;
  }
}

describe('the template fields\' undo history', () => {
  it('a word typed is taken back by one undo, and put again by one redo', () => {
    const f = new Field('http://x/pets');
    f.type('?limit=5');
    assert.equal(f.text, 'http://x/pets?limit=5');
    f.undo();
    assert.deepEqual(f.snap(), { text: 'http://x/pets', start: 13, end: 13 });
    assert.equal(f.undo(), false, 'nothing before the typing');
    f.redo();
    assert.deepEqual(f.snap(), { text: 'http://x/pets?limit=5', start: 21, end: 21 });
    assert.equal(f.redo(), false);
  });

  it('runs end where a person expects them to: one undo for each', () => {
    const f = new Field('');
    f.type('abc');
    f.type('d', TYPING_PAUSE_MS + 1); // a pause
    f.caret(0);
    f.type('X'); // a caret move
    f.backspace(); // another kind of typing
    f.caret(f.text.length);
    f.paste('123'); // not typing
    f.type('45');
    const seen = [f.text];
    while (f.undo()) seen.push(f.text);
    assert.deepEqual(seen, ['abcd12345', 'abcd123', 'abcd', 'Xabcd', 'abcd', 'abc', '']);
  });

  it('typing over a selection is one step with the keys after it; undo gives the selection back', () => {
    const f = new Field('let a = 1;');
    f.caret(0, f.text.length);
    f.type('oops');
    f.undo();
    assert.deepEqual(f.snap(), { text: 'let a = 1;', start: 0, end: 10 });
  });

  it('a text the page set (a completion, Params, Format JSON) is a step of its own, and ends the run', () => {
    const f = new Field('a');
    f.type('b');
    // the page sets the field's text without an input event
    f.text = 'ab{{ x }}';
    f.start = f.end = f.text.length;
    f.history.sync(f.snap(), f.now + 10);
    f.type('c');
    const seen = [f.text];
    while (f.undo()) seen.push(f.text);
    assert.deepEqual(seen, ['ab{{ x }}c', 'ab{{ x }}', 'ab', 'a']);
  });

  it('a new edit after undo drops what could be redone', () => {
    const f = new Field('');
    f.type('abc');
    f.undo();
    f.type('z');
    assert.equal(f.redo(), false);
    assert.equal(f.text, 'z');
  });

  it('the focus leaving the field ends the run', () => {
    const f = new Field('');
    f.type('ab');
    f.history.close();
    f.type('cd');
    f.undo();
    assert.equal(f.text, 'ab');
  });

  it('the kinds of input events', () => {
    assert.equal(editKindOf('insertText'), 'insert');
    assert.equal(editKindOf('deleteContentBackward'), 'deleteBackward');
    assert.equal(editKindOf('deleteContentForward'), 'deleteForward');
    for (const t of ['insertFromPaste', 'deleteByCut', 'insertFromDrop', 'deleteWordBackward', undefined]) assert.equal(editKindOf(t), 'other');
  });

  it('model: undo all the way back gives the first text, redo all the way forward the newest; every text on the way was one the field held', () => {
    const action = fc.oneof(
      fc.record({ k: fc.constant('type' as const), s: fc.string({ minLength: 1, maxLength: 4 }), ms: fc.integer({ min: 10, max: 1500 }) }),
      fc.record({ k: fc.constant('back' as const), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ k: fc.constant('caret' as const), a: fc.nat(), b: fc.nat() }),
      fc.record({ k: fc.constant('paste' as const), s: fc.string({ maxLength: 3 }) }),
      fc.record({ k: fc.constant('undo' as const) }),
      fc.record({ k: fc.constant('redo' as const) }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.array(action, { maxLength: 25 }), (start, actions) => {
        const f = new Field(start);
        const held = f.held;
        for (const a of actions) {
          if (a.k === 'type') f.type(a.s, a.ms);
          else if (a.k === 'back') f.backspace(a.n);
          else if (a.k === 'caret') f.caret(a.a % (f.text.length + 1), a.b % (f.text.length + 1));
          else if (a.k === 'paste') f.paste(a.s);
          else if (a.k === 'undo') f.undo();
          else f.redo();
        }
        // (the newest text the history reaches: what was undone at the end is redone first)
        while (f.redo()) assert.ok(held.has(f.text));
        const last = f.text;
        while (f.undo()) assert.ok(held.has(f.text), `undo gave ${JSON.stringify(f.text)}, never held`);
        assert.equal(f.text, start);
        while (f.redo()) assert.ok(held.has(f.text));
        assert.equal(f.text, last);
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });
  it('a step of more than the field (a cURL command pasted into the URL): one step, its action called by Undo and Redo, even when the text stays', () => {
    const h = new FieldHistory({ text: 'http://a.test/x', start: 0, end: 15 });
    h.record({ text: 'http://a.test/x', start: 15, end: 15 }, { text: 'http://a.test/xy', start: 16, end: 16 }, 'insert', 10);
    const calls: string[] = [];
    const action = { undo: () => calls.push('undo'), redo: () => calls.push('redo') };
    // typed right after (within the typing pause): still a step of its own
    h.record({ text: 'http://a.test/xy', start: 0, end: 16 }, { text: 'https://b.test/y', start: 16, end: 16 }, 'other', 20, action);
    const back = h.undo();
    assert.deepEqual(back, { text: 'http://a.test/xy', start: 0, end: 16, action });
    const again = h.redo();
    assert.deepEqual(again, { text: 'https://b.test/y', start: 16, end: 16, action });
    // the same URL pasted as a command that changes the headers only: the text stays, the step is there
    h.record({ text: 'https://b.test/y', start: 16, end: 16 }, { text: 'https://b.test/y', start: 16, end: 16 }, 'other', 30, action);
    assert.equal(h.undo()?.action, action);
    assert.equal(h.undo()?.action, action);
    // then the typing before it, a step of the text alone
    assert.deepEqual(h.undo(), { text: 'http://a.test/x', start: 15, end: 15 });
  });
});
