// Deliberately failing in-host tests: test/support/selfcheck.mjs runs this file and succeeds only if
// the runner reports the failures and exits non-zero. Not part of the real suite.
import * as assert from 'assert';
import * as vscode from 'vscode';

describe('deliberately failing (runner self-check)', () => {
  it('passes: the vscode API is there', () => {
    assert.ok(vscode.version);
  });

  it('fails an assertion', () => {
    assert.strictEqual(vscode.workspace.workspaceFolders?.length, 42);
  });

  it('never finishes (mocha timeout)', function () {
    this.timeout(500);
    return new Promise<void>(() => undefined);
  });
});
