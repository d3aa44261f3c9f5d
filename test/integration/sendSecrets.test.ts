// What a Send leaves on disk when the response carries secrets: a private environment's token echoed by the server in
// a body too large to keep in memory (the HTTP engine spills it to a temp file), and a token an after-response script
// sets in the private environment. Every file Hammock wrote (the temp folder and the workspace storage) is read back:
// none holds a secret, and the whole large body is still there to open, with the secrets masked.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { maxBlockDuring } from '../../bench/measure';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, V5_REQUEST_SETTINGS, waitFor } from './helpers';

// made at run time: no token-shaped literal in the repository
const TOKEN = ['spill', 'Tok', 'K3vQ9xR2mW7pL5zN8bJ4'].join('');
const OLD = ['old', 'Tok', 'B5rM2kD9wQ4jX7cZ1pT6'].join('');
const FRESH = ['fresh', 'Tok', 'H6tY1uC8nE3aS0dF5gV2'].join('');
/** a key in the collection file's own base environment (not a private one): secret-looking by its name, api_key */
const FILE_KEY = ['file', 'Key', 'P7wQ2eR9tY4uI1oA6sD3'].join('');

const IDS = {
  workspace: 'wrk_5e0d0a1c0000400080000000000005a1',
  big: 'req_5e0d0a1c0000400080000000000005b1',
  fresh: 'req_5e0d0a1c0000400080000000000005b2',
  fileKey: 'req_5e0d0a1c0000400080000000000005b3',
  base: 'env_5e0d0a1c0000400080000000000005c1',
  mine: 'env_5e0d0a1c0000400080000000000005d1',
};

function collectionText(base: string): string {
  return `type: collection.insomnia.rest/5.0
name: Send Secrets
meta:
  id: ${IDS.workspace}
  created: 1761126643282
  modified: 1761126643282
  description: ""
collection:
  - url: "{{ _.base }}/big"
    name: Big
    meta:
      id: ${IDS.big}
      created: 1761126647433
      modified: 1761126647433
      isPrivate: false
      description: ""
      sortKey: -1761126647433
    method: GET
    authentication:
      type: bearer
      token: "{{ _.token }}"
${V5_REQUEST_SETTINGS}
  - url: "{{ _.base }}/fresh"
    name: Fresh
    meta:
      id: ${IDS.fresh}
      created: 1761126647434
      modified: 1761126647434
      isPrivate: false
      description: ""
      sortKey: -1761126647434
    method: GET
    headers:
      - name: X-Token
        value: "{{ _.fresh }}"
    scripts:
      afterResponse: |-
        insomnia.environment.set('fresh', insomnia.response.json().fresh);
        console.log('fresh token', insomnia.environment.get('fresh'));
${V5_REQUEST_SETTINGS}
  - url: "{{ _.base }}/file-key"
    name: File key
    meta:
      id: ${IDS.fileKey}
      created: 1761126647435
      modified: 1761126647435
      isPrivate: false
      description: ""
      sortKey: -1761126647435
    method: GET
    headers:
      - name: X-Token
        value: "{{ _.api_key }}"
${V5_REQUEST_SETTINGS}
environments:
  name: Base Environment
  meta:
    id: ${IDS.base}
    created: 1761126643288
    modified: 1761126643288
    isPrivate: false
  data:
    base: ${base}
    api_key: ${FILE_KEY}
`;
}

/** Bytes of the large body (over the engine's 10 MB kept in memory) and how many times the token is in it. */
const BIG = 11 * 1024 * 1024;
/** the token every this many bytes: a prime, so it falls across the read chunks' edges at many offsets. */
const EVERY = 100_003;

/** Every file under `dir` (none when it is gone). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

describe('Send: secrets never on disk, large bodies and script-set values included', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let server: http.Server;
  let dir: string;
  let file: string;
  let activeBefore: string | undefined;
  let inserted = 0;
  let spilled: string | undefined;
  const started = Date.now() - 1000;

  /**
   * The files Hammock may have written for a Send: its temp files since the suite started (the body spilled; those of
   * other runs are not this one's) and everything in the workspace storage folder.
   */
  const written = async (): Promise<string[]> => {
    const temp: string[] = [];
    for (const name of await fsp.readdir(os.tmpdir())) {
      const p = path.join(os.tmpdir(), name);
      if (name.startsWith('hammock-response-') && ((await fsp.stat(p).catch(() => undefined))?.mtimeMs ?? 0) >= started) temp.push(p);
    }
    const responses = (api.requestPanels as unknown as { deps: { history: { dir?: string } } }).deps.history.dir;
    assert.ok(responses, 'a workspace storage folder');
    return [...temp, ...(await filesUnder(path.dirname(responses)))];
  };

  /** Fails naming each file that holds `secret`. */
  const assertNowhere = async (secret: string) => {
    const holding: string[] = [];
    for (const f of await written()) if ((await fsp.readFile(f).catch(() => Buffer.alloc(0))).includes(secret)) holding.push(f);
    assert.deepEqual(holding, [], 'no file Hammock wrote holds the secret');
  };

  before(async () => {
    api = await activateHammock();
    server = http.createServer((req, res) => {
      if (req.url === '/big') {
        // the server echoes the credentials it got, over and over, in a body too large to keep in memory
        const echoed = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
        const body = Buffer.alloc(BIG, 'x');
        inserted = 0;
        for (let at = 7; at + echoed.length <= BIG; at += EVERY, inserted++) body.write(echoed, at);
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let at = 0; at < BIG; at += 1 << 20) res.write(body.subarray(at, at + (1 << 20)));
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      // the token sent is echoed, and the server hands out the next one (the script keeps it in place of the old one)
      res.end(JSON.stringify({ got: req.headers['x-token'], fresh: FRESH }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dir = inWorkspace('send-secrets');
    await fsp.mkdir(dir, { recursive: true });
    file = path.join(dir, 'send-secrets.yaml');
    await fsp.writeFile(file, collectionText(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    await api.store.refreshPaths([file]);
    await waitFor('the store to read the collection', () => api.store.collections.find((c) => c.path === file), 10_000);
    activeBefore = api.activeEnvironments.get(IDS.workspace);
    await api.localEnvironments.createEnvironment(IDS.workspace, { id: IDS.mine, name: 'Mine', data: { token: TOKEN, fresh: OLD }, color: null });
    await api.activeEnvironments.set(IDS.workspace, IDS.mine);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.activeEnvironments.set(IDS.workspace, activeBefore);
    await api.localEnvironments.deleteEnvironment(IDS.workspace, IDS.mine);
    await fsp.rm(dir, { recursive: true, force: true });
    await api.store.refreshPaths([dir]);
    await new Promise<void>((r) => server.close(() => r()));
    if (spilled) await fsp.rm(spilled, { force: true });
  });

  it('a large body echoing a private environment\'s token: spilled to a temp file with the token masked, opened whole', async () => {
    // (how long the host's thread is held while the body is received, spilled, masked and kept, the engine's bundle
    // loaded by this first Send included: shown, for the record)
    const { maxBlockMs } = await maxBlockDuring(() => vscode.commands.executeCommand('hammock.sendRequest', { collectionPath: file, requestId: IDS.big }));
    console.log(`      (blocked at most ${maxBlockMs.toFixed(0)} ms)`);
    const record = api.requestPanels.viewer.current!;
    assert.equal(record.status, 200, record.error);
    spilled = record.bodyFile;
    assert.ok(record.bodyFile, 'the body was spilled to a file');
    assert.ok(inserted > 100, 'the server echoed the token');
    await assertNowhere(TOKEN);
    // the whole body is still there, each token masked
    const bytes = await fsp.readFile(record.bodyFile);
    const mask = Buffer.from('••••••');
    let masks = 0;
    for (let at = bytes.indexOf(mask); at >= 0; at = bytes.indexOf(mask, at + mask.length)) masks++;
    assert.equal(masks, inserted, 'every echoed token masked');
    assert.equal(bytes.length, BIG + inserted * (mask.length - TOKEN.length), 'nothing else changed');
    const doc = await api.requestPanels.viewer.openInEditor();
    assert.equal(doc?.uri.fsPath, record.bodyFile, 'Open in Editor shows the whole body');
  });

  it('a secret-looking value of an environment in a file (the base environment\'s api_key), echoed by the server, is masked in the response history', async () => {
    await vscode.commands.executeCommand('hammock.sendRequest', { collectionPath: file, requestId: IDS.fileKey });
    const record = api.requestPanels.viewer.current!;
    assert.equal(record.status, 200, record.error);
    assert.ok(Buffer.from(record.bodyBase64, 'base64').toString().includes(FILE_KEY), 'the server echoed the key');
    await assertNowhere(FILE_KEY);
  });

  it('a token an after-response script sets in the private environment, and the one it replaced (sent), are masked in the response history', async () => {
    await vscode.commands.executeCommand('hammock.sendRequest', { collectionPath: file, requestId: IDS.fresh });
    const record = api.requestPanels.viewer.current!;
    assert.equal(record.status, 200, record.error);
    assert.equal(api.localEnvironments.environments(IDS.workspace, IDS.base).find((e) => e.id === IDS.mine)?.data.fresh, FRESH, 'the script set it');
    assert.ok(Buffer.from(record.bodyBase64, 'base64').toString().includes(OLD), 'the server echoed the old token');
    await assertNowhere(FRESH);
    await assertNowhere(OLD);
  });
});
