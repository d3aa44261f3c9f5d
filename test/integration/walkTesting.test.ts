// The Testing view (VS Code's Test Explorer) as a new user meets it, on a design document with after-response tests
// (insomnia.test) and a unit test suite: run one request from its row, then a folder, then all; a failing assertion's
// message where VS Code shows test failures; the test's script edited in the request editor at human speed and the
// request run again from its row: its items follow the script.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, commitCollection, gitAs, holdQuestions, inWorkspace, startLoopbackServer, ui, waitFor } from './helpers';

const FILE = 'walk-testing.yaml';
const HEALTH = 'req_0000000000000000000000000walkhealth';
const ADA = 'req_000000000000000000000000000walkada';
const FOLDER = 'fld_00000000000000000000000000walkusers';
const SUITE = 'uts_00000000000000000000000000walksuite';

function designText(base: string): string {
  return `type: spec.insomnia.rest/5.0
schema_version: "5.1"
name: Walk Testing
meta:
  id: wrk_0000000000000000000000000walktesting
  created: 1
  modified: 1
collection:
  - url: "{{ _.base_url }}/health"
    name: Health
    meta:
      id: ${HEALTH}
      created: 1
      modified: 1
      isPrivate: false
      sortKey: 1
    method: GET
    scripts:
      afterResponse: |-
        insomnia.test('is up', () => insomnia.expect(insomnia.response.code).to.equal(200));
  - name: Users
    meta:
      id: ${FOLDER}
      created: 1
      modified: 1
      sortKey: 2
    children:
      - url: "{{ _.base_url }}/user"
        name: Get Ada
        meta:
          id: ${ADA}
          created: 1
          modified: 1
          isPrivate: false
          sortKey: 1
        method: GET
        scripts:
          afterResponse: |-
            insomnia.test('is ada', () => insomnia.expect(insomnia.response.json().user).to.equal('ada'));
            insomnia.test('is admin', () => insomnia.expect(insomnia.response.json().admin, 'admin flag').to.equal(true));
environments:
  name: Base Environment
  meta:
    id: env_0000000000000000000000000walktesting
    created: 1
    modified: 1
    isPrivate: false
  data:
    base_url: ${base}
testSuites:
  - name: Smoke
    meta:
      id: ${SUITE}
      created: 1
      modified: 1
      sortKey: 1
    tests:
      - name: health answers 200
        meta:
          id: ut_00000000000000000000000000walkhealth
          created: 1
          modified: 1
          sortKey: 1
        requestId: ${HEALTH}
        code: |-
          const response1 = await insomnia.send();
          expect(response1.status).to.equal(200);
`;
}

describe('Walk: the Testing view, one request, a folder, all, a failure, an edited test', function () {
  this.timeout(180_000);
  let api: HammockApi;
  let server: Awaited<ReturnType<typeof startLoopbackServer>>;
  let design: Awaited<ReturnType<typeof commitCollection>>;
  let base = '';
  const hits: string[] = [];
  const git = gitAs({ name: 'Test Walker', email: 'tests@hammock.invalid' });
  const testing = { selector: '.test-explorer' };

  before(async () => {
    server = await startLoopbackServer(
      (req) => hits.push(req.url ?? ''),
      (req) =>
        req.url === '/health' ? { body: '{"ok":true}' } : req.url === '/user' ? { body: JSON.stringify({ user: 'ada', admin: false }) } : { status: 404, body: '{}' },
    );
    base = server.base;
    api = await activateHammock();
    design = await commitCollection(api, git, { name: FILE, text: designText(base), collection: 'Walk Testing', message: 'walk testing' });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
    await design.remove();
  });

  const collection = () => design.collection();
  const item = (id?: string) => api.testExplorer.item(collection().path, collection().id, id);

  /** the Testing view's row holding `text` (its label), scrolled into view */
  const row = (text: string) => `.monaco-list-row:has(.label:text-is("${text}"))`;
  /** what a person does to run one item: the mouse over its row, a click on its Run Test action */
  const runFromRow = (text: string) => ui(testing, [{ hover: row(text) }, { click: `${row(text)} .action-label.codicon-testing-run-icon` }]);
  const result = (id: string) => api.testExplorer.lastResults.get(id);
  /** Get Ada's request editor, opened as the tree opens it, its page loaded. */
  const openAda = async () => {
    const state = { collectionPath: collection().path, requestId: ADA };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    return editor;
  };
  const ADA_PAGE = { selector: 'header .name', text: 'Get Ada' };
  /** `text` typed at the end of Get Ada's after-response script, in the Scripts tab, at a person's speed. */
  const typeAfterResponse = (text: string) =>
    ui(ADA_PAGE, [
      { click: 'button.tab:has-text("Scripts")' },
      { click: 'textarea[data-key="script:afterResponse"]' },
      { press: 'Control+End' },
      { type: text, delayMs: 15, jitterMs: 25 },
    ]);

  it('the Testing view lists the collection, its requests with tests, the folder and the unit test suite', async () => {
    const root = await waitFor('the collection\'s test item', () => item(), 10_000);
    const labels: string[] = [];
    const walk = (i: vscode.TestItem, depth: number) => {
      labels.push(`${'  '.repeat(depth)}${i.label}`);
      const children: vscode.TestItem[] = [];
      i.children.forEach((ch) => children.push(ch));
      for (const ch of children.sort((a, b) => (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) || a.label.localeCompare(b.label))) walk(ch, depth + 1);
    };
    walk(root, 0);
    assert.deepEqual(labels, ['Walk Testing', '  GET Health', '  Users', '    GET Get Ada', '  Smoke', '    health answers 200']);
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    // a person opens the collection and its folder by clicking their rows
    await ui(testing, [{ click: row('Walk Testing') }, { wait: 300 }, { click: row('Users') }, { wait: 300 }, { screenshot: 'walk-testing-1-view' }]);
  });

  it('Run Test on one request\'s row runs that request only', async () => {
    api.testExplorer.lastResults.clear();
    hits.length = 0;
    await runFromRow('GET Health');
    await waitFor('Health\'s result', () => result(item(HEALTH)!.id), 30_000);
    assert.equal(result(item(HEALTH)!.id)?.state, 'passed');
    assert.deepEqual(hits, ['/health'], 'only Health was sent');
    assert.equal(result(item(ADA)!.id), undefined, 'Get Ada did not run');
    await ui(testing, [{ wait: 300 }, { screenshot: 'walk-testing-2-one-request' }]);
  });

  it('Run Test on the folder\'s row runs its requests: the failing assertion\'s message is the test\'s failure', async () => {
    api.testExplorer.lastResults.clear();
    hits.length = 0;
    await runFromRow('Users');
    const ada = item(ADA)!;
    await waitFor('Get Ada\'s result', () => result(ada.id), 30_000);
    assert.deepEqual(hits, ['/user'], 'only the folder\'s request was sent');
    assert.equal(result(ada.id)?.state, 'failed');
    assert.deepEqual(result(`${ada.id}#test:is admin`)?.messages, ['admin flag: expected false to equal true']);
    assert.equal(result(`${ada.id}#test:is ada`)?.state, 'passed');
    // where VS Code shows a test failure: the Test Results panel, and the file at the failing test's line
    const lines = (await fsp.readFile(inWorkspace(FILE), 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.includes("insomnia.test('is admin'"));
    const doc = await vscode.window.showTextDocument(vscode.Uri.file(inWorkspace(FILE)));
    doc.revealRange(new vscode.Range(at, 0, at, 0), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('testing.showMostRecentOutput');
    const [, panel] = await ui({ selector: '.monaco-workbench' }, [{ wait: 800 }, { text: '.part.panel' }, { screenshot: 'walk-testing-3-failure' }]);
    assert.match(String(panel), /is admin: admin flag: expected false to equal true/, `the Test Results panel says it: ${String(panel).slice(0, 600)}`);
    assert.equal(item(ADA)!.children.get(`${item(ADA)!.id}#test:is admin`)?.range?.start.line, at, 'the failure is at the failing test\'s line');
  });

  it('Run Tests in the view\'s title runs everything: requests and the unit test suite', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    api.testExplorer.lastResults.clear();
    await ui({ selector: '.monaco-workbench' }, [{ click: '.pane-header .action-label.codicon-testing-run-all-icon, .title-actions .action-label.codicon-testing-run-all-icon' }]);
    const suite = item(SUITE)!;
    await waitFor('every result', () => result(item(HEALTH)!.id) && result(item(ADA)!.id) && result(suite.id), 60_000);
    assert.equal(result(item(HEALTH)!.id)?.state, 'passed');
    assert.equal(result(item(ADA)!.id)?.state, 'failed');
    const unit: string[] = [];
    suite.children.forEach((t) => unit.push(`${t.label}: ${result(t.id)?.state}`));
    assert.deepEqual(unit, ['health answers 200: passed']);
    await ui(testing, [{ wait: 300 }, { screenshot: 'walk-testing-4-all' }]);
  });

  it('the test edited in the request editor\'s Scripts tab, the request run again from its row: its items follow', async () => {
    await openAda();
    await typeAfterResponse("\ninsomnia.test('is not admin', () => insomnia.expect(insomnia.response.json().admin).to.equal(false));");
    await ui(ADA_PAGE, [{ screenshot: 'walk-testing-5-script-edited' }]);
    // at once, as a person does: the last keys are still in the editor's debounce (300 ms) when the run starts
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    api.testExplorer.lastResults.clear();
    await runFromRow('GET Get Ada');
    const ada = item(ADA)!;
    await waitFor('Get Ada\'s result', () => result(ada.id), 30_000);
    assert.deepEqual(
      [...api.testExplorer.lastResults].filter(([id]) => id.startsWith(`${ada.id}#`)).map(([id, r]) => `${id.slice(ada.id.length + 1)}: ${r.state}`),
      ['test:is ada: passed', 'test:is admin: failed', 'test:is not admin: passed'],
      `the run had every key typed before it: ${JSON.stringify(result(ada.id))}`,
    );
    await waitFor('the new test in the file', async () => (await fsp.readFile(inWorkspace(FILE), 'utf8')).includes("insomnia.test('is not admin'"), 15_000);
    assert.equal(result(`${ada.id}#test:is not admin`)?.state, 'passed');
    const lines = (await fsp.readFile(inWorkspace(FILE), 'utf8')).split('\n');
    assert.equal(ada.children.get(`${ada.id}#test:is not admin`)?.range?.start.line, lines.findIndex((l) => l.includes("insomnia.test('is not admin'")), 'the new test\'s item is at its line');
    await ui(testing, [{ wait: 300 }, { screenshot: 'walk-testing-6-rerun' }]);
  });

  it('a test typed, then Run Tests at once (its last keys still in the editor\'s debounce): the run has every key typed', async () => {
    await openAda();
    await typeAfterResponse("\ninsomnia.test('is ada again', () => insomnia.expect(insomnia.response.json().user).to.equal('ada'));");
    // the run starts within the 300 ms the editor holds the last keys before it writes them
    api.testExplorer.lastResults.clear();
    void vscode.commands.executeCommand('testing.runAll');
    const ada = item(ADA)!;
    await waitFor('Get Ada\'s result', () => result(ada.id), 30_000);
    assert.equal(result(`${ada.id}#test:is ada again`)?.state, 'passed', `the run had every key typed: ${JSON.stringify([...api.testExplorer.lastResults].filter(([id]) => id.startsWith(ada.id)))}`);
  });

  it('a request that cannot be sent: its line in the Test Results output says why (not only the side pane)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const file = inWorkspace(FILE);
    const text = await fsp.readFile(file, 'utf8');
    const healthUrl = () => {
      // (the file is being written: its collection may be out of the store for a moment)
      const c = design.collection();
      if (!c) return undefined;
      const r = api.store.locate(c.path, HEALTH);
      return r?.kind === 'item' && r.item.kind === 'request' ? r.item.url : undefined;
    };
    try {
      // a variable no environment defines: the request is never sent
      await fsp.writeFile(file, text.replace('"{{ _.base_url }}/health"', '"{{ _.nowhere_url }}/health"'));
      await waitFor('the changed URL read', () => healthUrl()?.includes('nowhere_url'), 10_000);
      await vscode.commands.executeCommand('workbench.view.testing.focus');
      api.testExplorer.lastResults.clear();
      hits.length = 0;
      await ui(testing, [{ click: '.pane-header .action-label.codicon-testing-run-all-icon, .title-actions .action-label.codicon-testing-run-all-icon' }]);
      await waitFor('the results of Health and the suite', () => result(item(HEALTH)!.id) && result(item(SUITE)!.id), 60_000);
      assert.equal(result(item(HEALTH)!.id)?.state, 'errored');
      assert.ok(!hits.includes('/health'), 'Health was not sent');
      await vscode.commands.executeCommand('testing.showMostRecentOutput');
      const [, panel] = await ui({ selector: '.monaco-workbench' }, [{ wait: 800 }, { text: '.part.panel .xterm-rows' }, { screenshot: 'walk-testing-7-not-sent' }]);
      assert.match(String(panel).replace(/\s+/g, ' '), /GET Health: not sent: render: Unknown variable "nowhere_url"/, `the output's line says why: ${String(panel).slice(0, 600)}`);
    } finally {
      await fsp.writeFile(file, text);
      await waitFor('the URL back', () => healthUrl()?.includes('base_url'), 10_000);
    }
  });

  it('a run while an edit of the request is held for the user\'s choice: not run, the editor\'s message says why; the file as it was', async () => {
    const editor = await openAda();
    const held = holdQuestions(/changed on disk/);
    try {
      const before = await fsp.readFile(inWorkspace(FILE), 'utf8');
      // an edit of the URL made on a URL the file no longer has (a teammate's pull changed it under the editor)
      await editor.receive({ type: 'edit', fields: { url: 'http://127.0.0.1:1/mine' }, seq: 1_000_000, base: { url: 'http://127.0.0.1:1/before' } });
      await editor.flush().catch(() => undefined);
      await waitFor('the edit held', () => editor.heldEdit?.reason === 'conflict', 10_000);
      api.testExplorer.lastResults.clear();
      hits.length = 0;
      void vscode.commands.executeCommand('testing.runAll');
      const ada = item(ADA)!;
      await waitFor('Get Ada\'s result', () => result(ada.id), 30_000);
      assert.equal(result(ada.id)?.state, 'errored');
      assert.match(result(ada.id)?.messages[0] ?? '', /^Not run: an edit of .*Get Ada.* is not saved yet/);
      assert.deepEqual(hits, [], 'nothing of the collection was sent');
      assert.equal(await fsp.readFile(inWorkspace(FILE), 'utf8'), before, 'the file as it was');
      await editor.resolveHeld('file');
    } finally {
      held.restore();
    }
  });
});
