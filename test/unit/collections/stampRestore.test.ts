// An edit taken back leaves the file as it was: which differences are `modified` stamps only.
import { strict as assert } from 'node:assert';
import { onlyStampsDiffer, restoreItemStamps } from '../../../src/collections/stampRestore';

describe('onlyStampsDiffer', () => {
  const legacy = (modified: number, url = 'http://x') => `_id: req_1\ntype: Request\nmodified: ${modified}\ncreated: 1700000000000\nurl: ${url}\nname: A\n`;
  const v5 = (itemStamp: number, extra = '') => [
    'type: collection.insomnia.rest/5.0',
    'name: C',
    'meta:',
    '  id: wrk_1',
    '  modified: 1700000000001',
    'collection:',
    '  - url: http://x',
    '    name: A',
    '    meta:',
    '      id: req_1',
    '      created: 1700000000000',
    `      modified: ${itemStamp}`,
    '    body:',
    '      mimeType: text/plain',
    `      text: |-${extra}`,
    '        meta:',
    '          modified: 1700000000005',
    'environments:',
    '  name: Base',
    '  data:',
    '    meta:',
    '      modified: 1700000000006',
    '',
  ].join('\n');

  it('a legacy document whose top-level modified alone changed', () => {
    assert.equal(onlyStampsDiffer(legacy(1700000000000), legacy(1800000000000)), true);
    assert.equal(onlyStampsDiffer(legacy(1700000000000), legacy(1800000000000, 'http://y')), false, 'and its url');
    assert.equal(onlyStampsDiffer(legacy(1700000000000), legacy(1700000000000)), true);
  });

  it('a v5 item whose meta.modified alone changed', () => {
    assert.equal(onlyStampsDiffer(v5(1700000000002), v5(1800000000002)), true);
    assert.equal(onlyStampsDiffer(v5(1700000000002), v5(1800000000002).replace('name: A', 'name: B')), false);
  });

  it('a `modified:` line in a body text or in an environment\'s data is what the user wrote, not a stamp', () => {
    const base = v5(1700000000002);
    assert.equal(onlyStampsDiffer(base, base.replace('          modified: 1700000000005', '          modified: 1700000000009')), false, 'in a block scalar');
    assert.equal(onlyStampsDiffer(base, base.replace('      modified: 1700000000006', '      modified: 1700000000009')), false, 'a variable under data');
    const env = 'name: E\ndata:\n  modified: 1700000000000\n';
    assert.equal(onlyStampsDiffer(env, env.replace('1700000000000', '1700000000001')), false, 'an indented variable of a legacy environment');
  });

  it('a stamp of another length is a difference (nothing is compared)', () => {
    assert.equal(onlyStampsDiffer(legacy(17), legacy(1800000000000)), false);
  });
});

describe('restoreItemStamps', () => {
  // a folder holding two requests: a is 'a' and b is 'b' in the file before the store's writes
  const file = (o: { a?: string; aStamp?: number; b?: string; bStamp?: number; folder?: string; folderStamp?: number; body?: string }) => [
    'type: collection.insomnia.rest/5.0',
    'name: C',
    'collection:',
    `  - name: ${o.folder ?? 'F'}`,
    '    meta:',
    '      id: fld_1',
    `      modified: ${o.folderStamp ?? 1700000000010}`,
    '    children:',
    `      - url: http://${o.a ?? 'a'}`,
    '        name: A',
    '        meta:',
    '          id: req_a',
    `          modified: ${o.aStamp ?? 1700000000001}`,
    '        body:',
    `          text: ${o.body ?? 'x'}`,
    `      - url: http://${o.b ?? 'b'}`,
    '        name: B',
    '        meta:',
    '          id: req_b',
    `          modified: ${o.bStamp ?? 1700000000002}`,
    '',
  ].join('\n');
  const start = file({});

  it('a request taken back gets its stamp from before the writes, while another request keeps its change and new stamp', () => {
    const now = file({ a: 'a2', aStamp: 1800000000001, b: 'b2', bStamp: 1800000000002 });
    const next = file({ a: 'a2', aStamp: 1800000000001, bStamp: 1800000000003 });
    assert.equal(restoreItemStamps(start, now, next), file({ a: 'a2', aStamp: 1800000000001 }));
  });

  it('a request still changed keeps its new stamp', () => {
    const now = file({ a: 'a2', aStamp: 1800000000001 });
    const next = file({ a: 'a2', aStamp: 1800000000001, b: 'b3', bStamp: 1800000000003 });
    assert.equal(restoreItemStamps(start, now, next), next);
  });

  it('a folder taken back while a request inside it keeps a change: the folder keeps its new stamp (its block holds its children)', () => {
    const now = file({ a: 'a2', aStamp: 1800000000001, folder: 'G', folderStamp: 1800000000010 });
    const next = file({ a: 'a2', aStamp: 1800000000001, folderStamp: 1800000000011 });
    assert.equal(restoreItemStamps(start, now, next), next);
  });

  it('a folder taken back with nothing else changed inside: its stamp from before', () => {
    const now = file({ b: 'b2', bStamp: 1800000000002, folder: 'G', folderStamp: 1800000000010 });
    const next = file({ b: 'b2', bStamp: 1800000000002, folderStamp: 1800000000011 });
    // the folder's block holds b's change: not restored; b alone was not written by this write
    assert.equal(restoreItemStamps(start, now, next), next);
    const onlyFolder = file({ folder: 'G', folderStamp: 1800000000010 });
    assert.equal(restoreItemStamps(start, onlyFolder, file({ folderStamp: 1800000000011 })), start);
  });

  it('what a user wrote that looks like a stamp (a line of a body text) is never taken for one', () => {
    const body = (stamp: number) => `|-\n            modified: ${stamp}`;
    const before = file({ body: body(1700000000009) });
    const now = file({ body: body(1800000000009), aStamp: 1800000000001 });
    const next = file({ body: body(1700000000009), aStamp: 1800000000002 });
    // the body's line is back, a's stamp is restored: the body's line came back through the edit, not through this
    assert.equal(restoreItemStamps(before, now, next), before);
    const other = file({ body: body(1700000000008), aStamp: 1800000000002 });
    assert.equal(restoreItemStamps(before, now, other), other, 'a body line that differs is a change: nothing restored');
  });

  it('an item larger than 64 KB (a large body) is left to the whole-file check: a keystroke in it costs nothing here', () => {
    const big = (x: string) => `|-\n${`            ${x.repeat(80)}\n`.repeat(1000).trimEnd()}`;
    const before = file({ body: big('a') });
    const now = file({ body: big('a').replace(/a$/, 'b'), aStamp: 1800000000001 });
    const next = file({ body: big('a'), aStamp: 1800000000002 });
    assert.equal(restoreItemStamps(before, now, next), next);
  });

  it('an item found at another depth (moved) is left alone', () => {
    const moved = start.replace('      - url: http://b\n        name: B\n        meta:\n          id: req_b\n          modified: 1700000000002\n', '') + '  - url: http://b\n    name: B\n    meta:\n      id: req_b\n      modified: 1700000000002\n';
    const now = file({ bStamp: 1800000000002 });
    const next = file({ bStamp: 1800000000003 });
    assert.equal(restoreItemStamps(moved, now, next), next);
  });
});
