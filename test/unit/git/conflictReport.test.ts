// describeConflict names the Insomnia items and fields both sides changed, for legacy and v5 files.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { describeConflict } from '../../../src/git/conflictReport';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const fixture = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture contains ${from}`);
  return text.replace(from, to);
}

describe('describeConflict', () => {
  it('v5: names the requests, folders and environments both sides changed, and the fields', () => {
    const base = fixture('v5/kong-example/everything.yaml');
    let ours = replaceOnce(base, 'url: "{{ _.base_url }}/user/login"', 'url: "{{ _.base_url }}/v2/login"');
    ours = replaceOnce(ours, 'method: POST', 'method: PUT'); // login's method: ours only
    ours = replaceOnce(ours, 'base_url: localhost:3000', 'base_url: localhost:4000');
    ours = replaceOnce(ours, '  - name: FolderTree', '  - name: Folder Tree (ours)');
    let theirs = replaceOnce(base, 'url: "{{ _.base_url }}/user/login"', 'url: "{{ _.base_url }}/auth/login"');
    theirs = replaceOnce(theirs, 'method: GET\n        parameters:', 'method: DELETE\n        parameters:'); // subscribe: theirs only
    theirs = replaceOnce(theirs, 'base_url: localhost:3000', 'base_url: example.com');
    theirs = replaceOnce(theirs, '  - name: FolderTree', '  - name: Folder Tree (theirs)');
    theirs = replaceOnce(theirs, 'modified: 1761833710936', 'modified: 1761900000000'); // timestamps are not conflicts
    const items = describeConflict('everything.yaml', base, ours, theirs);
    assert.deepStrictEqual(items, [
      { id: 'req_4a718571131347b6bf7c1960ac0aa461', name: 'login', type: 'request', fields: ['url'] },
      { id: 'fld_e228a6e508904faea73800e38d5348de', name: 'Folder Tree (ours)', type: 'folder', fields: ['name'] },
      { id: 'env_576b47fd1dd34ae9958b41535beb6061', name: 'New Environment', type: 'environment', fields: ['data'] },
    ]);
  });

  it('v5: a request deleted on one side and changed on the other', () => {
    const base = fixture('v5/kong-example/my_collection.yaml');
    const ours = replaceOnce(base, 'method: GET', 'method: POST');
    const start = base.indexOf('  - url: ""');
    const end = base.indexOf('cookieJar:');
    const theirs = base.slice(0, start) + base.slice(end).replace(/^/, '');
    const items = describeConflict('my_collection.yaml', base, ours, theirs.replace('collection:\n', 'collection: []\n'));
    assert.deepStrictEqual(items, [{ id: 'req_748149568444450fa0d609ff8ca800a0', name: 'New Request', type: 'request', fields: ['(deleted)'] }]);
  });

  it('legacy: the request of a .insomnia/Request file and its top-level fields', () => {
    const file = '.insomnia/Request/req_24779fe123164fde9901eb7cfd649ae5.yml';
    const base = fixture('legacy/kong-example-design/' + file);
    const ours = replaceOnce(replaceOnce(base, 'url: ""', 'url: https://ours'), 'modified: 1663751746993', 'modified: 1');
    const theirs = replaceOnce(replaceOnce(base, 'url: ""', 'url: https://theirs'), 'headers: []', 'headers: [{name: A, value: b}]');
    assert.deepStrictEqual(describeConflict(file, base, ours, theirs), [
      { id: 'req_24779fe123164fde9901eb7cfd649ae5', name: 'Test', type: 'Request', fields: ['url'] },
    ]);
    // added on both sides differently: no base
    assert.deepStrictEqual(describeConflict(file, null, ours, theirs), [
      { id: 'req_24779fe123164fde9901eb7cfd649ae5', name: 'Test', type: 'Request', fields: ['headers', 'url'] },
    ]);
  });

  it('files that are not Insomnia YAML, or not YAML at all, give no items', () => {
    assert.deepStrictEqual(describeConflict('README.md', 'a', 'b', 'c'), []);
    assert.deepStrictEqual(describeConflict('x.yaml', 'a: 1\n', 'a: 2\n', 'a: 3\n'), []);
    assert.deepStrictEqual(describeConflict('x.yaml', 'a: [', '<<<<<<<', ': :'), []);
  });
});
