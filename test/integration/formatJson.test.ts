// The request editor's Format JSON button on the real page: a JSON body with Insomnia templates in it (nearly every
// real body) is formatted as Insomnia formats it, templates untouched, and saved; a body it cannot make sense of stays
// as it is and the page says why, instead of the button silently doing nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, KeptFiles, openRequestEditor, requestNamed, ui, waitFor } from './helpers';

describe('Format JSON in the request editor, on the real page', function () {
  this.timeout(90_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);

  before(async () => {
    api = await activateHammock();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  const bodyNow = (state: { collectionPath: string; requestId: string }) => {
    const l = api.store.locate(state.collectionPath, state.requestId);
    assert.ok(l?.kind === 'item' && l.item.kind === 'request');
    return l.item.body.text;
  };
  const FORMAT = 'vscode-button:has-text("Format JSON")';
  const BODY_TAB = '.tab-strip .tab:nth-child(3)';

  /** The request's body replaced as a person does it: the Body tab, select all, paste. */
  const pasteBody = async (text: string) => {
    const { collection, request } = requestNamed(api, 'Update a transaction', 'legacy');
    assert.equal(request.body.mimeType, 'application/json');
    const opened = await openRequestEditor(api, collection, request, kept.files);
    await ui(opened.frame, [{ click: BODY_TAB }, { clipboard: text }, { click: '#body-text' }, { press: 'Control+a' }, { press: 'Control+v' }]);
    await waitFor('the pasted body saved', () => bodyNow(opened.state) === text, 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(opened.state)?.busy, 10_000);
    return opened;
  };

  it('a body with a {{ }} value and a {% response %} tag: formatted with two spaces, the templates untouched, and saved', async () => {
    const tag = `{% response 'body', 'req_1', 'b64::JC50b2tlbg==::46b', 'never', 60 %}`;
    const body = `{"id":{{ _.pet_id }},"name":"rex","tags":["a","b"],"token":"${tag}","empty":{}}`;
    const expected = `{\n  "id": {{ _.pet_id }},\n  "name": "rex",\n  "tags": [\n    "a",\n    "b"\n  ],\n  "token": "${tag}",\n  "empty": {}\n}`;
    const { frame, state } = await pasteBody(body);
    // straight from typing in the body to the button, as a person does (the field's preview under it shown till then)
    await ui(frame, [{ screenshot: 'format-json-focused' }, { click: FORMAT }]);
    const [shown] = await ui(frame, [{ value: '#body-text' }, { screenshot: 'format-json-templated' }]);
    assert.equal(shown, expected, 'the page shows the body formatted');
    await waitFor('the formatted body saved', () => bodyNow(state) === expected, 10_000);
  });

  it('a body whose brace is not closed: the body stays as it is and the page says why', async () => {
    const body = '{"id":{{ _.pet_id }},"name":"rex"';
    const { frame, state } = await pasteBody(body);
    await ui(frame, [{ click: FORMAT }]);
    const said = await waitFor('the page to say why', async () => {
      const [text] = await ui(frame, [{ text: '.hint.error' }]);
      return typeof text === 'string' && text.includes('Cannot format as JSON') && text;
    }, 8000);
    assert.match(said, /"\{" at position 0 is not closed/);
    assert.equal((await ui(frame, [{ value: '#body-text' }]))[0], body);
    assert.equal(bodyNow(state), body);
  });
});
