// "Send with the active environment, see the response" as a person does it, in the real workbench: a v5 collection of
// its own (base environment, two sub-environments) whose requests go to a real loopback server; the environment edited
// in its editor beside the request editor at human speed, the environment switched in the request editor's picker,
// and Send clicked at once after: the server receives what is on screen, with the environment active now.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { startTestServer, type TestServer } from '../support/httpServer';
import { activateHammock, inWorkspace, ui, waitFor } from './helpers';

const IDS = {
  workspace: 'wrk_5e0d0a1c0000400080000000000000a1',
  request: 'req_5e0d0a1c0000400080000000000000b1',
  base: 'env_5e0d0a1c0000400080000000000000c1',
  dev: 'env_5e0d0a1c0000400080000000000000d1',
  prod: 'env_5e0d0a1c0000400080000000000000e1',
};

function collectionText(base: string): string {
  return `type: collection.insomnia.rest/5.0
name: Send Walk
meta:
  id: ${IDS.workspace}
  created: 1761126643282
  modified: 1761126643282
  description: ""
collection:
  - url: "{{ _.base }}/echo?who={{ _.who }}"
    name: Echo who
    meta:
      id: ${IDS.request}
      created: 1761126647433
      modified: 1761126647433
      isPrivate: false
      description: ""
      sortKey: -1761126647433
    method: GET
    headers:
      - name: X-Stage
        value: "{{ _.stage }}"
    settings:
      renderRequestBody: true
      encodeUrl: true
      followRedirects: global
      cookies:
        send: true
        store: true
      rebuildPath: true
environments:
  name: Base Environment
  meta:
    id: ${IDS.base}
    created: 1761126643288
    modified: 1761126643288
    isPrivate: false
  data:
    base: ${base}
    who: base
    stage: "{{ _.who }}-stage"
  subEnvironments:
    - name: Dev
      meta:
        id: ${IDS.dev}
        created: 1761126643290
        modified: 1761126643290
        isPrivate: false
        sortKey: 1
      data:
        who: dev
    - name: Prod
      meta:
        id: ${IDS.prod}
        created: 1761126643291
        modified: 1761126643291
        isPrivate: false
        sortKey: 2
      data:
        who: prod
`;
}

describe('Send with the active environment, walked in the real page', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let server: TestServer;
  let dir: string;
  let file: string;
  let activeBefore: string | undefined;

  const state = () => ({ collectionPath: file, requestId: IDS.request });

  /** the query and X-Stage header of the last /echo the server answered, as the response viewer shows it. */
  const lastEcho = async (since: number): Promise<{ who: string | null; stage: string | undefined }> => {
    const record = await waitFor('a new response in the viewer', () => {
      const r = api.requestPanels.viewer.current;
      return r && r.receivedAt >= since && r.status !== undefined && r;
    }, 15_000);
    assert.equal(record.status, 200, `sent: ${record.error ?? ''}`);
    const echo = JSON.parse(Buffer.from(record.bodyBase64, 'base64').toString('utf8')) as { url: string; headers: Record<string, string> };
    return { who: new URL(echo.url, 'http://x').searchParams.get('who'), stage: echo.headers['x-stage'] };
  };

  before(async () => {
    api = await activateHammock();
    server = await startTestServer();
    dir = inWorkspace('send-walk');
    await fsp.mkdir(dir, { recursive: true });
    file = path.join(dir, 'send-walk.yaml');
    await fsp.writeFile(file, collectionText(server.httpUrl));
    await api.store.refreshPaths([file]);
    await waitFor('the store to read the collection', () => api.store.collections.find((c) => c.path === file), 10_000);
    activeBefore = api.activeEnvironments.get(IDS.workspace);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{}] });
    await api.activeEnvironments.set(IDS.workspace, activeBefore);
    await fsp.rm(dir, { recursive: true, force: true });
    await api.store.refreshPaths([dir]);
    await server?.close();
  });

  /** The request editor in the first group and, when asked, the environment editor on `envId` in the second. */
  const openBoth = async (envId?: string) => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{}, {}] });
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    await vscode.commands.executeCommand('hammock.openRequest', state());
    const editor = api.requestPanels.editor(state());
    assert.ok(editor);
    await waitFor('the request editor page', () => editor.uiReady, 45_000);
    const requestFrame = { selector: 'header .name', text: 'Echo who' };
    if (envId === undefined) return { editor, requestFrame };
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    const envState = { collectionPath: file, collectionId: IDS.workspace, environmentId: envId };
    await vscode.commands.executeCommand('hammock.editEnvironment', envState);
    const envEditor = api.environmentPanels.editor(envState);
    assert.ok(envEditor);
    await waitFor('the environment editor page', () => envEditor.uiReady, 45_000);
    return { editor, requestFrame, envEditor, envFrame: { selector: '.env-list' } };
  };

  it('a value typed in the environment editor, then Send clicked at once in the request editor beside: the server gets the value on screen', async () => {
    await api.activeEnvironments.set(IDS.workspace, IDS.dev);
    const { requestFrame, envFrame } = await openBoth(IDS.dev);
    const [name] = await ui(envFrame!, [{ value: 'input[data-key="var:0:name"]' }]);
    assert.equal(name, 'who', 'the first row of Dev is its variable "who"');
    // typed at a person's speed, then straight to Send (well inside the editor's 300 ms debounce)
    await ui(envFrame!, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-typed', delayMs: 30, jitterMs: 20 }]);
    const since = Date.now();
    await ui(requestFrame, [{ click: '#send' }]);
    const echo = await lastEcho(since);
    assert.equal(echo.who, 'dev-typed', 'Send used the environment as the editor beside shows it');
    assert.equal(echo.stage, 'dev-typed-stage', 'a base value made of the sub-environment\'s value renders with what is on screen');
    await ui(requestFrame, [{ screenshot: 'walk-send-env-typed' }]);
  });

  it('another environment chosen in the request editor\'s picker, then Send at once: sent with the environment chosen', async () => {
    await api.activeEnvironments.set(IDS.workspace, IDS.dev);
    const { requestFrame } = await openBoth();
    const labels: Record<string, string> = { [IDS.prod]: 'Prod', [IDS.dev]: 'Dev', '': 'Base Environment' };
    // (the walk before typed into Dev's value: what the file holds now)
    const devWho = String(api.store.collections.find((c) => c.path === file)?.baseEnvironment?.subEnvironments.find((e) => e.id === IDS.dev)?.data.who);
    for (const [target, who] of [[IDS.prod, 'prod'], ['', 'base'], [IDS.dev, devWho]] as const) {
      // chosen in the open list, then Ctrl+Enter at once
      await ui(requestFrame, [{ click: '#environment' }, { click: `#environment li.option:text-is("${labels[target]}")` }]);
      const since = Date.now();
      await ui(requestFrame, [{ press: 'Control+Enter' }]);
      const echo = await lastEcho(since);
      assert.equal(api.activeEnvironments.get(IDS.workspace), target || undefined, 'the picker chose the environment');
      assert.equal(echo.who, who, `sent with ${labels[target]}`);
    }
  });
});
