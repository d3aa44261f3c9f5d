// A conflicted collection file staged as the user left it: markers left, or a conflicted field that holds the common
// ancestor's value (neither side's change, what the merge editor's "No Changes Accepted" plus autosave leaves).

import * as assert from 'node:assert/strict';
import { describeUnresolved, unresolvedConflicts } from '../../../src/collections/unresolvedConflicts';
import { requestYaml } from '../git/gitTestRepos';

/** A legacy request file (gitTestRepos' requestYaml) with its own `modified` stamp. */
const legacy = (name: string, url: string, modified = 1700000000000) => requestYaml('req_1', name, url).replace(/^modified: .*$/m, `modified: ${modified}`);

const v5 = (url: string, desc = 'x') =>
  [
    'type: collection.insomnia.rest/5.0',
    'name: C',
    'meta:',
    '  id: wrk_1',
    'collection:',
    '  - url: ' + url,
    '    name: R',
    '    meta:',
    '      id: req_1',
    `      description: ${desc}`,
    '    method: GET',
    '',
  ].join('\n');

describe('unresolved conflicts in a staged collection file', () => {
  const path = '.insomnia/Request/req_1.yml';
  const base = legacy('Get a pet', 'http://x/pet');
  const ours = legacy('Read a pet', 'http://x/pet', 1700000000001);
  const theirs = legacy('Fetch a pet', 'http://x/pet', 1700000000002);

  it('the merge reports a conflict on name: either side, or a value of the user\'s own, is resolved', () => {
    for (const text of [ours, theirs, legacy('Look up a pet', 'http://x/pet', 1700000000003)]) assert.deepEqual(unresolvedConflicts(path, text, base, ours, theirs), []);
  });

  it("the ancestor's value, the markers gone (the merge editor's start, autosaved): the field is named", () => {
    const found = unresolvedConflicts(path, legacy('Get a pet', 'http://x/pet', 1700000000002), base, ours, theirs);
    assert.deepEqual(found.map((u) => [u.why, u.conflict.field]), [['ancestor', 'name']]);
    assert.match(describeUnresolved(found)[0]!, /name holds the common ancestor's value/);
  });

  it('markers left in the text are named with their line', () => {
    const text = ours.replace('name: Read a pet\n', '<<<<<<< HEAD\nname: Read a pet\n=======\nname: Fetch a pet\n>>>>>>> theirs\n');
    const found = unresolvedConflicts(path, text, base, ours, theirs);
    assert.deepEqual(found.map((u) => [u.why, u.line]), [['markers', 7]]);
  });

  it('one marker line left alone (the user deleted its <<<<<<< or its >>>>>>>) is still named, with its line', () => {
    const full = ours.replace('name: Read a pet\n', '<<<<<<< HEAD\nname: Read a pet\n=======\nname: Fetch a pet\n>>>>>>> theirs\n');
    const left = {
      'no <<<<<<<': [full.replace('<<<<<<< HEAD\n', ''), 8],
      'no >>>>>>>': [full.replace('>>>>>>> theirs\n', ''), 7],
      'only >>>>>>>': [full.replace('<<<<<<< HEAD\n', '').replace('=======\nname: Fetch a pet\n', ''), 8],
      'CRLF, only =======': [full.replace('<<<<<<< HEAD\n', '').replace('>>>>>>> theirs\n', '').replace(/\n/g, '\r\n'), 8],
    } as const;
    for (const [what, [text, line]] of Object.entries(left)) {
      assert.deepEqual(unresolvedConflicts(path, text, base, ours, theirs).map((u) => [u.why, u.line]), [['markers', line]], what);
    }
    // a value that merely holds such text is no marker (YAML indents it)
    const body = ours.replace('body: {}', 'body:\n  mimeType: text/plain\n  text: |-\n    =======\n    >>>>>>> not a marker');
    assert.deepEqual(unresolvedConflicts(path, body, base, ours, theirs), []);
    // nor a Markdown heading underlined with seven `=`, in a conflicted README resolved by hand
    assert.deepEqual(unresolvedConflicts('README.md', 'Hammock\n=======\n\nNotes.\n', 'a\n', 'b\n', 'c\n'), []);
    assert.deepEqual(unresolvedConflicts('README.md', 'Hammock\n>>>>>>> theirs\n', 'a\n', 'b\n', 'c\n').map((u) => [u.why, u.line]), [['markers', 2]]);
  });

  it('a field only one side changed is no conflict, whatever it holds', () => {
    const o = legacy('Read a pet', 'http://x/pet');
    const t = legacy('Get a pet', 'http://x/pets');
    assert.deepEqual(unresolvedConflicts(path, base, base, o, t), []);
  });

  it('an environment variable whose name holds a dot or a space, left at the ancestor\'s value, is named', () => {
    const env = (url: string, user: string, modified: number) =>
      ['_id: env_1', 'type: Environment', 'parentId: wrk_1', `modified: ${modified}`, 'created: 1700000000000', 'name: Base Environment', 'data:', `  api.url: ${url}`, `  my user: ${user}`, 'dataPropertyOrder: null', 'color: null', 'isPrivate: false', 'metaSortKey: 1', ''].join('\n');
    const file = '.insomnia/Environment/env_1.yml';
    const b = env('http://a', 'ann', 1700000000000);
    const o = env('http://ours', 'bob', 1700000000001);
    const t = env('http://theirs', 'cat', 1700000000002);
    const found = unresolvedConflicts(file, env('http://a', 'ann', 1700000000002), b, o, t);
    assert.deepEqual(found.map((u) => [u.why, u.conflict.field]).sort(), [['ancestor', 'data.api.url'], ['ancestor', 'data.my user']]);
    assert.deepEqual(unresolvedConflicts(file, env('http://ours', 'cat', 1700000000002), b, o, t), []);
  });

  it('v5: a request inside the collection, found by its meta.id', () => {
    const b = v5('http://x/a');
    const o = v5('http://x/ours');
    const t = v5('http://x/theirs');
    const found = unresolvedConflicts('c.yaml', v5('http://x/a'), b, o, t);
    assert.deepEqual(found.map((u) => [u.why, u.conflict.itemId, u.conflict.field]), [['ancestor', 'req_1', 'url']]);
    assert.deepEqual(unresolvedConflicts('c.yaml', o, b, o, t), []);
  });

  it('a file added on both sides, or one that is not Insomnia data: only markers are looked for', () => {
    assert.deepEqual(unresolvedConflicts(path, ours, null, ours, theirs), []);
    assert.deepEqual(unresolvedConflicts('notes.yml', 'a: 1\n', 'a: 0\n', 'a: 2\n', 'a: 3\n'), []);
  });
});
