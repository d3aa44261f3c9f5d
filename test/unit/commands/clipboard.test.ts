// The clipboard read for a suggestion: never in a browser (each read asks the browser's permission, and a refusal
// shows an error notification at every New Request), never blocking the prompt it fills.

import * as assert from 'node:assert/strict';
import { peekClipboard, readClipboard } from '../../../src/commands/clipboard';

describe('the clipboard, read for a suggestion', () => {
  const access = (web: boolean, read: () => Promise<string>) => {
    const calls = { n: 0 };
    return { calls, access: { web, readText: () => (calls.n++, read()) } };
  };

  it('in a browser it is not read at all', async () => {
    const { calls, access: a } = access(true, () => Promise.resolve('curl https://x'));
    assert.equal(await peekClipboard(a, 1000), '');
    assert.equal(calls.n, 0);
  });

  it('on the desktop it is read, trimmed', async () => {
    const { calls, access: a } = access(false, () => Promise.resolve('  https://api.example.com/users\n'));
    assert.equal(await peekClipboard(a, 1000), 'https://api.example.com/users');
    assert.equal(calls.n, 1);
  });

  it('a read that fails, throws or never answers gives nothing, within the wait', async () => {
    assert.equal(await readClipboard({ web: false, readText: () => Promise.reject(new Error('denied')) }, 1000), '');
    assert.equal(await readClipboard({ web: false, readText: () => { throw new Error('no clipboard'); } }, 1000), '');
    const started = Date.now();
    assert.equal(await readClipboard({ web: false, readText: () => new Promise<string>(() => undefined) }, 30), '');
    assert.ok(Date.now() - started < 1000);
  });

  it('the user chose it in a browser: it is read then', async () => {
    const { calls, access: a } = access(true, () => Promise.resolve('curl -X POST https://x'));
    assert.equal(await readClipboard(a, 1000), 'curl -X POST https://x');
    assert.equal(calls.n, 1);
  });
});
