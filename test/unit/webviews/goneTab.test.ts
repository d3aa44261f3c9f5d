import * as assert from 'node:assert/strict';
import type { StoreChange } from '../../../src/collections/store';
import { goneTabCloses, goneText, goneTitle } from '../../../src/webviews/goneTab';

const fromDisk: StoreChange = { collections: [], list: false, problems: false, all: false };
const byEdit = (edit: StoreChange['edit']): StoreChange => ({ ...fromDisk, edit });

describe('an editor tab whose item is gone', () => {
  it('closes on the Hammock edit that took the item away (Delete, a move to another collection)', () => {
    assert.equal(goneTabCloses(true, byEdit('delete'), true), true);
    assert.equal(goneTabCloses(true, byEdit('move'), true), true);
  });

  it('stays when the item went from disk (a checkout, another program), or with no change (the page loaded)', () => {
    assert.equal(goneTabCloses(true, fromDisk, true), false);
    assert.equal(goneTabCloses(true, undefined, true), false);
  });

  it('stays through a later Hammock edit when the item was already gone at the last refresh (kept as "(deleted)")', () => {
    assert.equal(goneTabCloses(true, byEdit('rename'), false), false);
    assert.equal(goneTabCloses(true, byEdit('setEnvironment'), false), false);
    assert.equal(goneTabCloses(true, byEdit('delete'), false), false);
  });

  it('stays while not idle (the store loading, an edit pending or held): what was typed is not dropped with the tab', () => {
    assert.equal(goneTabCloses(false, byEdit('delete'), true), false);
  });

  it('is said in one wording, by the editors, Send and a held edit alike', () => {
    assert.equal(goneText('"Get pets"', '.insomnia'), '"Get pets" is not in .insomnia now (deleted, moved, or not on this branch).');
  });

  it('is titled "(deleted)", or "(merge conflict)" when its file holds one, one suffix in place of the other', () => {
    assert.equal(goneTitle('GET Pets', false), 'GET Pets (deleted)');
    assert.equal(goneTitle('GET Pets', true), 'GET Pets (merge conflict)');
    assert.equal(goneTitle('GET Pets (deleted)', false), 'GET Pets (deleted)');
    assert.equal(goneTitle('GET Pets (deleted)', true), 'GET Pets (merge conflict)');
    assert.equal(goneTitle('GET Pets (merge conflict)', false), 'GET Pets (deleted)');
  });
});
