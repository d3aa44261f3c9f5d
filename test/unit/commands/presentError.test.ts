// The command center's one mapping from what a command throws to what the user sees.

import * as assert from 'node:assert/strict';
import { Cancelled, isCancellation, presentError } from '../../../src/commands/presentError';
import { ImportError } from '../../../src/collections/convert/importTypes';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { HttpError } from '../../../src/http/httpError';

describe('presentError: one notification per error type', () => {
  it("a user's cancel shows nothing: a backed-out prompt, a cancelled git or HTTP operation, an abort", () => {
    const abort = new Error('This operation was aborted');
    abort.name = 'AbortError';
    const vscodeCancel = new Error('Canceled');
    vscodeCancel.name = 'Canceled';
    for (const err of [new Cancelled(), new GitError(GitErrorCode.Cancelled, 'The fetch was cancelled.'), new HttpError('Cancelled', 'cancelled'), abort, vscodeCancel]) {
      assert.ok(isCancellation(err), String(err));
      assert.equal(presentError(err), undefined);
    }
    assert.equal(isCancellation(new Error('Cancelled by the server')), false);
  });

  it('a GitError gets its actions: a refused token "Enter Token..." and "Open Log", a rejection "Pull"', () => {
    const auth = presentError(new GitError(GitErrorCode.AuthFailed, 'The server refused the token for example.com.'))!;
    assert.equal(auth.severity, 'error');
    assert.deepEqual(auth.actions.map((a) => a.title), ['Enter Token...', 'Open Log']);
    const rejected = presentError(new GitError(GitErrorCode.PushRejectedNonFastForward, 'The remote has commits you do not have.'))!;
    assert.equal(rejected.severity, 'warning');
    assert.deepEqual(rejected.actions.map((a) => a.action), ['pull', 'forcePush']);
    assert.equal(presentError(new GitError(GitErrorCode.NothingToPush, 'Nothing to push.'))!.severity, 'information');
  });

  it('an HttpError says where; an ImportError says the line and that nothing was written; anything else is an error with Open Log', () => {
    const http = presentError(new HttpError('TemplateError', 'Unknown variable base_url', 'url'))!;
    assert.deepEqual(http, { severity: 'error', message: 'Unknown variable base_url (url)', actions: [{ title: 'Open Log', action: 'openLog' }] });
    const imp = presentError(new ImportError('Unexpected token', 4, 2))!;
    assert.equal(imp.message, 'Cannot import: Unexpected token (line 5). Nothing was written.');
    const other = presentError(new Error('disk full'))!;
    assert.deepEqual(other, { severity: 'error', message: 'disk full', actions: [{ title: 'Open Log', action: 'openLog' }] });
    assert.equal(presentError('plain')!.message, 'plain');
  });
});
