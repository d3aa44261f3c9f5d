// A run renders each request with the folders above it that it already knows (RenderOptions.folders), not by walking
// the whole tree again per request. Oracle: renderRequest finding them itself, as the editor's Send does.
import { strict as assert } from 'node:assert';
import { ancestorFolders, buildRenderContext, renderRequest, RunSession, ScriptSandbox } from '../../../src/http';
import type { HttpRequest, Item } from '../../../src/collections/model';
import type { HttpResponse, RenderedRequest } from '../../../src/http/types';
import { collection, folder, request } from './modelBuilders';

function tree() {
  const deep = request('req_deep', { url: '{{ _.base }}/deep', headers: [{ name: 'X-Req', value: '{{ _.who }}' }] });
  const own = request('req_own', { url: '{{ _.base }}/own', authentication: { type: 'bearer', token: 'mine' } });
  const top = request('req_top', { url: '{{ _.base }}/top', headers: [{ name: 'X-Outer', value: 'replaced' }] });
  const inner = folder('fld_inner', [deep, own], { headers: [{ name: 'X-Inner', value: 'i' }, { name: 'X-Outer', value: 'inner wins' }], environment: { who: 'inner' } });
  const outer = folder('fld_outer', [inner], { headers: [{ name: 'X-Outer', value: 'o' }], authentication: { type: 'basic', username: '{{ _.who }}', password: 'p' }, environment: { who: 'outer' } });
  const c = collection([outer, top] as Item[], { base: 'http://127.0.0.1:9', who: 'base' });
  return { c, requests: [deep, own, top] };
}

describe('rendering with the folders the caller knows', () => {
  it('gives what finding them gives, at every depth, with inherited headers and auth', async () => {
    const { c, requests } = tree();
    for (const r of requests) {
      const folders = ancestorFolders(c, r.id)!.folders;
      const context = buildRenderContext(c, r.id, undefined, { folders });
      const found = await renderRequest(r, c, context);
      const given = await renderRequest(r, c, context, {}, { folders });
      assert.deepEqual(given, found);
    }
    // and the answer depends on them: the inner request without its folders loses what they give
    const bare = await renderRequest(requests[0], c, buildRenderContext(c, requests[0].id), {}, { folders: [] });
    assert.ok(!bare.headers.some(([n]) => n === 'X-Inner'));
  });

  it('a run session sends what the editor would render, request by request', async () => {
    const { c, requests } = tree();
    const sent: RenderedRequest[] = [];
    const response: HttpResponse = { status: 200, statusText: 'OK', url: '', headers: [], body: Buffer.from(''), truncated: false, bodySize: 0, encodedBodySize: 0, headersSize: 0, timings: { total: 1 } as HttpResponse['timings'], cookies: [], redirects: [], rawRequestHead: '', rawResponseHead: '' };
    const sandbox = new ScriptSandbox();
    try {
      const session = new RunSession(c, undefined, { sandbox, send: async (r) => (sent.push(r), response) });
      for (const r of requests) await session.runRequest(r as HttpRequest);
    } finally {
      await sandbox.dispose();
    }
    const expected = await Promise.all(requests.map((r) => renderRequest(r, c, buildRenderContext(c, r.id))));
    assert.deepEqual(sent, expected);
  });
});
