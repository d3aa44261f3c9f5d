// A JSON body with Insomnia templates (`{{ _.id }}` unquoted, `{% uuid 'v4' %}`) opened in VS Code's editor: Insomnia
// and the request editor take it as it is, so VS Code's JSON service must not fill the Problems panel with an "error"
// for every template. It opens as `hammock-json` (JSON's grammar with the templates highlighted, as Insomnia's
// CodeMirror does), which the JSON service does not validate; a body without templates stays JSON, validated; saving
// still writes the body's lines of the request file only.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, KeptFiles, lineDiff, requestNamed, ui, waitFor } from './helpers';

describe('A templated JSON body in VS Code\'s editor', function () {
  this.timeout(60_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);

  before(async () => {
    api = await activateHammock();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  /** Resolves when VS Code's JSON service has published problems for `uri` (an event, then the state it left). */
  const problemsFor = (uri: vscode.Uri, timeoutMs: number) => new Promise<vscode.Diagnostic[]>((resolve, reject) => {
    const now = () => vscode.languages.getDiagnostics(uri);
    const done = (d: vscode.Diagnostic[]) => { sub.dispose(); clearTimeout(timer); resolve(d); };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && now().length) done(now());
    });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no problems for ${uri.toString()} after ${timeoutMs} ms`)); }, timeoutMs);
    if (now().length) done(now());
  });

  it('opens as hammock-json with no problems, while a broken JSON document opened after it gets its problem', async () => {
    const { collection, request } = requestNamed(api, 'Update a transaction', 'legacy');
    const file = request.source.file;
    await kept.keep(file);
    const start = await fsp.readFile(file, 'utf8');
    const templated = start
      .replace('"id": 42,', '"id": {{ _.id }},')
      .replace('"source": "GR872659435350353",', `"source": "{{ _.base_url }}/{% uuid 'v4' %}",`);
    assert.notEqual(templated, start);
    await fsp.writeFile(file, templated);
    await api.store.refreshPaths([file]);
    await waitFor('the store to hold the templated body', () => requestNamed(api, 'Update a transaction', 'legacy').request.body.text?.includes('{{ _.id }}'), 8000);

    const uriText = await vscode.commands.executeCommand<string>('hammock.openBodyInEditor', { collectionPath: collection.path, requestId: request.id });
    const editor = await waitFor('the body editor', () => vscode.window.activeTextEditor?.document.uri.toString() === uriText && vscode.window.activeTextEditor);
    const uri = editor.document.uri;
    // the JSON service validates in the order documents open (each after the same short delay): once it published
    // the problem of a broken JSON document opened after the body, it has had the body's turn
    const broken = await vscode.workspace.openTextDocument({ language: 'json', content: '{ "a": }' });
    const theirs = await problemsFor(broken.uri, 20_000);
    assert.ok(theirs.length > 0);
    assert.deepEqual(vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`), [], 'no problems for the templates');
    assert.equal(editor.document.languageId, 'hammock-json', 'JSON with Insomnia templates');
    const grammar = (vscode.extensions.all.find((x) => x.packageJSON?.name === 'hammock')?.packageJSON as { contributes?: { grammars?: { language?: string; scopeName: string }[] } })
      ?.contributes?.grammars?.find((g) => g.language === 'hammock-json');
    assert.equal(grammar?.scopeName, 'source.json.hammock', 'highlighted as JSON with the templates');
    // on the page: inside the JSON string, the template's variable and its tag's name each get a colour of their own,
    // other than the string's (as JSON alone, the whole string is one token of the string's colour)
    const classOf = async (token: string) => ((await ui({ selector: '.monaco-editor .view-lines' }, [{ attribute: `.monaco-editor .view-lines span:text-is(${JSON.stringify(token)})`, name: 'class' }]))[0] as string[])[0];
    const colours = await waitFor('the templates highlighted', async () => {
      const c = { variable: await classOf('base_url'), tag: await classOf('uuid'), string: await classOf('"EUR"') };
      return c.variable && c.tag && c.string && new Set(Object.values(c)).size === 3 && c;
    }, 10_000);
    assert.ok(colours);
    await ui({ selector: '.monaco-editor .view-lines' }, [{ screenshot: 'body-templated-json' }]);

    // saved, it is the same body: the request file changes in the edited line (and modified) only
    const before = await fsp.readFile(file, 'utf8');
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('"amount": 42,'));
    const at = editor.document.lineAt(line).text.indexOf('42');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(line, at, line, at + 2), '43');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await editor.document.save());
    await waitFor('the store to hold the new body', () => requestNamed(api, 'Update a transaction', 'legacy').request.body.text?.includes('"amount": 43,'), 8000);
    const diff = lineDiff(before, await fsp.readFile(file, 'utf8'));
    assert.deepEqual(diff.removed.map((l) => l.trim()).filter((l) => !l.startsWith('modified:')), ['"amount": 42,']);
    assert.deepEqual(diff.added.map((l) => l.trim()).filter((l) => !l.startsWith('modified:')), ['"amount": 43,']);
    assert.equal(editor.document.languageId, 'hammock-json');
    assert.deepEqual(vscode.languages.getDiagnostics(uri), []);
  });

  it('a body without templates stays a JSON document, its real mistakes shown', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const uriText = await vscode.commands.executeCommand<string>('hammock.openBodyInEditor', { collectionPath: collection.path, requestId: request.id });
    const editor = await waitFor('the body editor', () => vscode.window.activeTextEditor?.document.uri.toString() === uriText && vscode.window.activeTextEditor);
    assert.equal(editor.document.languageId, 'json');
    // a mistake typed (not saved): the JSON service says so
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, new vscode.Position(0, 1), ' "x": ,');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const problems = await problemsFor(editor.document.uri, 20_000);
    assert.ok(problems.length > 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the mistake gone', () => vscode.languages.getDiagnostics(editor.document.uri).length === 0, 10_000);
  });

  it('a JSON body that gets a template while open (typed) moves to hammock-json, without problems', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const uriText = await vscode.commands.executeCommand<string>('hammock.openBodyInEditor', { collectionPath: collection.path, requestId: request.id });
    const editor = await waitFor('the body editor', () => vscode.window.activeTextEditor?.document.uri.toString() === uriText && vscode.window.activeTextEditor);
    assert.equal(editor.document.languageId, 'json');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, new vscode.Position(0, 1), '\n  "n": {{ _.n }},');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the language to follow', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriText)?.languageId === 'hammock-json', 10_000);
    const broken = await vscode.workspace.openTextDocument({ language: 'json', content: '[1,,]' });
    assert.ok((await problemsFor(broken.uri, 20_000)).length > 0);
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).map((d) => d.message), []);
    // its template taken out again: a JSON document, validated, as before
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the language back to JSON', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriText)?.languageId === 'json', 10_000);
  });
});
