import * as assert from 'node:assert/strict';
import { isWebviewOf, unrevivedTab } from '../../../src/webviews/restoredTabs';

const VIEW = 'hammock.requestEditor';
const tab = (label: string, webviewType?: string) => ({ label, webviewType });

describe('restoredTabs: the request editor tab left from before a window reload', () => {
  it('knows its view type as VS Code reports it', () => {
    assert.equal(isWebviewOf('mainThreadWebview-hammock.requestEditor', VIEW), true);
    assert.equal(isWebviewOf(VIEW, VIEW), true);
    assert.equal(isWebviewOf('mainThreadWebview-hammock.responseViewer', VIEW), false);
    assert.equal(isWebviewOf(undefined, VIEW), false);
  });

  it('finds the one tab of that title no open panel accounts for', () => {
    const tabs = [tab('Welcome'), tab('GET Find pets', 'mainThreadWebview-hammock.requestEditor'), tab('POST Add a pet', 'mainThreadWebview-hammock.requestEditor')];
    assert.equal(unrevivedTab(tabs, VIEW, 'GET Find pets', ['POST Add a pet']), tabs[1]);
  });

  it('leaves tabs alone when an open panel has the title, when two tabs have it, or when none is a request editor', () => {
    const editor = (label: string) => tab(label, 'mainThreadWebview-hammock.requestEditor');
    assert.equal(unrevivedTab([editor('GET Find pets')], VIEW, 'GET Find pets', ['GET Find pets']), undefined);
    assert.equal(unrevivedTab([editor('GET Find pets'), editor('GET Find pets')], VIEW, 'GET Find pets', []), undefined);
    assert.equal(unrevivedTab([tab('GET Find pets'), tab('GET Find pets', 'mainThreadWebview-hammock.responseViewer')], VIEW, 'GET Find pets', []), undefined);
  });

  it('leaves the tab alone when two requests of the workspace have that title (it may be the other one\'s)', () => {
    const tabs = [tab('GET Users', 'mainThreadWebview-hammock.requestEditor')];
    assert.equal(unrevivedTab(tabs, VIEW, 'GET Users', [], 1), tabs[0]);
    assert.equal(unrevivedTab(tabs, VIEW, 'GET Users', [], 2), undefined);
  });
});
