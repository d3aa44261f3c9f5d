// The loopback listener of the OAuth 2.0 authorization code grant.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { receiveCodeOnLoopback } from '../../../src/http/oauthRedirect';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The first fetch once the listener accepts connections (it starts listening a moment after the call). */
async function fetchWhenListening(url: string): Promise<Response> {
  for (let tries = 0; ; tries++) {
    try {
      return await fetch(url);
    } catch (err) {
      const refused = (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      if (!refused || tries > 500) throw err;
      await new Promise((r) => setImmediate(r));
    }
  }
}

describe('receiveCodeOnLoopback', () => {
  it('resolves with the code and state the browser brings to the redirect URL, then stops listening', async () => {
    const port = await freePort();
    const waiting = receiveCodeOnLoopback(`http://127.0.0.1:${port}/callback`, 's1');
    const other = await fetchWhenListening(`http://127.0.0.1:${port}/elsewhere`);
    assert.equal(other.status, 404);
    const res = await fetch(`http://127.0.0.1:${port}/callback?code=abc&state=s1`);
    assert.match(await res.text(), /close this tab/);
    assert.deepEqual(await waiting, { code: 'abc', state: 's1' });
    await assert.rejects(fetch(`http://127.0.0.1:${port}/callback?code=again`));
  });

  it('ignores a redirect without the state it was given (another process planting a code), and keeps waiting', async () => {
    const port = await freePort();
    const waiting = receiveCodeOnLoopback(`http://127.0.0.1:${port}/callback`, 's1');
    for (const query of ['code=planted', 'code=planted&state=other', 'error=access_denied', 'code=planted&state=s1x']) {
      const res = await fetchWhenListening(`http://127.0.0.1:${port}/callback?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(await res.text(), /does not carry the state/);
    }
    await fetch(`http://127.0.0.1:${port}/callback?code=real&state=s1`);
    assert.deepEqual(await waiting, { code: 'real', state: 's1' });
  });

  it('rejects an error redirect, a non-loopback redirect URL, and a cancelled wait', async () => {
    const port = await freePort();
    const waiting = receiveCodeOnLoopback(`http://localhost:${port}/cb`, 's');
    await fetchWhenListening(`http://127.0.0.1:${port}/cb?error=access_denied&state=s`);
    await assert.rejects(waiting, /access_denied/);
    await assert.rejects(receiveCodeOnLoopback('https://example.com/cb', 's'), /loopback/);
    const controller = new AbortController();
    const cancelled = receiveCodeOnLoopback(`http://127.0.0.1:${await freePort()}/cb`, 's', controller.signal);
    controller.abort();
    await assert.rejects(cancelled, /Cancelled/);
  });
});
