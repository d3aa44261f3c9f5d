// An edit from the request editor against a file someone else changed since the page read it (Insomnia saving the
// same request, a `git checkout` under the editor): the session holds it, unsaved, until the user chooses, and a
// change to another field or the editor's own write is not a conflict.
import { strict as assert } from 'node:assert';
import type { RequestFieldsPatch } from '../../../../src/collections/edits';
import type { HttpRequest } from '../../../../src/collections/model';
import { branchSwitch, conflictingFields, mergeValue, mergeVariables, mergeWithDisk } from '../../../../src/collections/edit/editConflict';
import { EditSession, HeldEdit } from '../../../../src/webviews/editSession';

function request(over: Partial<HttpRequest> = {}): HttpRequest {
  return {
    kind: 'request', id: 'req_1', parentId: 'wrk_1', name: 'Add a pet', description: '', sortKey: 0,
    source: { file: '', yamlPath: [], line: 0 },
    method: 'POST', url: 'http://x/pet', parameters: [], pathParameters: [], headers: [{ name: 'Accept', value: 'application/json' }],
    body: {}, authentication: {}, scripts: { preRequest: '', afterResponse: '' },
    settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true },
    ...over,
  } as HttpRequest;
}

describe('request editor: edits against a file changed on disk', () => {
  it('a field changed on disk since the page read it, and edited by the user, is a conflict', () => {
    const now = request({ url: 'http://x/v2/pets' });
    assert.deepEqual(conflictingFields(now, { url: 'http://x/pet/abc' }, { url: 'http://x/pet' }), ['URL']);
    // a row added on disk while the user typed in another row of the same list
    const headers = [{ name: 'Accept', value: 'application/json' }, { name: 'X-From-Insomnia', value: '1' }];
    assert.deepEqual(conflictingFields(request({ headers }), { headers: [{ name: 'Accept', value: 'application/json; q=1' }] }, { headers: [{ name: 'Accept', value: 'application/json' }] }), ['headers']);
  });

  it('another field changed on disk, the same value on both sides, or no base: no conflict', () => {
    const now = request({ description: 'Changed in Insomnia' });
    assert.deepEqual(conflictingFields(now, { url: 'http://x/pet/abc' }, { url: 'http://x/pet' }), []);
    assert.deepEqual(conflictingFields(request({ url: 'http://x/same' }), { url: 'http://x/same' }, { url: 'http://x/pet' }), []);
    assert.deepEqual(conflictingFields(request({ url: 'http://x/v2' }), { url: 'http://x/pet/abc' }, {}), []);
    // key order and keys holding undefined are no change
    const rows = [{ value: 'application/json', name: 'Accept', disabled: undefined }];
    assert.deepEqual(conflictingFields(request(), { headers: [] }, { headers: rows } as RequestFieldsPatch), []);
  });

  it('settings and scripts are compared key by key', () => {
    const now = request({ scripts: { preRequest: 'changed()', afterResponse: '' } });
    assert.deepEqual(conflictingFields(now, { scripts: { afterResponse: 'mine()' } }, { scripts: { afterResponse: '' } }), []);
    assert.deepEqual(conflictingFields(now, { scripts: { preRequest: 'mine()' } }, { scripts: { preRequest: '' } }), ['scripts']);
  });

  it("the editor's own write read back with more keys is not someone else's change", () => {
    const now = request({ parameters: [{ name: 'a', value: '1', disabled: false }] });
    const sent = [{ name: 'a', value: '1' }];
    const fields = { parameters: [{ name: 'a', value: '12' }] };
    assert.deepEqual(conflictingFields(now, fields, { parameters: sent }), ['query parameters']);
    assert.deepEqual(conflictingFields(now, fields, { parameters: sent }, (key, was, value) => key === 'parameters' && was === sent && value === now.parameters), []);
  });
});

describe('request editor: a field both changed, merged row by row and key by key', () => {
  const ct = { name: 'Content-Type', value: 'application/json', disabled: false };
  const team = { name: 'X-Team', value: 'blue', disabled: true };

  it('Insomnia changed one header, the user typed in another: both kept, no conflict', () => {
    // what the walk saw: held as a conflict, where "Overwrite with Mine" would have put the teammate's value back
    const base = { headers: [ct, team] };
    const disk = request({ headers: [{ ...ct, value: 'application/vnd.team+json' }, team] });
    const mine = { headers: [ct, { ...team, value: 'blue-green' }] };
    const m = mergeWithDisk(disk, mine, base);
    assert.deepEqual(m.conflicts, []);
    assert.deepEqual(m.fields.headers, [{ ...ct, value: 'application/vnd.team+json' }, { ...team, value: 'blue-green' }]);
  });

  it('rows added, removed or changed next to each other on the two sides merge; the user toggling a row Insomnia renamed merges key by key', () => {
    const a = { name: 'a', value: '1' };
    const b = { name: 'b', value: '2' };
    const c = { name: 'c', value: '3' };
    // Insomnia added a row at the end, the user changed the last one
    assert.deepEqual(mergeValue([a, b], [a, b, c], [a, { ...b, value: '22' }]), { value: [a, { ...b, value: '22' }, c] });
    // Insomnia removed the first row, the user added one at the end
    assert.deepEqual(mergeValue([a, b], [b], [a, b, c]), { value: [b, c] });
    // the same row: a new value on disk, disabled by the user
    assert.deepEqual(mergeValue([a, b], [a, { ...b, value: 'x' }], [a, { ...b, disabled: true }]), { value: [a, { ...b, value: 'x', disabled: true }] });
    // auth: Insomnia changed the token, the user the prefix
    assert.deepEqual(mergeValue({ type: 'bearer', token: 't', prefix: '' }, { type: 'bearer', token: 't2', prefix: '' }, { type: 'bearer', token: 't', prefix: 'Pre' }), { value: { type: 'bearer', token: 't2', prefix: 'Pre' } });
    // a form body: a row added on disk, the text type kept, a value typed by the user
    const body = { mimeType: 'multipart/form-data', params: [a] };
    assert.deepEqual(mergeValue(body, { ...body, params: [a, c] }, { ...body, params: [{ ...a, value: '11' }] }), { value: { ...body, params: [{ ...a, value: '11' }, c] } });
  });

  it('the same row or key changed differently, changed on one side and removed on the other, rows added at the same place: a conflict', () => {
    const a = { name: 'a', value: '1' };
    const b = { name: 'b', value: '2' };
    assert.equal(mergeValue([a, b], [a, { ...b, value: 'x' }], [a, { ...b, value: 'y' }]), undefined);
    assert.equal(mergeValue([a, b], [a], [a, { ...b, value: 'y' }]), undefined);
    assert.equal(mergeValue([a], [a, b], [a, { name: 'c', value: '3' }]), undefined);
    assert.equal(mergeValue({ type: 'bearer', token: 't' }, { type: 'bearer', token: 'x' }, { type: 'basic', username: 'u' }), undefined);
    assert.equal(mergeValue('http://x/a', 'http://x/b', 'http://x/c'), undefined);
    const now = request({ url: 'http://x/v2', headers: [{ name: 'Accept', value: 'text/plain' }] });
    const m = mergeWithDisk(now, { url: 'http://x/v3', headers: [{ name: 'Accept', value: 'text/html' }] }, { url: 'http://x/pet', headers: [{ name: 'Accept', value: 'application/json' }] });
    assert.deepEqual(m.conflicts, ['URL', 'headers']);
  });
});

describe('EditSession: a held edit', () => {
  function session(write: (fields: RequestFieldsPatch, base: RequestFieldsPatch | undefined) => Promise<void>) {
    const saved: { seq: number; error?: unknown }[] = [];
    const s = new EditSession({ debounceMs: 1, write, saved: (seq, error) => saved.push({ seq, error }), setTimer: () => 0, clearTimer: () => undefined });
    return { s, saved };
  }

  it('sends the earliest base of a batch with the merged fields', async () => {
    const writes: [RequestFieldsPatch, RequestFieldsPatch | undefined][] = [];
    const { s } = session(async (f, b) => void writes.push([f, b]));
    s.receive({ url: 'u1' }, 1, { url: 'u' });
    s.receive({ url: 'u12' }, 2, { url: 'u1' });
    s.receive({ description: 'd' }, 3, { description: '' });
    await s.flush();
    assert.deepEqual(writes, [[{ url: 'u12', description: 'd' }, { url: 'u', description: '' }]]);
  });

  it('an edit without a base makes its batch unchecked', async () => {
    const writes: (RequestFieldsPatch | undefined)[] = [];
    const { s } = session(async (_f, b) => void writes.push(b));
    s.receive({ url: 'u1' }, 1, { url: 'u' });
    s.receive({ url: 'u12' }, 2);
    await s.flush();
    assert.deepEqual(writes, [undefined]);
  });

  it('keeps a held edit (and what comes after) unsaved until release or discard', async () => {
    let hold = true;
    const writes: [RequestFieldsPatch, RequestFieldsPatch | undefined][] = [];
    const { s, saved } = session(async (f, b) => {
      if (hold) throw new HeldEdit('changed on disk', 'conflict', ['URL']);
      writes.push([f, b]);
    });
    s.receive({ url: 'u1' }, 1, { url: 'u' });
    await s.flush();
    assert.ok(s.held instanceof HeldEdit);
    assert.ok(s.busy, 'a held edit keeps the editor from taking the file’s state');
    assert.equal(s.writtenSeq, 0);
    assert.ok(saved[0].error instanceof HeldEdit);
    s.receive({ url: 'u12' }, 2, { url: 'u1' });
    await s.flush(); // a flush does not write a held edit
    assert.deepEqual(writes, []);
    hold = false;
    await s.release(false);
    assert.deepEqual(writes, [[{ url: 'u12' }, { url: 'u' }]], 'checked again against the first base');
    assert.equal(s.writtenSeq, 2);
    assert.equal(s.busy, false);
  });

  it('release(overwrite) writes without a base; discard drops the edit and counts it as done', async () => {
    let hold = true;
    const writes: (RequestFieldsPatch | undefined)[] = [];
    const { s } = session(async (_f, b) => {
      if (hold && b) throw new HeldEdit('changed', 'conflict');
      writes.push(b);
    });
    s.receive({ url: 'a' }, 1, { url: '' });
    await s.flush();
    await s.release(true);
    assert.deepEqual(writes, [undefined]);
    s.receive({ url: 'ab' }, 2, { url: 'x' });
    await s.flush();
    assert.ok(s.held);
    s.discard();
    assert.equal(s.held, undefined);
    assert.equal(s.busy, false);
    assert.equal(s.writtenSeq, 2);
    hold = false;
    await s.flush();
    assert.deepEqual(writes, [undefined], 'nothing more written');
  });
});

describe('environment editor: variables merged with a change on disk', () => {
  const base = [['scheme', 'https'], ['host', 'petstore3.swagger.io'], ['api_key', 'special-key'], ['pet_id', 10]] as const;

  it('the user typed in one variable, Insomnia changed another: both', () => {
    const disk = [['scheme', 'https'], ['host', 'staging.petstore.io'], ['api_key', 'special-key'], ['pet_id', 10]] as const;
    const mine = [['scheme', 'https'], ['host', 'petstore3.swagger.io'], ['api_key', 'special-key-mine'], ['pet_id', 10]] as const;
    assert.deepEqual(mergeVariables(base, disk, mine), { variables: [['scheme', 'https'], ['host', 'staging.petstore.io'], ['api_key', 'special-key-mine'], ['pet_id', 10]] });
  });

  it('a variable added or removed on disk, one added or removed by the user: each kept or gone', () => {
    const disk = [['scheme', 'https'], ['host', 'petstore3.swagger.io'], ['api_key', 'special-key'], ['pet_id', 10], ['from_insomnia', 1]] as const;
    const mine = [['scheme', 'https'], ['api_key', 'special-key'], ['pet_id', 10], ['mine', 'x']] as const;
    assert.deepEqual(mergeVariables(base, disk, mine), { variables: [['scheme', 'https'], ['api_key', 'special-key'], ['pet_id', 10], ['mine', 'x'], ['from_insomnia', 1]] });
    const removedOnDisk = [['scheme', 'https'], ['host', 'petstore3.swagger.io'], ['api_key', 'special-key']] as const;
    assert.deepEqual(mergeVariables(base, removedOnDisk, [['scheme', 'http'], ...base.slice(1)]), { variables: [['scheme', 'http'], ['host', 'petstore3.swagger.io'], ['api_key', 'special-key']] });
  });

  it('the same variable changed on both sides, or changed on one and removed on the other: a conflict', () => {
    const disk = [['scheme', 'https'], ['host', 'staging.petstore.io'], ['api_key', 'special-key'], ['pet_id', 10]] as const;
    const mine = [['scheme', 'https'], ['host', 'localhost'], ['api_key', 'special-key'], ['pet_id', 10]] as const;
    assert.deepEqual(mergeVariables(base, disk, mine), { conflicts: ['host'] });
    const removedByMe = [['scheme', 'https'], ['api_key', 'special-key'], ['pet_id', 10]] as const;
    assert.deepEqual(mergeVariables(base, disk, removedByMe), { conflicts: ['host'] });
    const removedOnDisk = [['scheme', 'https'], ['api_key', 'special-key'], ['pet_id', 10]] as const;
    assert.deepEqual(mergeVariables(base, removedOnDisk, mine), { conflicts: ['host'] });
    // both made the same change: no conflict
    assert.deepEqual(mergeVariables(base, disk, disk), { variables: disk.map(([k, v]) => [k, v]) });
  });

  it('branchSwitch: says which branch the edit was typed on and which is checked out now; nothing when it is the same', () => {
    assert.equal(branchSwitch('ref: refs/heads/main', 'ref: refs/heads/main'), undefined);
    assert.equal(branchSwitch(undefined, 'ref: refs/heads/main'), undefined, 'no repository when the edit began: nothing to compare');
    assert.equal(branchSwitch('ref: refs/heads/main', 'ref: refs/heads/feature/x'), 'from main to feature/x');
    assert.equal(branchSwitch('ref: refs/heads/main', '0123456789abcdef0123456789abcdef01234567'), 'from main to a detached HEAD at 0123456');
    assert.equal(branchSwitch('ref: refs/heads/main', undefined), 'from main to no repository');
  });
});
