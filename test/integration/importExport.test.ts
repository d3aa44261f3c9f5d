// Import, export, conversion and Copy as cURL inside a real VS Code: each command is driven with its arguments (no
// dialog), and the files it writes are read back from disk and through the store.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { RequestNode } from '../../src/tree/collectionsTree';
import { activateHammock, inWorkspace, waitFor } from './helpers';

/** A small v5 collection with a base and a sub environment, written by the test (not copied from anywhere). */
const CURL_COLLECTION = `type: collection.insomnia.rest/5.0
name: Curl Test
meta:
  id: wrk_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0
  created: 1700000000000
  modified: 1700000000000
  description: ""
collection:
  - url: "{{ base }}/users"
    name: Create user
    meta:
      id: req_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001
      created: 1700000000000
      modified: 1700000000000
      isPrivate: false
      description: ""
      sortKey: -1
    method: POST
    body:
      mimeType: application/json
      text: '{"name": "{{ user }}"}'
    headers:
      - name: Content-Type
        value: application/json
      - name: Authorization
        value: Token {{ token }}
  - url: "{{ base }}/{{ missing_var }}"
    name: Broken
    meta:
      id: req_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c002
      created: 1700000000000
      modified: 1700000000000
      isPrivate: false
      description: ""
      sortKey: -2
    method: GET
environments:
  name: Base Environment
  meta:
    id: env_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0
    created: 1700000000000
    modified: 1700000000000
    isPrivate: false
  data:
    base: http://base.example
    token: base-token
    user: ann
  subEnvironments:
    - name: Staging
      meta:
        id: env_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0s1
        created: 1700000000000
        modified: 1700000000000
        isPrivate: false
        sortKey: 1
      data:
        base: https://staging.example
        token: staging-token
`;

describe('Import, export, conversion, Copy as cURL', () => {
  let api: HammockApi;
  const errors: string[] = [];
  let restoreErrors: (() => void) | undefined;

  before(async () => {
    api = await activateHammock();
    // record the error notifications the commands show (and answer none of them)
    const win = vscode.window as { showErrorMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showErrorMessage;
    win.showErrorMessage = (message: unknown) => {
      errors.push(String(message));
      return Promise.resolve(undefined);
    };
    restoreErrors = () => (win.showErrorMessage = original);
  });
  after(() => restoreErrors?.());

  const collectionNamed = (name: string): Collection | undefined => api.store.collections.find((c) => c.name === name);
  const requestNamed = (c: Collection, name: string): HttpRequest => {
    const r = [...walkItems(c.children)].find((i) => i.name === name);
    assert.ok(r && r.kind === 'request', `request "${name}" in ${c.name}`);
    return r;
  };

  describe('Copy as cURL', () => {
    let file: string;
    before(async () => {
      file = inWorkspace('curl-test.yaml');
      await fsp.writeFile(file, CURL_COLLECTION);
      await api.store.refreshPaths([file]);
      await waitFor('the curl test collection', () => collectionNamed('Curl Test'), 8000);
    });
    after(async () => {
      await api.activeEnvironments.set('wrk_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0', undefined);
      await fsp.rm(file, { force: true });
      await api.store.refreshPaths([file]);
    });

    it('copies a tree request rendered with the base environment', async () => {
      const c = collectionNamed('Curl Test')!;
      await vscode.env.clipboard.writeText('');
      const result = await vscode.commands.executeCommand<string>('hammock.copyAsCurl', new RequestNode(c, requestNamed(c, 'Create user')));
      const clip = await vscode.env.clipboard.readText();
      assert.equal(clip, result);
      assert.match(clip, /^curl --request POST/);
      assert.ok(clip.includes('http://base.example/users'), clip);
      assert.ok(clip.includes('Authorization: Token base-token'), clip);
      assert.ok(clip.includes('{"name": "ann"}'), clip);
      assert.ok(!clip.includes('{{'), clip);
    });

    it('uses the active sub-environment, as Send does', async () => {
      const c = collectionNamed('Curl Test')!;
      await api.activeEnvironments.set(c.id, 'env_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0s1');
      await vscode.commands.executeCommand('hammock.copyAsCurl', { collectionPath: c.path, requestId: requestNamed(c, 'Create user').id });
      const clip = await vscode.env.clipboard.readText();
      assert.ok(clip.includes('https://staging.example/users'), clip);
      assert.ok(clip.includes('Authorization: Token staging-token'), clip);
      assert.ok(clip.includes('{"name": "ann"}'), 'a variable only the base defines still renders');
    });

    it('a template error names the variable and copies nothing', async () => {
      const c = collectionNamed('Curl Test')!;
      await vscode.env.clipboard.writeText('before');
      errors.length = 0;
      const result = await vscode.commands.executeCommand('hammock.copyAsCurl', new RequestNode(c, requestNamed(c, 'Broken')));
      assert.equal(result, undefined);
      assert.equal(await vscode.env.clipboard.readText(), 'before');
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0], /Broken/);
      assert.match(errors[0], /"missing_var"/);
    });
  });
});
