// Scripts inside a real VS Code: a v5 collection whose Login request's after-response script stores a token that
// Me sends; the Test Explorer lists the requests with tests and runs them through VS Code's own "Run All Tests"; the
// token lands in the file as a one-line change; Send shows the tests and the console in the response viewer, looked
// at on the real page (the Tests tab clicked as a person does).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, commitCollection, gitAs, inWorkspace, startLoopbackServer, ui, waitFor } from './helpers';

const FILE = 'scripts-suite.yaml';

function collectionText(base: string): string {
  return `type: collection.insomnia.rest/5.0
schema_version: "5.1"
name: Scripted
meta:
  id: wrk_00000000000000000000000000scripted
  created: 1
  modified: 1
collection:
  - url: "{{ _.base_url }}/login"
    name: Login
    meta:
      id: req_00000000000000000000000000000login
      created: 1
      modified: 1
      isPrivate: false
      sortKey: 1
    method: POST
    scripts:
      afterResponse: |-
        insomnia.test('logged in', () => insomnia.expect(insomnia.response.code).to.equal(200));
        insomnia.environment.set('token', insomnia.response.json().token);
        console.log('token stored');
  - name: Account
    meta:
      id: fld_0000000000000000000000000account
      created: 1
      modified: 1
      sortKey: 2
    children:
      - url: "{{ _.base_url }}/me"
        name: Me
        meta:
          id: req_000000000000000000000000000000me
          created: 1
          modified: 1
          isPrivate: false
          sortKey: 1
        method: GET
        headers:
          - name: Authorization
            value: Bearer {{ _.token }}
        scripts:
          afterResponse: |-
            insomnia.test('is ada', () => insomnia.expect(insomnia.response.json().user).to.equal('ada'));
            insomnia.test('is admin', () => insomnia.expect(insomnia.response.json().admin, 'admin flag').to.equal(true));
environments:
  name: Base Environment
  meta:
    id: env_00000000000000000000000000scripted
    created: 1
    modified: 1
    isPrivate: false
  data:
    base_url: ${base}
`;
}

describe('scripts, tests and the Test Explorer in VS Code', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let server: Awaited<ReturnType<typeof startLoopbackServer>>;
  let scripted: Awaited<ReturnType<typeof commitCollection>>;
  let base = '';
  const issued = new Set<string>();
  const git = gitAs({ name: 'Test', email: 'test@example.com' });

  before(async () => {
    server = await startLoopbackServer(
      () => undefined,
      (req) => {
        if (req.url === '/login') {
          // (long, as a real one is: chai cuts it short in an assertion message)
          const token = `t${issued.size + 1}-${'q'.repeat(40)}`;
          issued.add(token);
          return { body: JSON.stringify({ token }) };
        }
        if (req.url === '/me') {
          const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          return token && issued.has(token) ? { body: JSON.stringify({ user: 'ada', admin: false }) } : { status: 401, body: '{}' };
        }
        return { status: 404, body: '{}' };
      },
    );
    base = server.base;
    api = await activateHammock();
    scripted = await commitCollection(api, git, { name: FILE, text: collectionText(base), collection: 'Scripted', message: 'scripts suite' });
  });

  after(async () => {
    await server.close();
    await scripted.remove();
  });

  it('the Test Explorer lists the collection, the folder and the requests with tests, and the legacy unit test suite', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const root = await waitFor('the collection\'s test item', () => api.testExplorer.item(c.path, c.id), 10_000);
    const labels: string[] = [];
    const walk = (item: vscode.TestItem, depth: number) => {
      labels.push(`${'  '.repeat(depth)}${item.label}`);
      const children: vscode.TestItem[] = [];
      item.children.forEach((ch) => children.push(ch));
      for (const ch of children.sort((a, b) => (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0))) walk(ch, depth + 1);
    };
    walk(root, 0);
    assert.deepEqual(labels, ['Scripted', '  POST Login', '  Account', '    GET Me']);
    assert.equal(root.children.get(`${root.id}#req_00000000000000000000000000000login`)?.range?.start.line, 8, 'the gutter of the file runs it');
    const legacy = api.store.collections.find((x) => x.format === 'legacy')!;
    const suite = api.testExplorer.item(legacy.path, legacy.id, legacy.testSuites![0].id);
    assert.ok(suite, 'the legacy design document\'s unit test suite');
    assert.equal(suite.children.size, legacy.testSuites![0].tests.length);
  });

  it('the items follow the file: a request that gains a test appears, one that loses its tests goes', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const file = inWorkspace(FILE);
    const text = await fsp.readFile(file, 'utf8');
    const extra = text.replace(
      'environments:\n',
      `  - url: "{{ _.base_url }}/me"\n    name: Extra\n    meta:\n      id: req_00000000000000000000000000000extra\n      created: 1\n      modified: 1\n      sortKey: 3\n    method: GET\n    scripts:\n      afterResponse: insomnia.test('x', () => {})\nenvironments:\n`,
    );
    await fsp.writeFile(file, extra);
    await waitFor('the new request\'s test item', () => api.testExplorer.item(c.path, c.id, 'req_00000000000000000000000000000extra'), 10_000);
    await fsp.writeFile(file, text.replace("insomnia.test('logged in', () => insomnia.expect(insomnia.response.code).to.equal(200));\n", ''));
    await waitFor('Login\'s item gone', () => !api.testExplorer.item(c.path, c.id, 'req_00000000000000000000000000000login') && !api.testExplorer.item(c.path, c.id, 'req_00000000000000000000000000000extra'), 10_000);
    await fsp.writeFile(file, text);
    await waitFor('Login\'s item back', () => api.testExplorer.item(c.path, c.id, 'req_00000000000000000000000000000login'), 10_000);
  });

  it('a request renamed in its file keeps its test item, relabelled in place (the collection is not rebuilt)', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const file = inWorkspace(FILE);
    const text = await fsp.readFile(file, 'utf8');
    const before = await waitFor('Login\'s item', () => api.testExplorer.item(c.path, c.id, 'req_00000000000000000000000000000login'), 10_000);
    const me = api.testExplorer.item(c.path, c.id, 'req_000000000000000000000000000000me');
    assert.ok(me, 'Me has tests too');
    try {
      await fsp.writeFile(file, text.replace('    name: Login\n', '    name: Sign in\n'));
      await waitFor('the item relabelled', () => before.label.endsWith(' Sign in'), 10_000);
      assert.equal(api.testExplorer.item(c.path, c.id, 'req_00000000000000000000000000000login'), before, 'the same item, not a rebuilt one');
      assert.equal(api.testExplorer.item(c.path, c.id, 'req_000000000000000000000000000000me'), me, 'its neighbour untouched');
    } finally {
      await fsp.writeFile(file, text);
      await waitFor('the name back', () => before.label.endsWith(' Login'), 10_000);
    }
  });

  it('Run All Tests: Login stores the token (a one-line change in the file), Me sends it; results and messages in VS Code', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const me = api.testExplorer.item(c.path, c.id, 'req_000000000000000000000000000000me')!;
    const login = api.testExplorer.item(c.path, c.id, 'req_00000000000000000000000000000login')!;
    await vscode.commands.executeCommand('testing.runAll');
    const results = await waitFor('the results of Me', () => {
      const r = api.testExplorer.lastResults;
      return r.get(me.id) && r.get(login.id) && r;
    }, 60_000);
    assert.equal(results.get(login.id)?.state, 'passed');
    assert.equal(results.get(me.id)?.state, 'failed');
    assert.deepEqual(results.get(me.id)?.messages, ['is admin: admin flag: expected false to equal true']);
    assert.equal(results.get(`${me.id}#test:is ada`)?.state, 'passed');
    assert.equal(results.get(`${me.id}#test:is admin`)?.state, 'failed');
    // a test's item (where VS Code shows its failure) is at its insomnia.test call in the file, not at the request
    const lines = (await fsp.readFile(inWorkspace(FILE), 'utf8')).split('\n');
    assert.equal(me.children.get(`${me.id}#test:is admin`)?.range?.start.line, lines.findIndex((l) => l.includes("insomnia.test('is admin'")));
    assert.equal(login.children.get(`${login.id}#test:logged in`)?.range?.start.line, lines.findIndex((l) => l.includes("insomnia.test('logged in'")));
    // the token Login's script set, written into the base environment of the file as Insomnia saves it
    const diff = await git(inWorkspace(), 'diff', '-U0', '--', FILE);
    const changed = diff.split('\n').filter((l) => /^[+-] /.test(l));
    assert.deepEqual(changed.map((l) => l.replace(/\d+/g, 'N')), ['-    modified: N', '+    modified: N', `+    token: tN-${'q'.repeat(40)}`]);
  });

  it('a token a test compares (chai cuts it short) or a script logs: masked in what VS Code shows and keeps of the run', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const me = api.testExplorer.item(c.path, c.id, 'req_000000000000000000000000000000me')!;
    const file = inWorkspace(FILE);
    const text = await fsp.readFile(file, 'utf8');
    try {
      await fsp.writeFile(file, text.replace(
        "            insomnia.test('is ada',",
        "            console.log('token', insomnia.environment.get('token'));\n            insomnia.test('token echo', () => insomnia.expect(insomnia.environment.get('token')).to.equal('nope'));\n            insomnia.test('is ada',",
      ));
      await waitFor('the changed script read', () => {
        const r = api.store.locate(c.path, 'req_000000000000000000000000000000me');
        return r?.kind === 'item' && r.item.kind === 'request' && r.item.scripts.afterResponse.includes('token echo');
      }, 10_000);
      api.testExplorer.lastResults.clear();
      await vscode.commands.executeCommand('testing.runAll');
      const results = await waitFor('the results of Me', () => api.testExplorer.lastResults.get(`${me.id}#test:token echo`) && api.testExplorer.lastResults, 60_000);
      assert.deepEqual(results.get(`${me.id}#test:token echo`)?.messages, ["expected '••••••' to equal 'nope'"]);
      const all = JSON.stringify([...results.values()]);
      assert.ok(!all.includes('qqqqqqqq'), `no part of the token in the results: ${all}`);
    } finally {
      await fsp.writeFile(file, text);
      await waitFor('the script back', () => {
        const r = api.store.locate(c.path, 'req_000000000000000000000000000000me');
        return r?.kind === 'item' && r.item.kind === 'request' && !r.item.scripts.afterResponse.includes('token echo');
      }, 10_000);
    }
  });

  it('Send shows the tests (failed with the assertion\'s message) and the console in the response viewer, on the real page', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const state = { collectionPath: c.path, requestId: 'req_000000000000000000000000000000me' };
    // a clean editor area: the viewer opens beside the request, where a person sees it
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the response viewer closed', () => !api.requestPanels.viewer.isOpen);
    api.requestPanels.open(state);
    const record = await api.requestPanels.send(state);
    assert.equal(record.status, 200);
    assert.deepEqual(record.tests?.map((t) => [t.name, t.status]), [['is ada', 'passed'], ['is admin', 'failed']]);
    // the page loads in its own time on a busy machine: wait for it to say it is ready
    await waitFor('the response viewer page', () => api.requestPanels.viewer.isReady, 60_000);
    const frame = { selector: '.summary .tests-badge', text: 'Tests 1/2' };
    await ui(frame, [{ click: 'button.tab:has-text("Tests")' }, { wait: 300 }, { screenshot: 'response-viewer-tests' }]);
    const [statuses] = await ui(frame, [{ attribute: '.test', name: 'data-status' }]);
    assert.deepEqual(statuses, ['passed', 'failed']);
    const [message] = await ui(frame, [{ value: '.test-failed .test-error' }]);
    assert.equal(message, 'admin flag: expected false to equal true');
    // Login's console line, in the Console tab of its own response
    const loginState = { collectionPath: c.path, requestId: 'req_00000000000000000000000000000login' };
    api.requestPanels.open(loginState);
    await api.requestPanels.send(loginState);
    await ui({ selector: '.summary .tests-badge', text: 'Tests 1/1' }, [{ click: 'button.tab:has-text("Console")' }, { wait: 300 }]);
    const [line] = await ui({ selector: '.summary .tests-badge', text: 'Tests 1/1' }, [{ value: '.console-line' }]);
    assert.equal(line, 'token stored');
  });

  it('typing a pre-request script, then at once the after-response script, in the Scripts tab: the file keeps both', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const file = inWorkspace(FILE);
    const text = await fsp.readFile(file, 'utf8');
    const state = { collectionPath: c.path, requestId: 'req_00000000000000000000000000000login' };
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    const frame = { selector: 'header .name', text: 'Login' };
    try {
      // the second box is clicked within the debounce of the first one's last key (a person moving on at once)
      await ui(frame, [
        { click: 'button.tab:has-text("Scripts")' },
        { click: 'textarea[data-key="script:preRequest"]' },
        { type: "console.log('pre');", delayMs: 30, jitterMs: 40 },
        { click: 'textarea[data-key="script:afterResponse"]' },
        { press: 'Control+End' },
        { type: "\nconsole.log('after');", delayMs: 30, jitterMs: 40 },
      ]);
      await waitFor('the after-response edit in the file', async () => (await fsp.readFile(file, 'utf8')).includes("console.log('after');"), 8000);
      await new Promise((r) => setTimeout(r, 600));
      const written = await fsp.readFile(file, 'utf8');
      assert.match(written, /preRequest: console\.log\('pre'\);\n/, 'the pre-request script typed first is in the file');
      assert.match(written, /console\.log\('token stored'\);\n\s+console\.log\('after'\);\n/);
      await ui(frame, [{ click: 'button.tab:has-text("Params")' }, { click: 'button.tab:has-text("Scripts")' }]);
      const [pre] = await ui(frame, [{ value: 'textarea[data-key="script:preRequest"]' }]);
      assert.equal(pre, "console.log('pre');", 'the page shows it too');
    } finally {
      await fsp.writeFile(file, text);
      await waitFor('the scripts back', () => {
        const r = api.store.locate(c.path, state.requestId);
        return r?.kind === 'item' && r.item.kind === 'request' && r.item.scripts.preRequest === '';
      }, 10_000);
    }
  });

  it('an after-response script that throws after its tests passed: the summary says Script error beside the tests', async () => {
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    const file = inWorkspace(FILE);
    const text = await fsp.readFile(file, 'utf8');
    const state = { collectionPath: c.path, requestId: 'req_00000000000000000000000000000login' };
    try {
      await fsp.writeFile(file, text.replace("        console.log('token stored');\n", "        console.log('token stored');\n        throw new Error('late');\n"));
      await waitFor('the changed script read', () => {
        const r = api.store.locate(c.path, state.requestId);
        return r?.kind === 'item' && r.item.kind === 'request' && r.item.scripts.afterResponse.includes('late');
      }, 10_000);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('the response viewer closed', () => !api.requestPanels.viewer.isOpen);
      api.requestPanels.open(state);
      const record = await api.requestPanels.send(state);
      assert.deepEqual(record.tests?.map((t) => t.status), ['passed']);
      // the script's error names its script once (not "after-response script: after-response script of ...")
      assert.match(record.scriptError ?? '', /^after-response script of request "Login", line 4:\d+: late$/);
      await waitFor('the response viewer page', () => api.requestPanels.viewer.isReady, 60_000);
      const [badge] = await ui({ selector: '.summary .tests-badge', text: 'Script error' }, [{ text: '.summary .tests-badge' }]);
      assert.equal(badge, 'Tests 1/1 · Script error');
      // the badge is what the eye finds: clicking it shows the Tests tab, where the error is written out (the viewer
      // opened on the Body tab, where a person looked for it in vain)
      const [, tab, body] = await ui({ selector: '.summary .tests-badge', text: 'Script error' }, [
        { click: '.summary .tests-badge' },
        { text: '.tab.active' },
        { text: '.tab-body' },
      ]);
      assert.equal(tab, 'Tests (1/1)');
      assert.match(String(body), /after-response script of request "Login", line 4:\d+: late/);
    } finally {
      await fsp.writeFile(file, text);
      await waitFor('the script back', () => {
        const r = api.store.locate(c.path, state.requestId);
        return r?.kind === 'item' && r.item.kind === 'request' && !r.item.scripts.afterResponse.includes('late');
      }, 10_000);
    }
  });

  it('a script that fails names the request, the script and the line in the viewer; the request is not sent', async () => {
    const file = inWorkspace(FILE);
    const text = await fsp.readFile(file, 'utf8');
    const c = api.store.collections.find((x) => x.name === 'Scripted')!;
    await api.store.apply(c, {
      kind: 'setRequestFields',
      id: 'req_000000000000000000000000000000me',
      fields: { url: '{{ _.base_url }}/me' },
    });
    await fsp.writeFile(file, text.replace('        scripts:\n          afterResponse: |-\n            insomnia.test(\'is ada\'', "        scripts:\n          preRequest: |-\n            const x = 1;\n            require('fs');\n          afterResponse: |-\n            insomnia.test('is ada'"));
    await waitFor('the changed script read', () => {
      const r = api.store.locate(c.path, 'req_000000000000000000000000000000me');
      return r?.kind === 'item' && r.item.kind === 'request' && r.item.scripts.preRequest.includes('require');
    }, 10_000);
    const before = issued.size;
    const record = await api.requestPanels.send({ collectionPath: c.path, requestId: 'req_000000000000000000000000000000me' });
    assert.match(record.error ?? '', /^pre-request script of request "Me", line 2:1: Cannot require "fs"/);
    assert.equal(record.status, 0);
    assert.equal(issued.size, before);
    await fsp.writeFile(file, text);
  });
});
