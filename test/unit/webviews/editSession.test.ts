// The request editor's edits as the host merges them for a debounce (EditSession, mergePatch) and as the page keeps
// them (withPatch): each edit names only the field typed in, so a merge must keep what an earlier edit named.
import { strict as assert } from 'node:assert';
import type { RequestFieldsPatch } from '../../../src/collections/edits';
import { EditSession, mergePatch, withPatch } from '../../../src/webviews/editSession';

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
