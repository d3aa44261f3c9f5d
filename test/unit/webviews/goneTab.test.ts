import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { conflictMarkerProblem } from '../../../src/collections/formats/fields';
import type { Problem } from '../../../src/collections/model';
import type { StoreChange } from '../../../src/collections/store';
import { conflictedItemFile, goneTabCloses, goneText, goneTitle } from '../../../src/webviews/goneTab';

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

describe('the file that holds a gone item between merge conflict markers', () => {
  const legacy = path.join('/repo', '.insomnia');
  const requestFile = path.join(legacy, 'Request', 'req_1.yml');
  const v5 = path.join('/repo', 'api.yaml');
  // (as the store reports a file a merge stopped on)
  const conflict = (file: string): Problem => conflictMarkerProblem(file, 'name: a\n<<<<<<< HEAD\nurl: x\n=======\nurl: y\n>>>>>>> main\n')!;
  const malformed = (file: string): Problem => ({ file, line: 3, column: 0, message: 'bad indentation', severity: 'error' });

  it('seen before: the file it was seen in, while that file holds the markers', () => {
    assert.equal(conflictedItemFile([conflict(requestFile)], legacy, 'req_1', requestFile), requestFile);
    assert.equal(conflictedItemFile([conflict(v5)], v5, 'req_1', v5), v5);
    assert.equal(conflictedItemFile([], legacy, 'req_1', requestFile), undefined, 'resolved (or deleted): none');
    assert.equal(conflictedItemFile([malformed(requestFile)], legacy, 'req_1', requestFile), undefined, 'a malformed file is not a merge conflict');
  });

  it('never seen (a tab brought back by a window reload while the merge stood): the legacy file named after it, or the v5 collection file', () => {
    assert.equal(conflictedItemFile([conflict(requestFile)], legacy, 'req_1', undefined), requestFile);
    assert.equal(conflictedItemFile([conflict(v5)], v5, 'req_1', undefined), v5);
    assert.equal(conflictedItemFile([conflict(path.join(legacy, 'Request', 'req_2.yml'))], legacy, 'req_1', undefined), undefined, "another request's file");
    assert.equal(conflictedItemFile([conflict(path.join('/other', '.insomnia', 'Request', 'req_1.yml'))], legacy, 'req_1', undefined), undefined, "another collection's file");
    assert.equal(conflictedItemFile([], legacy, 'req_1', undefined), undefined, 'truly gone: "(deleted)"');
  });
});
