// Deliberately broken test file: it throws while mocha loads it, before any test is defined.
// test/support/selfcheck.mjs checks that the runner then exits non-zero. Not part of the real suite.
import * as vscode from 'vscode';

describe('never defined (runner self-check)', () => {
  it('is never reached', () => undefined);
});

throw new Error(`test file blew up at load time (vscode ${vscode.version})`);
