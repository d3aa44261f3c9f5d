// The request editor's edits as the host merges them for a debounce (EditSession, mergePatch) and as the page keeps
// them (withPatch): each edit names only the field typed in, so a merge must keep what an earlier edit named.
import { strict as assert } from 'node:assert';
import type { RequestFieldsPatch } from '../../../src/collections/edits';
import { fitsKept, KeptTyping, MAX_UNWRITTEN_CHARS, type KeptRecord } from '../../../src/webviews/keptTyping';
import { ClosedHolding, dropWrittenKeys, EditSession, HeldEdit, heldAgain, heldSnapshotOf, mergePatch, patchApplied, withPatch } from '../../../src/webviews/editSession';

describe('request editor edits', () => {
  it('a pre-request edit and an after-response edit within one debounce are written together', async () => {
    const written: RequestFieldsPatch[] = [];
    const session = new EditSession({
      debounceMs: 300,
      setTimer: () => 0,
      clearTimer: () => undefined,
      write: async (fields) => void written.push(fields),
      saved: () => undefined,
    });
    // the Scripts tab: typing in the pre-request box, then at once in the after-response box
    session.receive({ scripts: { preRequest: 'console.log("p' } }, 1);
    session.receive({ scripts: { preRequest: 'console.log("pre")' } }, 2);
    session.receive({ scripts: { afterResponse: 'insomnia.test("t", () => {})' } }, 3);
    await session.flush();
    assert.deepEqual(written, [{ scripts: { preRequest: 'console.log("pre")', afterResponse: 'insomnia.test("t", () => {})' } }]);
  });

  it('each batch is written with what `epoch` said when its first edit came (the branch it was typed on), also once held and joined by later keys', async () => {
    const writes: { fields: RequestFieldsPatch; since: string | undefined }[] = [];
    let head = 'ref: refs/heads/main';
    let hold = true;
    const session = new EditSession({
      debounceMs: 300,
      setTimer: () => 0,
      clearTimer: () => undefined,
      epoch: () => head,
      write: async (fields, _base, since) => {
        writes.push({ fields, since });
        if (since !== head && hold) throw new HeldEdit('the branch changed', 'conflict');
      },
      saved: () => undefined,
    });
    session.receive({ url: 'http://x/a' }, 1, { url: 'http://x/' });
    head = 'ref: refs/heads/other'; // a checkout from a terminal, mid-burst
    session.receive({ url: 'http://x/ab' }, 2, { url: 'http://x/a' });
    await session.flush();
    assert.deepEqual(writes, [{ fields: { url: 'http://x/ab' }, since: 'ref: refs/heads/main' }]);
    assert.ok(session.held);
    session.receive({ url: 'http://x/abc' }, 3, { url: 'http://x/ab' });
    hold = false;
    await session.release(false);
    assert.deepEqual(writes[1], { fields: { url: 'http://x/abc' }, since: 'ref: refs/heads/main' }, 'the held batch keeps the branch it began on');
    // the next batch begins on the branch checked out now
    session.receive({ url: 'http://x/abcd' }, 4, { url: 'http://x/abc' });
    await session.flush();
    assert.deepEqual(writes[2], { fields: { url: 'http://x/abcd' }, since: 'ref: refs/heads/other' });
  });

  it('an edit held because what it edits was gone (not on the branch typed on) is saved when it comes back on another branch: checked against the base, not refused for the switch', async () => {
    const writes: { fields: RequestFieldsPatch; base: RequestFieldsPatch | undefined; since: string | undefined }[] = [];
    let head = 'ref: refs/heads/away';
    let present = false;
    const session = new EditSession({
      debounceMs: 300,
      setTimer: () => 0,
      clearTimer: () => undefined,
      epoch: () => head,
      write: async (fields, base, since) => {
        writes.push({ fields, base, since });
        if (!present) throw new HeldEdit('the request is not on this branch; it is saved if it comes back', 'gone');
        if (since !== undefined && since !== head) throw new HeldEdit('the branch changed', 'conflict');
      },
      saved: () => undefined,
    });
    // typed while the request is not on the branch (the page shows it as it was on main)
    session.receive({ url: 'http://x/a' }, 1, { url: 'http://x/' });
    await session.flush();
    assert.equal(session.held?.reason, 'gone');
    // a checkout back: there again, the held edit released as promised
    head = 'ref: refs/heads/main';
    present = true;
    await session.release(false);
    assert.equal(session.held, undefined, 'saved, not held again for the checkout that brought it back');
    assert.deepEqual(writes[1], { fields: { url: 'http://x/a' }, base: { url: 'http://x/' }, since: undefined }, 'still checked against what the page held');
  });

  it('savedHeld: the held edit that was released and written (a question still on screen about it can say so); not one held again or still held', async () => {
    let present = false;
    let conflict = false;
    const session = new EditSession({
      debounceMs: 300,
      setTimer: () => 0,
      clearTimer: () => undefined,
      write: async () => {
        if (!present) throw new HeldEdit('the request is not on this branch', 'gone');
        if (conflict) throw new HeldEdit('the URL changed on disk', 'conflict');
      },
      saved: () => undefined,
    });
    session.receive({ url: 'http://x/a' }, 1, { url: 'http://x/' });
    await session.flush();
    const gone = session.held;
    assert.equal(gone?.reason, 'gone');
    assert.equal(session.savedHeld, undefined, 'held, not saved');
    // back, but the file changed the field too: held again, for a choice; the first hold is not saved
    present = true;
    conflict = true;
    await session.release(false);
    const clash = session.held;
    assert.equal(clash?.reason, 'conflict');
    assert.equal(session.savedHeld, undefined, 'held again, not saved');
    // the user chose theirs: written
    conflict = false;
    await session.release(true);
    assert.equal(session.held, undefined);
    assert.equal(session.savedHeld, clash);
    // a later edit written as any other does not change which held edit was saved
    session.receive({ url: 'http://x/ab' }, 2);
    await session.flush();
    assert.equal(session.savedHeld, clash);
  });

  it('mergePatch: the later edit of a field wins, other fields and settings kept', () => {
    const merged = mergePatch({ url: 'a', settings: { encodeUrl: false }, scripts: { afterResponse: 'x' } }, { url: 'b', settings: { rebuildPath: true }, scripts: { afterResponse: 'y' } });
    assert.deepEqual(merged, { url: 'b', settings: { encodeUrl: false, rebuildPath: true }, scripts: { afterResponse: 'y' } });
    assert.equal(mergePatch(undefined, { url: 'c' }).url, 'c');
  });

  it('withPatch: the page keeps the other script when one is typed in', () => {
    const req = { url: 'u', settings: { encodeUrl: true }, scripts: { preRequest: 'pre', afterResponse: '' } };
    const next = withPatch(req, { scripts: { afterResponse: 'after' } });
    assert.deepEqual(next.scripts, { preRequest: 'pre', afterResponse: 'after' });
    assert.deepEqual(next.settings, { encodeUrl: true });
    assert.deepEqual(withPatch(req, { settings: { encodeUrl: false } }).scripts, req.scripts);
  });
});

describe('a held edit over a window reload (EditSession)', () => {
  const session = (write: () => Promise<void>, changed: () => void, written: RequestFieldsPatch[] = []) =>
    new EditSession({
      debounceMs: 300,
      setTimer: () => 0,
      clearTimer: () => undefined,
      write: async (fields) => {
        await write();
        written.push(fields);
      },
      saved: () => undefined,
      heldChanged: changed,
    });

  it('heldEdit: held, typed on while held, released and written, or discarded, each said (heldChanged)', async () => {
    let conflict = true;
    const seen: (string | undefined)[] = [];
    const s: EditSession = session(async () => {
      if (conflict) throw new HeldEdit('the URL changed on disk', 'conflict', ['URL']);
    }, () => seen.push(s.heldEdit && JSON.stringify(s.heldEdit.fields)));
    s.receive({ url: 'http://x/a' }, 1, { url: 'http://x/' });
    await s.flush();
    assert.deepEqual(s.heldEdit, { fields: { url: 'http://x/a' }, base: { url: 'http://x/' }, message: 'the URL changed on disk', reason: 'conflict', conflicts: ['URL'], key: s.held?.key });
    assert.ok(s.held?.key, 'with the key of the held edit (what the git warning is told once for)');
    s.receive({ url: 'http://x/ab' }, 2, { url: 'http://x/a' });
    conflict = false;
    await s.release(true);
    assert.equal(s.heldEdit, undefined);
    assert.deepEqual(seen, ['{"url":"http://x/a"}', '{"url":"http://x/ab"}', undefined]);
    conflict = true;
    s.receive({ url: 'http://x/c' }, 3, { url: 'http://x/ab' });
    await s.flush();
    s.discard();
    assert.deepEqual(seen.slice(3), ['{"url":"http://x/c"}', undefined]);
  });

  it('hold(): a new session holds the kept edit as before (busy, nothing written) until released, then writes it', async () => {
    const written: RequestFieldsPatch[] = [];
    const s = session(async () => undefined, () => undefined, written);
    s.hold({ fields: { url: 'http://x/kept' }, base: { url: 'http://x/' }, message: 'the request was deleted', reason: 'gone', conflicts: [] });
    assert.equal(s.held?.reason, 'gone');
    assert.equal(s.held?.message, 'the request was deleted');
    assert.ok(s.busy);
    await s.flush();
    assert.deepEqual(written, [], 'a flush does not write a held edit');
    await s.release(false);
    assert.deepEqual(written, [{ url: 'http://x/kept' }]);
    assert.equal(s.busy, false);
  });

  it('heldSnapshotOf: a kept held edit read back is taken field by field (what is not one is nothing); heldAgain: held as gone and back now, it asks', () => {
    const isPatch = (f: unknown): f is RequestFieldsPatch => typeof f === 'object' && f !== null;
    const kept = { fields: { url: 'u' }, base: { url: 'b' }, since: 'ref: refs/heads/a', message: 'm', reason: 'gone', conflicts: ['URL', 3], shown: { name: 'x' } };
    assert.deepEqual(heldSnapshotOf(kept, isPatch), { fields: { url: 'u' }, base: { url: 'b' }, since: 'ref: refs/heads/a', message: 'm', reason: 'gone', conflicts: ['URL'] });
    for (const broken of [undefined, 'x', { ...kept, message: 1 }, { ...kept, reason: 'other' }, { ...kept, fields: null }]) assert.equal(heldSnapshotOf(broken, isPatch), undefined);
    assert.deepEqual(heldSnapshotOf({ ...kept, base: 'no', since: 2, conflicts: 'no' }, isPatch), { fields: { url: 'u' }, message: 'm', reason: 'gone', conflicts: [] });
    assert.equal(heldSnapshotOf({ ...kept, key: 'k1' }, isPatch)?.key, 'k1', 'its key kept (the git warning is told once for it)');
    assert.equal(heldSnapshotOf({ ...kept, key: 7 }, isPatch)?.key, undefined);
    assert.equal(heldAgain({ ...heldSnapshotOf({ ...kept, key: 'k1' }, isPatch)! }, 'back now', () => 'gone').key, 'k1', 'held again as back: the same edit');
    const snap = heldSnapshotOf(kept, isPatch)!;
    assert.equal(heldAgain(snap, undefined, () => 'gone now'), snap, 'still gone: as it was');
    const back = heldAgain(snap, 'it is back', () => 'gone now');
    assert.deepEqual([back.reason, back.message, back.fields, back.base], ['back', 'it is back', { url: 'u' }, { url: 'b' }]);
    assert.deepEqual([heldAgain(back, undefined, () => 'gone now').reason, heldAgain(back, undefined, () => 'gone now').message], ['gone', 'gone now'], 'back, then gone again');
    const conflict = { ...snap, reason: 'conflict' as const };
    assert.equal(heldAgain(conflict, 'it is back', () => 'gone now'), conflict, 'a conflict stays one');
  });

  it('held as back: "Save It" (resolve mine) writes it checked against its base, not over the file; "Discard" drops it', async () => {
    const writes: { fields: RequestFieldsPatch; base: RequestFieldsPatch | undefined; since: string | undefined }[] = [];
    const make = () => new EditSession({ debounceMs: 300, setTimer: () => 0, clearTimer: () => undefined, write: async (fields, base, since) => void writes.push({ fields, base, since }), saved: () => undefined });
    const s = make();
    s.hold({ fields: { url: 'u' }, base: { url: 'b' }, since: 'ref: refs/heads/a', message: 'back', reason: 'back', conflicts: [] });
    await s.flush();
    assert.deepEqual(writes, [], 'nothing written unasked');
    await s.resolve('mine');
    assert.deepEqual(writes, [{ fields: { url: 'u' }, base: { url: 'b' }, since: undefined }]);
    const d = make();
    d.hold({ fields: { url: 'v' }, message: 'back', reason: 'back', conflicts: [] });
    await d.resolve('file');
    assert.equal(d.busy, false);
    assert.equal(writes.length, 1);
  });

  it('outsideChange: an edit waiting for the debounce is written (checked) at once; none waiting, or one held: nothing', async () => {
    const written: RequestFieldsPatch[] = [];
    let conflict = false;
    const timers: unknown[] = [];
    const s = new EditSession({
      debounceMs: 300,
      setTimer: () => timers.push(1),
      clearTimer: () => undefined,
      write: async (fields) => {
        if (conflict) throw new HeldEdit('the URL changed on disk', 'conflict', ['URL']);
        written.push(fields);
      },
      saved: () => undefined,
    });
    s.outsideChange();
    await s.flush();
    assert.deepEqual(written, []);
    s.receive({ url: 'a' }, 1, { url: '' });
    s.outsideChange();
    await s.flush();
    assert.deepEqual(written, [{ url: 'a' }], 'written without the debounce');
    conflict = true;
    s.receive({ url: 'ab' }, 2, { url: 'a' });
    s.outsideChange();
    await s.flush();
    assert.equal(s.held?.reason, 'conflict', 'held at once');
    s.receive({ url: 'abc' }, 3, { url: 'ab' });
    s.outsideChange();
    assert.equal(s.held?.reason, 'conflict', 'a held edit stays held');
    assert.deepEqual(written, [{ url: 'a' }]);
  });

  it('ClosedHolding: a new tab takes the held edit a closed tab of the same editor still holds (and its drafts): the closed tab lets it go, what is kept stays; not while it asks', () => {
    const let_go: string[] = [];
    const tab = (id: string) => {
      const t = { id, heldEdit: {} as unknown, asking: false, resolveHeld: async (choice: 'file') => { let_go.push(`${id}:${choice}`); t.heldEdit = undefined; } };
      return t;
    };
    const a = tab('e');
    const closed = new ClosedHolding<typeof a>((e) => e.id);
    const records = new Map<string, KeptRecord>([['e', { held: { message: 'm' }, drafts: { x: 1 }, at: 1 }]]);
    const kept = {
      get: (id: string) => records.get(id),
      set: (id: string, _part: 'held', value: unknown) => void records.set(id, { ...records.get(id), held: value, at: 2 }),
    };
    closed.closed(a);
    assert.equal(closed.keptFor('f', kept), undefined);
    assert.deepEqual(let_go, [], 'another editor: the closed tab keeps it');
    const r = closed.keptFor('e', { ...kept, set: (id, part, value) => { assert.ok(!a.heldEdit, 'set after it let go'); kept.set(id, part, value); } });
    assert.deepEqual(r, { held: { message: 'm' }, drafts: { x: 1 }, at: 1 });
    assert.deepEqual(let_go, ['e:file']);
    assert.deepEqual(records.get('e')?.held, { message: 'm' }, 'still kept');
    assert.equal(closed.editors.size, 0);
    const b = tab('e');
    b.asking = true;
    closed.closed(b);
    assert.deepEqual(closed.keptFor('e', kept), { held: undefined, drafts: { x: 1 }, at: 2 }, 'still asked: its edit stays with it');
    assert.deepEqual(let_go, ['e:file']);
    b.heldEdit = undefined;
    assert.deepEqual(closed.keptFor('e', kept)?.held, { message: 'm' }, 'settled: what is kept');
    assert.equal(closed.editors.size, 0);
  });

  it('flushSoon: written without the debounce, and keys received during the write go in one more write when it ends', async () => {
    const written: RequestFieldsPatch[] = [];
    let open!: () => void;
    let gate: Promise<void> | undefined = new Promise((r) => (open = r));
    const s = session(async () => gate, () => undefined, written);
    s.receive({ url: 'a' }, 1);
    s.flushSoon();
    await Promise.resolve();
    assert.equal(s.pendingFields, undefined, 'handed to the write at once');
    for (const [i, url] of ['ab', 'abc', 'abcd'].entries()) {
      s.receive({ url }, i + 2);
      s.flushSoon();
    }
    gate = undefined;
    open();
    while (s.busy) await new Promise((r) => setImmediate(r));
    assert.deepEqual(written, [{ url: 'a' }, { url: 'abcd' }]);
  });
});

describe('keys still in the debounce over a window reload (EditSession.unwritten, resume)', () => {
  /** A SecretStorage in memory that a reload cuts off (what VS Code does before `deactivate`). */
  class CutSecrets {
    readonly map = new Map<string, string>();
    cut = false;
    async get(key: string) {
      return this.map.get(key);
    }
    async store(key: string, value: string) {
      if (this.cut) throw new Error('SecretStorage is closed');
      this.map.set(key, value);
    }
    async delete(key: string) {
      if (this.cut) throw new Error('SecretStorage is closed');
      this.map.delete(key);
    }
  }

  /**
   * An editor of one URL as the request editor is wired: its write checks the file against what the page held (the
   * file read at the write, as refreshPaths does before the watcher says anything), its held edit and its unwritten
   * keys kept in SecretStorage (keptTyping.ts), a new host's editor taking them back.
   */
  async function editorOf(file: { url: string }, kept: KeptTyping) {
    const session: EditSession<{ url: string }> = new EditSession<{ url: string }>({
      debounceMs: 300,
      setTimer: () => 0,
      clearTimer: () => undefined,
      write: async ({ url }, base) => {
        if (base && base.url !== file.url && url !== file.url) throw new HeldEdit('the URL changed on disk while you were editing', 'conflict', ['URL']);
        file.url = url;
      },
      saved: () => undefined,
      heldChanged: () => kept.set('r', 'held', session.heldEdit),
      unwrittenChanged: () => kept.set('r', 'pending', session.keptUnwritten(WHERE)),
    });
    const record = kept.get('r');
    if (record) {
      const { held, resumed } = session.takeKept(record, isUrl);
      if (held) session.hold(held);
      await resumed;
    }
    return session;
  }

  /** where the editor of `editorOf` is (what it keeps with its unwritten keys). */
  const WHERE = { file: 'r.yml' };
  const isUrl = (f: unknown): f is { url: string } => typeof f === 'object' && f !== null && typeof (f as { url?: unknown }).url === 'string';

  it('another program saves the URL being typed, and the window reloads before the watcher says so: the new host holds what was typed and asks', async () => {
    const secrets = new CutSecrets();
    const file = { url: 'http://x/' };
    const kept = new KeptTyping(secrets, 'ws');
    await kept.load();
    const session = await editorOf(file, kept);
    session.receive({ url: 'http://x/m' }, 1, { url: 'http://x/' });
    session.receive({ url: 'http://x/mine' }, 2, { url: 'http://x/m' });
    await kept.settled();
    // Insomnia saves the file; at once the reload: SecretStorage cut off, then deactivate's last flush
    file.url = 'http://theirs/';
    secrets.cut = true;
    await session.flush();
    assert.equal(session.held?.reason, 'conflict', 'the last flush holds it (and cannot keep it now)');
    assert.equal(file.url, 'http://theirs/', 'nothing written over their save');
    // the new host
    secrets.cut = false;
    const next = new KeptTyping(secrets, 'ws');
    await next.load();
    const restored = await editorOf(file, next);
    await restored.flush();
    assert.equal(restored.held?.reason, 'conflict', 'what was typed is held again, asked about');
    assert.deepEqual(restored.pendingFields, { url: 'http://x/mine' });
    assert.equal(file.url, 'http://theirs/');
    await next.settled();
    const record = next.get('r');
    assert.ok(record?.held && record.pending === undefined, 'kept as held now');
    await restored.resolve('mine');
    assert.equal(file.url, 'http://x/mine');
    await next.settled();
    assert.deepEqual(next.ids, [], 'nothing kept once written');
  });

  it('the usual reload: the last flush writes the keys (SecretStorage cannot be told); the new host finds them in the file and writes nothing else', async () => {
    const secrets = new CutSecrets();
    const file = { url: 'http://x/' };
    const kept = new KeptTyping(secrets, 'ws');
    await kept.load();
    const session = await editorOf(file, kept);
    session.receive({ url: 'http://x/typed' }, 1, { url: 'http://x/' });
    await kept.settled();
    secrets.cut = true;
    await session.flush();
    assert.equal(file.url, 'http://x/typed');
    secrets.cut = false;
    const next = new KeptTyping(secrets, 'ws');
    await next.load();
    assert.ok(next.get('r')?.pending, 'still kept: the old host could not remove it');
    const restored = await editorOf(file, next);
    await restored.flush();
    assert.equal(restored.held, undefined);
    assert.equal(restored.busy, false);
    assert.equal(file.url, 'http://x/typed');
    await next.settled();
    assert.deepEqual(next.ids, []);
  });

  it('dropWrittenKeys: a new window lets go of the kept keys its files hold now, of its own kind of editor, not held; it reads the collections only when something is kept', async () => {
    const secrets = new CutSecrets();
    const old = new KeptTyping(secrets, 'ws');
    await old.load();
    const files: Record<string, string> = { 'a.yml': 'http://x/written', 'b.yml': 'http://x/theirs' };
    old.set('request:a', 'pending', { fields: { url: 'http://x/written' }, base: { url: 'http://x/' }, where: { file: 'a.yml' } });
    old.set('request:b', 'pending', { fields: { url: 'http://x/mine' }, base: { url: 'http://x/' }, where: { file: 'b.yml' } });
    old.set('request:held', 'pending', { fields: { url: 'http://x/written' }, where: { file: 'a.yml' } });
    old.set('request:held', 'held', { fields: { url: 'http://x/other' }, message: 'changed on disk', reason: 'conflict', conflicts: ['URL'] });
    old.set('request:nowhere', 'pending', { fields: { url: 'http://x/written' } });
    old.set('environments:a', 'pending', { fields: { url: 'http://x/written' }, where: { file: 'a.yml' } });
    await old.settled();
    const isWhere = (w: unknown): w is { file: string } => typeof w === 'object' && w !== null && typeof (w as { file?: unknown }).file === 'string';
    let reads = 0;
    const next = new KeptTyping(secrets, 'ws');
    await dropWrittenKeys(next, 'request:', isUrl, isWhere, async () => void reads++, (where, fields) => files[where.file] === fields.url);
    await next.settled();
    assert.equal(reads, 1, 'the collections read once');
    assert.deepEqual([...next.ids].sort(), ['environments:a', 'request:b', 'request:held', 'request:nowhere'], 'only the keys its file holds are let go');
    // a window with nothing of its kind kept reads nothing
    let read = false;
    await dropWrittenKeys(next, 'folders:', isUrl, isWhere, async () => void (read = true), () => true);
    assert.equal(read, false);
  });

  it('unwritten: the keys in the debounce and the writes in flight, with the earliest base; none once written or held; said at each change', async () => {
    /** the writes begun, each let through when the test says. */
    const gates: (() => void)[] = [];
    let begun: () => void = () => undefined;
    const writeBegins = () => new Promise<void>((r) => (begun = r));
    const release = async (started: Promise<void>) => {
      await started;
      gates.shift()!();
    };
    let hold = false;
    let said = 0;
    const session: EditSession<{ url?: string; name?: string }> = new EditSession<{ url?: string; name?: string }>({
      debounceMs: 300,
      setTimer: () => 0,
      clearTimer: () => undefined,
      epoch: () => 'main',
      write: async () => {
        await new Promise<void>((r) => {
          gates.push(r);
          begun();
        });
        if (hold) throw new HeldEdit('changed', 'conflict');
      },
      saved: () => undefined,
      unwrittenChanged: () => void said++,
    });
    assert.equal(session.unwritten, undefined);
    session.receive({ url: 'http://x/a' }, 1, { url: 'http://x/' });
    assert.equal(said, 1);
    const started = writeBegins();
    const first = session.flush();
    session.receive({ name: 'N' }, 2, { name: 'n' });
    assert.deepEqual(session.unwritten, { fields: { url: 'http://x/a', name: 'N' }, base: { url: 'http://x/', name: 'n' }, since: 'main' }, 'in flight and in the debounce');
    await release(started);
    await first;
    assert.deepEqual(session.unwritten, { fields: { name: 'N' }, base: { name: 'n' }, since: 'main' }, 'the written batch goes');
    assert.equal(said, 3);
    hold = true;
    const again = writeBegins();
    const second = session.flush();
    await release(again);
    await second;
    assert.ok(session.held);
    assert.equal(session.unwritten, undefined, 'held: kept as held, not as unwritten');
    assert.equal(said, 4);
  });

  it('patchApplied: keys kept over a reload that are in the file already (settings and scripts key by key) are found so; one that differs is not', () => {
    const req = { url: 'http://x/typed', headers: [{ name: 'A', value: '1' }], settings: { encodeUrl: true, followRedirects: 'global' }, scripts: { preRequest: 'p', afterResponse: 'a' } };
    assert.ok(patchApplied(req, { url: 'http://x/typed', settings: { encodeUrl: true }, scripts: { afterResponse: 'a' } }));
    assert.ok(patchApplied(req, { headers: [{ value: '1', name: 'A' }] }), 'key order does not count');
    assert.ok(!patchApplied(req, { url: 'http://x/typed2' }));
    assert.ok(!patchApplied(req, { settings: { encodeUrl: false } }));
    assert.ok(!patchApplied(req, { scripts: { preRequest: 'p2' } }));
  });

  it('fitsKept: a long body is not kept at each key (walked, not serialized)', () => {
    assert.ok(fitsKept({ fields: { url: 'http://x/' }, base: { url: 'http://x' } }));
    assert.ok(!fitsKept({ fields: { body: { mimeType: 'application/json', text: 'x'.repeat(MAX_UNWRITTEN_CHARS) } } }));
    assert.ok(!fitsKept({ fields: { headers: Array.from({ length: 20_000 }, (_, i) => ({ name: `h${i}`, value: 'v' })) } }));
  });
});
