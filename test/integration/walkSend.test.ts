// "Send with the active environment, see the response" as a person does it, in the real workbench: a v5 collection of
// its own (base environment, two sub-environments) whose requests go to a real loopback server; the environment edited
// in its editor beside the request editor at human speed, the environment switched in the request editor's picker,
// and Send clicked at once after: the server receives what is on screen, with the environment active now.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { maxBlockDuring } from '../../bench/measure';
import type { ResponseRecord } from '../../src/webviews/responseHistory';
import { startTestServer, type TestServer } from '../support/httpServer';
import { activateHammock, answerModals, gitAs, inWorkspace, ui, V5_REQUEST_SETTINGS, waitFor } from './helpers';

const git = gitAs({ name: 'Send Walker', email: 'walk@hammock.invalid' });
// made at run time: no token-shaped literal in the repository
const TOKEN = ['walk', 'Tok', 'Q7vX2mR9kP4sW8zL1nB6'].join('');

const IDS = {
  workspace: 'wrk_5e0d0a1c0000400080000000000000a1',
  request: 'req_5e0d0a1c0000400080000000000000b1',
  authed: 'req_5e0d0a1c0000400080000000000000b2',
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
${V5_REQUEST_SETTINGS}
  - url: "{{ _.base }}/echo/authed"
    name: Authed
    meta:
      id: ${IDS.authed}
      created: 1761126647434
      modified: 1761126647434
      isPrivate: false
      description: ""
      sortKey: -1761126647434
    method: GET
    authentication:
      type: bearer
      token: "{{ _.token }}"
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

  it('a token typed into a private environment at human speed, then Send: the server gets it; the repository, git and the settings never see it', async () => {
    const { envFrame } = await openBoth(IDS.prod);
    await api.activeEnvironments.set(IDS.workspace, IDS.prod);
    const modals = answerModals('Make Private');
    try {
      await ui(envFrame!, [{ click: '#private' }]);
      await waitFor('Prod to leave the file', async () => !(await fsp.readFile(file, 'utf8')).includes(IDS.prod), 8000);
    } finally {
      modals.restore();
    }
    await waitFor('Prod private', () => api.localEnvironments.environments(IDS.workspace, IDS.base).some((e) => e.id === IDS.prod), 8000);
    await ui(envFrame!, [{ click: '#add-variable' }, { type: 'token', delayMs: 30 }, { press: 'Tab' }, { press: 'Tab' }, { type: TOKEN, delayMs: 25, jitterMs: 25 }]);
    await waitFor('the token in the private environment', () => api.localEnvironments.environments(IDS.workspace, IDS.base).find((e) => e.id === IDS.prod)?.data.token === TOKEN, 8000);
    await ui(envFrame!, [{ screenshot: 'walk-send-private-token' }]);
    // Send from the command (the request's editor is not open): what it sends, and the response shown
    const authed = { collectionPath: file, requestId: IDS.authed };
    await vscode.commands.executeCommand('hammock.sendRequest', authed);
    const record = api.requestPanels.viewer.current!;
    assert.equal(record.status, 200, record.error);
    const echo = JSON.parse(Buffer.from(record.bodyBase64, 'base64').toString('utf8')) as { headers: Record<string, string> };
    assert.equal(echo.headers.authorization, `Bearer ${TOKEN}`);
    // nowhere git or a person reading the repository looks
    const root = path.dirname(dir);
    assert.equal((await fsp.readFile(file, 'utf8')).includes(TOKEN), false, 'not in the collection file');
    assert.equal((await git(root, 'diff')).includes(TOKEN), false, 'not in git diff');
    assert.equal((await git(root, 'status', '--porcelain', '--untracked-files=all')).includes(TOKEN), false);
    const untracked = (await git(root, 'ls-files', '--others', '--exclude-standard')).split('\n').filter(Boolean);
    for (const f of untracked) assert.equal((await fsp.readFile(path.join(root, f), 'utf8').catch(() => '')).includes(TOKEN), false, `not in ${f}`);
    assert.equal((await git(root, 'config', '--list', '--show-origin').catch(() => '')).includes(TOKEN), false, 'not in git config');
    assert.equal(JSON.stringify(vscode.workspace.getConfiguration().inspect('hammock')).includes(TOKEN), false, 'not in the settings');
    assert.equal(JSON.stringify(vscode.workspace.getConfiguration('http')).includes(TOKEN), false);
    // the response history keeps the request and the response (the server echoed the header), with the token masked
    // (the workspace storage folder: where the response history keeps its `responses` folder)
    const responses = (api.requestPanels as unknown as { deps: { history: { dir?: string } } }).deps.history.dir;
    assert.ok(responses, 'a workspace storage folder');
    const storageDir = path.dirname(responses);
    const stored = async (d: string): Promise<string[]> =>
      (await fsp.readdir(d, { withFileTypes: true }).catch(() => [])).reduce<Promise<string[]>>(async (acc, e) => [...(await acc), ...(e.isDirectory() ? await stored(path.join(d, e.name)) : [path.join(d, e.name)])], Promise.resolve([]));
    const storedFiles = await stored(storageDir);
    assert.ok(storedFiles.some((f) => f.includes(`${path.sep}responses${path.sep}`)), 'the response is kept');
    for (const f of storedFiles) assert.equal((await fsp.readFile(f)).includes(TOKEN), false, `not in the workspace storage: ${path.relative(storageDir, f)}`);
    // what the webviews keep as their state: their panel's identity only
    for (const e of api.environmentPanels.openEditors) assert.equal(JSON.stringify(e.state).includes(TOKEN), false);
    await api.localEnvironments.deleteEnvironment(IDS.workspace, IDS.prod);
  });

  describe('what goes wrong on the way, shown in the response viewer', () => {
    let cut: net.Server;
    let refusedPort: number;
    before(async () => {
      // a server that takes the request and closes the connection without a word
      cut = net.createServer((socket) => socket.once('data', () => socket.destroy()));
      await new Promise<void>((r) => cut.listen(0, '127.0.0.1', r));
      const closed = net.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      refusedPort = (closed.address() as net.AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
    });
    after(() => new Promise<void>((r) => cut.close(() => r())));

    /** the URL typed into Echo who's field over what it holds, at a person's speed, then Send clicked. */
    const sendTo = async (url: string) => {
      const { requestFrame } = await openBoth();
      const since = Date.now();
      await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: url, delayMs: 20, jitterMs: 20 }, { click: '#send' }]);
      const record = await waitFor('the response', () => {
        const r = api.requestPanels.viewer.current;
        return r && r.receivedAt >= since && r;
      }, 20_000);
      await waitFor('the viewer page', () => api.requestPanels.viewer.isReady, 20_000);
      const [shown] = await ui({ selector: '.summary' }, [{ text: 'body' }]);
      return { record, shown: String(shown), requestFrame };
    };

    const cases: [string, () => string, RegExp][] = [
      ['a refused port', () => `http://127.0.0.1:${refusedPort}/x`, /Connection refused by 127\.0\.0\.1:\d+: check that the server is running/],
      ['a server that cuts the connection', () => `http://127.0.0.1:${(cut.address() as net.AddressInfo).port}/x`, /closed unexpectedly/],
      ['a self-signed certificate', () => `${server.httpsUrl}/echo`, /self-signed.*http\.proxyStrictSSL/],
      ['https:// to the plain HTTP port', () => `${server.httpUrl.replace('http:', 'https:')}/echo`, /does not speak TLS on this port.*http:\/\/ vs https:\/\//],
      ['an undefined variable', () => '{{ _.base }}/echo/{{ _.nowhere }}', /Unknown variable "nowhere" in url/],
    ];
    for (const [what, url, message] of cases) {
      it(`${what}: a message that says what to check, the editor ready again`, async () => {
        const { record, shown, requestFrame } = await sendTo(url());
        assert.equal(record.status, 0);
        assert.match(record.error ?? '', message);
        assert.ok(shown.includes(record.error!), `the viewer shows it: ${shown.slice(0, 300)}`);
        // no body came: Open in Editor and Save Body As... cannot be pressed; Copy as cURL can
        const [disabled] = await ui({ selector: '.summary' }, [{ attribute: '.actions vscode-button', name: 'disabled' }]);
        assert.deepEqual(disabled, ['', '', null], 'Open in Editor and Save Body As... disabled, Copy as cURL not');
        const [label] = await ui(requestFrame, [{ text: '#send' }]);
        assert.match(String(label), /Send/, 'the editor is not left busy');
      });
    }

    /**
     * The response viewer's tab hidden behind a text editor in its group (VS Code drops the hidden page: no
     * retainContextWhenHidden), `meanwhile` run while it is hidden, then the viewer shown again and its new page loaded.
     */
    const viewerHiddenThenShown = async (meanwhile: () => Promise<void> = async () => undefined) => {
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Response'));
      assert.ok(tab, 'the viewer\'s tab');
      const doc = await vscode.workspace.openTextDocument({ content: 'in front of the viewer' });
      await vscode.window.showTextDocument(doc, { viewColumn: tab.group.viewColumn, preview: false });
      await waitFor('the hidden viewer page not taken for ready', () => !api.requestPanels.viewer.isReady, 5000);
      await meanwhile();
      // the person looks at the viewer's tab again
      await vscode.window.showTextDocument(doc, { viewColumn: tab.group.viewColumn, preview: false });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await waitFor('the viewer page loaded again', () => api.requestPanels.viewer.isReady, 45_000);
    };

    it('the response viewer hidden behind another tab is not taken for ready; shown again, its new page shows the response', async () => {
      const { record } = await sendTo('{{ _.base }}/echo?hidden=1');
      assert.equal(record.status, 200);
      await viewerHiddenThenShown();
      const [shown] = await ui({ selector: '.summary' }, [{ text: 'body' }, { screenshot: 'walk-send-viewer-shown-again' }]);
      assert.match(String(shown), /200/, 'the new page shows the response');
    });

    it('Close All Editors with two request tabs and the response viewer open: no tab comes back', async () => {
      // (the viewer follows the active request tab; a tab made active while Close All closes the others must not
      // open the viewer again once that request's history is read)
      for (let round = 0; round < 4; round++) {
        await sendTo(`{{ _.base }}/echo?closeAll=${round}`);
        await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
        await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: file, requestId: IDS.authed });
        await waitFor('the viewer following Authed', () => api.requestPanels.viewer.ownerKey?.endsWith(`#${IDS.authed}`), 10_000);
        await vscode.commands.executeCommand('hammock.openRequest', state());
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await waitFor('every tab closed', () => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0), 5000);
        // what the tab switches set off has run by now (a history read takes milliseconds)
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)), [], `round ${round}: no tab came back`);
        assert.equal(api.requestPanels.viewer.isOpen, false);
      }
    });

    it('a slow Send while the response viewer is hidden: shown again, its new page says the request is on its way', async () => {
      const { requestFrame } = await sendTo('{{ _.base }}/echo?first=1');
      // sent while the viewer is hidden; the person looks at the viewer's tab while the request is on its way
      await viewerHiddenThenShown(async () => {
        await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: '{{ _.base }}/slow?ms=20000', delayMs: 20, jitterMs: 20 }, { click: '#send' }]);
        await waitFor('the editor busy', async () => /Cancel/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
      });
      const [shown] = await ui({ selector: '.pending' }, [{ text: 'body' }, { screenshot: 'walk-send-viewer-pending-shown-again' }]);
      assert.match(String(shown), /Sending Echo who\.\.\./, 'the new page says the request is on its way');
      // cancelled: the page stops saying so
      await ui(requestFrame, [{ click: '#send' }]);
      await waitFor('the editor ready again', async () => /Send/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
      await waitFor('the viewer no longer says Sending', async () => !/Sending Echo who/.test(String((await ui({ selector: '.summary' }, [{ text: 'body' }]).catch(() => ['Sending Echo who']))[0])), 10_000);
    });

    it('two requests on their way, one answered: the viewer, and its page loaded again, still say the other is on its way', async () => {
      const { requestFrame } = await sendTo('{{ _.base }}/echo?first=1');
      await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: '{{ _.base }}/slow?ms=20000', delayMs: 20, jitterMs: 20 }, { click: '#send' }]);
      await waitFor('the editor busy', async () => /Cancel/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
      // another request of the collection sent meanwhile (as from its own editor) and answered
      const other = await api.requestPanels.send({ collectionPath: file, requestId: IDS.authed });
      assert.equal(other.requestName, 'Authed');
      await waitFor('the other response on the page', async () => /echo\/authed/.test(String((await ui({ selector: '.summary' }, [{ text: 'body' }]))[0])), 10_000);
      const [shown] = await ui({ selector: '.summary' }, [{ text: 'body' }]);
      assert.match(String(shown), /Sending Echo who\.\.\./, 'the viewer still says the slow one is on its way');
      // its page dropped (the tab hidden) and loaded again: the same
      await viewerHiddenThenShown();
      const again = await waitFor('the new page to say the slow one is on its way', async () => {
        const body = String((await ui({ selector: '.summary' }, [{ text: 'body' }]))[0]);
        return /Sending Echo who\.\.\./.test(body) && body;
      }, 5000);
      assert.doesNotMatch(again, /Sending Authed/, 'not the one answered');
      // cancelled: the page stops saying so
      await ui(requestFrame, [{ click: '#send' }]);
      await waitFor('the editor ready again', async () => /Send/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
      // (this request: a Send an earlier walk left on its way, in the same window, is still said, as it should be)
      let last = '';
      await waitFor('the viewer no longer says Sending Echo who', async () => {
        last = String((await ui({ selector: '.summary' }, [{ text: 'body' }]).catch((e: unknown) => [`(no page: ${String(e)})`]))[0]);
        return !/Sending Echo who/.test(last) && !last.startsWith('(no page');
      }, 10_000).catch((e: unknown) => assert.fail(`${String(e)}; the page said: ${last.slice(0, 500)}; on their way: ${JSON.stringify(api.requestPanels.openEditors.filter((x) => api.requestPanels.isSending(x.state)).map((x) => x.state.requestId))}`));
    });

    it('an older Send that fails once a newer one\'s result is shown: the viewer keeps the newer result, the failure goes to its request\'s history', async () => {
      // a server that takes the request and holds it until the test cuts the connection
      const held: net.Socket[] = [];
      const holding = net.createServer((socket) => socket.once('data', () => held.push(socket)));
      await new Promise<void>((r) => holding.listen(0, '127.0.0.1', r));
      try {
        const { requestFrame } = await openBoth();
        await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: `http://127.0.0.1:${(holding.address() as net.AddressInfo).port}/held`, delayMs: 20, jitterMs: 20 }, { click: '#send' }]);
        await waitFor('the request at the server', () => held.length > 0, 10_000);
        // another request of the collection sent meanwhile (as from its own editor), its result shown: the newer one
        const other = await api.requestPanels.send({ collectionPath: file, requestId: IDS.authed });
        assert.equal(other.requestName, 'Authed');
        assert.equal(api.requestPanels.viewer.current?.requestName, 'Authed');
        // the older Send fails now
        for (const socket of held) socket.destroy();
        await waitFor('the older Send over', () => !api.requestPanels.isSending(state()), 10_000);
        const [failed] = await api.requestPanels.history(state());
        assert.match(failed?.error ?? '', /closed unexpectedly/, 'the failure is kept in Echo who\'s history');
        assert.equal(api.requestPanels.viewer.current?.requestName, 'Authed', 'the viewer still shows the newer response, not the older Send\'s failure');
        assert.equal(api.requestPanels.viewer.ownerKey, `${file}#${IDS.authed}`);
        assert.equal(api.requestPanels.viewer.lastPosted?.response?.requestName, 'Authed');
        // (the workbench tells the extension host of a tab's title a moment later)
        const tab = await waitFor('the viewer\'s tab titled', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Response: ')), 10_000);
        assert.equal(tab.label, 'Response: Authed');
        await waitFor('the viewer no longer says Sending Echo who', async () => !/Sending Echo who/.test(String((await ui({ selector: '.summary' }, [{ text: 'body' }]).catch(() => ['Sending Echo who']))[0])), 10_000);
      } finally {
        for (const socket of held) socket.destroy();
        await new Promise<void>((r) => holding.close(() => r()));
      }
    });

    it('a Send that ends without a response (it threw): the viewer still says it shows the response it shows', async () => {
      await sendTo('{{ _.base }}/echo?before=1');
      const other = await api.requestPanels.send({ collectionPath: file, requestId: IDS.authed });
      assert.equal(other.requestName, 'Authed');
      const viewer = api.requestPanels.viewer;
      // what RequestPanels.send does around a Send of Echo who that throws (no response to show)
      viewer.settle(viewer.pending('Echo who'));
      assert.equal(viewer.current?.requestName, 'Authed');
      // its owner is what its tab's title, a window reload (its persisted state) and the editor switch go by
      assert.equal(viewer.ownerKey, `${file}#${IDS.authed}`, 'owned by the request whose response it shows');
    });

    it('the request tab hidden while its slow Send is on its way: shown again, its button still cancels that Send', async () => {
      const { editor, requestFrame } = await openBoth();
      await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: '{{ _.base }}/slow?ms=20000', delayMs: 20, jitterMs: 20 }, { click: '#send' }]);
      await waitFor('the editor busy', async () => /Cancel/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
      // another editor in front of it, in its group: VS Code drops the hidden page; then the person comes back
      const doc = await vscode.workspace.openTextDocument({ content: 'in front of the request' });
      await vscode.window.showTextDocument(doc, { viewColumn: editor.panel.viewColumn, preview: false });
      await waitFor('the hidden request page not taken for ready', () => !editor.uiReady, 5000);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await waitFor('the request page loaded again', () => editor.uiReady, 45_000);
      const [label] = await ui(requestFrame, [{ text: '#send' }]);
      assert.match(String(label), /Cancel/, 'the new page knows the Send is on its way');
      await ui(requestFrame, [{ click: '#send' }]);
      await waitFor('the Send cancelled, none started', () => !api.requestPanels.isSending(state()), 5000);
      await waitFor('the editor ready again', async () => /Send/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
    });

    it('a slow response cancelled mid-way from the editor: says cancelled, nothing hangs, Send works again', async () => {
      const { requestFrame } = await openBoth();
      await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: '{{ _.base }}/slow?ms=20000', delayMs: 20 }, { click: '#send' }]);
      await waitFor('the editor busy', async () => /Cancel/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
      const started = Date.now();
      await ui(requestFrame, [{ click: '#send' }]);
      await waitFor('the editor ready again', async () => /Send/.test(String((await ui(requestFrame, [{ text: '#send' }]))[0])), 5000);
      assert.ok(Date.now() - started < 5000, 'cancelled at once');
      const [pending] = await ui({ selector: '.summary' }, [{ text: 'body' }]).catch(() => [''] as unknown[]);
      assert.doesNotMatch(String(pending), /Sending Echo who/, 'the viewer is not left saying "Sending..."');
      // and the next Send goes through
      const since = Date.now();
      await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: '{{ _.base }}/echo', delayMs: 20 }, { click: '#send' }]);
      const record = await waitFor('the next response', () => {
        const r = api.requestPanels.viewer.current;
        return r && r.receivedAt >= since && r;
      }, 15_000);
      assert.equal(record.status, 200);
    });
  });

  describe('auth typed in the page, then Send at once; cookies and redirects', () => {
    const chooseAuth = (label: string) => [{ click: '.form vscode-single-select' }, { click: `.form vscode-single-select li.option:text-is("${label}")` }];
    /** Echo who with its URL typed over, its AUTH tab open. */
    const openAuth = async (url: string) => {
      const { requestFrame } = await openBoth();
      await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: url, delayMs: 15 }, { click: '.tab:nth-child(4)' }]);
      return requestFrame;
    };
    const sendNow = async (frame: { selector: string; text?: string }) => {
      const since = Date.now();
      await ui(frame, [{ click: '#send' }]);
      return waitFor('the response', () => {
        const r = api.requestPanels.viewer.current;
        return r && r.receivedAt >= since && r;
      }, 15_000);
    };
    const echoOf = (r: { bodyBase64: string }) => JSON.parse(Buffer.from(r.bodyBase64, 'base64').toString('utf8')) as { url: string; headers: Record<string, string> };

    it('Digest: the user and password typed, Send at once: the challenge answered (200)', async () => {
      const frame = await openAuth('{{ _.base }}/digest');
      await ui(frame, [...chooseAuth('Digest')]);
      await ui(frame, [{ click: '[data-key="auth:username"]' }, { press: 'Control+a' }, { type: 'Mufasa', delayMs: 25, jitterMs: 25 }, { press: 'Tab' }, { press: 'Control+a' }, { type: 'Circle of Life', delayMs: 25, jitterMs: 25 }]);
      const record = await sendNow(frame);
      assert.equal(record.status, 200, `digest answered: ${record.error ?? record.statusText}`);
    });

    it('Basic and API key (header, query, cookie): typed, Send at once: the server gets each', async () => {
      const frame = await openAuth('{{ _.base }}/echo');
      await ui(frame, [...chooseAuth('Basic')]);
      await ui(frame, [{ click: '[data-key="auth:username"]' }, { press: 'Control+a' }, { type: 'ann', delayMs: 25 }, { press: 'Tab' }, { press: 'Control+a' }, { type: 'pä:ss', delayMs: 25 }]);
      let echo = echoOf(await sendNow(frame));
      assert.equal(echo.headers.authorization, `Basic ${Buffer.from('ann:pä:ss').toString('base64')}`);
      // API Key: switching asks first (the Basic fields go); then each place it can go
      await ui(frame, [...chooseAuth('API Key')]);
      await ui(frame, [{ click: '.auth-switch vscode-button.switch' }]);
      await ui(frame, [{ click: '[data-key="auth:key"]' }, { type: 'X-Api-Key', delayMs: 20 }, { click: '[data-key="auth:value"]' }, { type: 'k-123', delayMs: 20 }]);
      echo = echoOf(await sendNow(frame));
      assert.equal(echo.headers['x-api-key'], 'k-123');
      for (const [place, check] of [['queryParams', (e: typeof echo) => new URL(e.url, 'http://x').searchParams.get('X-Api-Key') === 'k-123'], ['cookie', (e: typeof echo) => /(^|; )X-Api-Key=k-123(;|$)/.test(e.headers.cookie ?? '')]] as const) {
        await ui(frame, [{ click: '.form .row:last-child vscode-single-select' }, { click: `.form .row:last-child vscode-single-select li.option:text-is("${place}")` }]);
        echo = echoOf(await sendNow(frame));
        assert.ok(check(echo), `API key in the ${place}: ${JSON.stringify({ url: echo.url, cookie: echo.headers.cookie })}`);
      }
    });

    it('a cookie set by one response goes with the next request of the collection; a redirect chain is followed and shown', async () => {
      const frame = await openAuth('{{ _.base }}/set-cookie');
      assert.equal((await sendNow(frame)).status, 200);
      await ui(frame, [{ click: '#url' }, { press: 'Control+a' }, { type: '{{ _.base }}/redirect/2', delayMs: 15 }]);
      const record = await sendNow(frame);
      assert.equal(record.status, 200);
      assert.match(record.url, /\/echo$/);
      assert.match(echoOf(record).headers.cookie ?? '', /session=abc/);
      assert.equal(record.timeline.filter((t) => /redirect to/.test(t.text)).length, 2, 'both hops in the timeline');
    });
  });

  // (the extension host's longest block during each Send is printed, best of three; it is asserted where it can be
  // measured without a busy machine's noise: the history's part in test/unit/webviews/responseHistory.test.ts)
  it('large responses (a JSON of 6 MB, 8 MB of bytes, 60 MB spilled to a file) and an image: each shown as what it is', async function () {
    // (twelve Sends of MBs through the page, at a busy machine's pace)
    this.timeout(300_000);
    const json = Buffer.from(JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b', 'c'], note: 'x'.repeat(40) }))));
    // a 1x1 PNG
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const local = http.createServer((req, res) => {
      if (req.url === '/big.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(json);
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(local.address() as net.AddressInfo).port}`;
    try {
      const { requestFrame } = await openBoth();
      const blocks: string[] = [];
      for (const [url, check, shows] of [
        [`${at}/big.json`, (r: ResponseRecord) => r.size === json.length && !r.bodyFile, /too large to show in full/],
        [`${server.httpUrl}/big?mb=8`, (r: ResponseRecord) => r.size === 8 * 1024 * 1024, /Binary body \(application\/octet-stream, 8(\.0)? MB\)/],
        [`${server.httpUrl}/big?mb=60`, (r: ResponseRecord) => r.size === 60 * 1024 * 1024 && !!r.bodyFile && r.bodyCut, /Binary body \(application\/octet-stream, 60(\.0)? MB\)/],
        [`${at}/pixel.png`, (r: ResponseRecord) => r.size === png.length, /200/],
      ] as const) {
        await ui(requestFrame, [{ click: '#url' }, { press: 'Control+a' }, { type: url, delayMs: 5 }]);
        // each sent three times, the least block kept: a block Send makes is there each time, a busy machine's pause is not
        const measured: number[] = [];
        let record: ResponseRecord | undefined;
        for (let i = 0; i < 3; i++) {
          const since = Date.now();
          const m = await maxBlockDuring(async () => {
            await ui(requestFrame, [{ click: '#send' }]);
            return waitFor('the response', () => {
              const r = api.requestPanels.viewer.current;
              return r && r.receivedAt >= since && r;
            }, 30_000);
          });
          record = m.result;
          measured.push(m.maxBlockMs);
        }
        assert.equal(record!.status, 200, record!.error);
        assert.ok(check(record!), `${url}: ${record!.size} bytes, ${record!.bodyFile ?? 'in memory'}`);
        blocks.push(`${url.replace(/^http:\/\/[^/]+/, '')}: ${Math.min(...measured).toFixed(0)} ms (${measured.map((n) => n.toFixed(0)).join('/')})`);
        await waitFor('the viewer page', () => api.requestPanels.viewer.isReady, 20_000);
        await waitFor(`the viewer to show ${shows}`, async () => shows.test(String((await ui({ selector: '.summary' }, [{ text: 'body' }]))[0])), 10_000);
      }
      const [kind] = await ui({ selector: '.summary' }, [{ attribute: 'img.image', name: 'alt' }]);
      assert.deepEqual(kind, ['Response image'], 'the image is shown');
      console.log(`      (blocked at most: ${blocks.join(', ')})`);
    } finally {
      await new Promise<void>((r) => local.close(() => r()));
    }
  });
});
