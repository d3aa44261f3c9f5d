// The undo step of a cURL command pasted into the URL field (pasteStep.ts): Undo gives back only the fields that still
// hold what the paste put there, Redo sets again only the fields that still hold what Undo gave back.
import { strict as assert } from 'node:assert';
import type { RequestFieldsPatch } from '../../../src/collections/edits';
import { withPatch } from '../../../src/webviews/editSession';
import { stepPatch } from '../../../src/webviews/pasteStep';
import type { RequestView } from '../../../src/webviews/protocol';

describe('the undo step of a pasted cURL command', () => {
  const before: RequestFieldsPatch = {
    method: 'POST',
    url: '{{ _.base_url }}/transactions',
    parameters: [{ id: 'pair_1', name: 'debug', value: '1', disabled: true }],
    headers: [{ id: 'pair_2', name: 'Content-Type', value: 'application/json' }],
    body: { mimeType: 'application/json', text: '{"id":43}' },
    authentication: { type: 'apikey', key: 'apikey', value: '{{ _.apikey }}', addTo: 'header' },
    settings: { followRedirects: 'global' },
  };
  const pasted: RequestFieldsPatch = {
    method: 'PUT',
    url: 'https://b.test/pasted',
    parameters: [{ name: 'dryRun', value: 'true' }],
    headers: [{ name: 'X-Trace', value: 't-1' }],
    body: { mimeType: 'text/plain', text: 'pasted body' },
    authentication: { type: 'basic', username: 'alice', password: 's3cret' },
    settings: { followRedirects: 'on' },
  };
  const page = (fields: RequestFieldsPatch) => withPatch({ description: 'kept', settings: { renderRequestBody: true }, scripts: {} } as unknown as RequestView, fields);

  it('nothing edited since the paste: Undo gives every field back, Redo sets every field again', () => {
    const after = withPatch(page(before), pasted);
    const undo = stepPatch(after, pasted, before);
    assert.deepEqual(undo, before);
    assert.deepEqual(stepPatch(withPatch(after, undo), before, pasted), pasted);
  });

  it('a header edited after the paste keeps the edit through Undo and Redo; the other fields go back and forth', () => {
    const edited = withPatch(withPatch(page(before), pasted), { headers: [{ name: 'X-Trace', value: 't-1-edited' }] });
    const undo = stepPatch(edited, pasted, before);
    assert.equal(undo.headers, undefined, 'the edited headers are not given back');
    assert.deepEqual(Object.keys(undo).sort(), ['authentication', 'body', 'method', 'parameters', 'settings', 'url']);
    const undone = withPatch(edited, undo);
    assert.deepEqual(undone.headers, [{ name: 'X-Trace', value: 't-1-edited' }]);
    assert.equal(undone.url, before.url);
    const redo = stepPatch(undone, before, pasted);
    assert.equal(redo.headers, undefined, 'Redo does not put the pasted header over the edit either');
    assert.deepEqual(withPatch(undone, redo), edited);
  });

  it('a setting is checked key by key; every field edited since: nothing to do', () => {
    const after = withPatch(page(before), pasted);
    const moved = withPatch(after, { settings: { followRedirects: 'off' } });
    assert.equal(stepPatch(moved, pasted, before).settings, undefined);
    const all = withPatch(after, { method: 'GET', url: 'x', parameters: [], headers: [], body: {}, authentication: {}, settings: { followRedirects: 'off' } });
    assert.deepEqual(stepPatch(all, pasted, before), {});
  });

  it('a value equal in content but built anew (key order, undefined keys) counts as unchanged', () => {
    const after = withPatch(page(before), pasted);
    const rebuilt = withPatch(after, { authentication: { password: 's3cret', username: 'alice', type: 'basic', disabled: undefined } as RequestFieldsPatch['authentication'] });
    assert.deepEqual(stepPatch(rebuilt, pasted, before).authentication, before.authentication);
  });

  it('the rows as the host reads them back from the file (an id given, `disabled: false` kept) count as unchanged', () => {
    const after = withPatch(page(before), pasted);
    const reread = withPatch(after, {
      parameters: [{ id: 'pair_9', name: 'dryRun', value: 'true', disabled: false }],
      headers: [{ id: 'pair_8', name: 'X-Trace', value: 't-1', disabled: false, description: '' }],
    });
    const undo = stepPatch(reread, pasted, before);
    assert.deepEqual(undo.headers, before.headers);
    assert.deepEqual(undo.parameters, before.parameters);
    // a row turned off is an edit
    const off = withPatch(reread, { headers: [{ id: 'pair_8', name: 'X-Trace', value: 't-1', disabled: true }] });
    assert.equal(stepPatch(off, pasted, before).headers, undefined);
  });
});
