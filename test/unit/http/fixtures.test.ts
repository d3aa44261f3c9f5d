// The engine on real Insomnia data: the shared fixtures read with the collections reader, rendered as they are.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCollectionFile, loadWorkspace } from '../../../src/collections/scan';
import { walkItems, type Collection, type HttpRequest } from '../../../src/collections/model';
import { buildRenderContext, HttpError, renderRequest, type RenderHooks } from '../../../src/http';
import { parseMultipart } from '../../support/httpServer';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

function httpRequests(c: Collection): HttpRequest[] {
  return [...walkItems(c.children)].filter((i): i is HttpRequest => i.kind === 'request');
}

describe('http engine on the shared fixtures', () => {
  let everything: Collection;
  before(async () => {
    const result = await loadCollectionFile(path.join(FIXTURES, 'v5/kong-example/everything.yaml'));
    assert.ok(result.collection);
    everything = result.collection;
  });

  it('v5 everything.yaml: the sub-environment gives base_url; without it the URL names the missing variable', async () => {
    const sub = everything.baseEnvironment?.subEnvironments.find((e) => e.name === 'New Environment');
    assert.ok(sub);
    const subscribe = httpRequests(everything).find((r) => r.name === 'subscribe');
    assert.ok(subscribe);
    // its OAuth 2.0 (authorization code) token comes from the token store, under the request's id, with the stored prefix
    const keys: string[] = [];
    const hooks: RenderHooks = { tokenStore: { get: async (k) => (keys.push(k), { accessToken: 'stored-token' }), set: async () => undefined } };
    const r = await renderRequest(subscribe, everything, buildRenderContext(everything, subscribe.id, sub.id), hooks);
    assert.equal(r.url, 'http://localhost:3000/user/subscribe?isTrue=true&isFalse=false');
    assert.deepEqual(r.headers.find(([n]) => n === 'Authorization'), ['Authorization', 'pre stored-token']);
    assert.deepEqual(r.headers.find(([n]) => n === 'Accept'), ['Accept', 'text/event-stream']);
    assert.deepEqual(keys, [subscribe.id]);
    await assert.rejects(
      renderRequest(subscribe, everything, buildRenderContext(everything, subscribe.id)),
      (e: unknown) => e instanceof HttpError && e.code === 'TemplateError' && e.where === 'url' && /"base_url"/.test(e.message),
    );
  });

  it('v5 everything.yaml login: multipart with a file part, bearer with prefix, the stored Content-Type given its boundary', async () => {
    const sub = everything.baseEnvironment!.subEnvironments[0];
    const login = httpRequests(everything).find((r) => r.name === 'login');
    assert.ok(login);
    // the file part points at the author's machine: a FileError that names it
    await assert.rejects(renderRequest(login, everything, buildRenderContext(everything, login.id, sub.id)), (e: unknown) => e instanceof HttpError && e.code === 'FileError' && /konger\.png/.test(e.message));
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-fx-'));
    try {
      const png = path.join(dir, 'konger.png');
      await fsp.writeFile(png, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      const local: HttpRequest = { ...login, body: { ...login.body, params: login.body.params?.map((p) => (p.type === 'file' ? { ...p, fileName: png } : p)) } };
      const r = await renderRequest(local, everything, buildRenderContext(everything, login.id, sub.id));
      assert.equal(r.method, 'POST');
      assert.equal(r.url, 'http://localhost:3000/user/login');
      assert.deepEqual(r.headers.find(([n]) => n === 'Authorization'), ['Authorization', 'pre test_token']);
      const types = r.headers.filter(([n]) => n.toLowerCase() === 'content-type');
      assert.equal(types.length, 1);
      const boundary = /boundary=(.+)$/.exec(types[0][1])?.[1];
      assert.ok(boundary);
      const parts = parseMultipart(r.body as Buffer, boundary);
      assert.deepEqual(parts.map((p) => p.name), ['username', 'password', 'user_metadata', 'user_image']);
      assert.equal(parts[2].data.toString(), '{\n\t"isAdmin": true,\n\t"isCEO": true\n}');
      assert.equal(parts[3].fileName, 'konger.png');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('every HTTP request of every fixture collection renders, or fails with a named TemplateError/FileError', async () => {
    const roots = ['legacy/kong-example-design', 'legacy/minimal-collection', 'legacy/kong-demo-with-tests', 'legacy/inso-fixture-alphabetical', 'v5/kong-example', 'v5/upstream-roundtrip'];
    const hooks: RenderHooks = { prompt: async (_t, _l, d) => d || 'answer', response: async () => '{}' };
    let rendered = 0;
    let failed = 0;
    for (const root of roots) {
      const snap = await loadWorkspace(path.join(FIXTURES, root));
      for (const c of snap.collections) {
        const envIds = [undefined, ...(c.baseEnvironment?.subEnvironments.map((e) => e.id) ?? [])];
        for (const req of httpRequests(c)) {
          for (const envId of envIds) {
            try {
              const r = await renderRequest(req, c, buildRenderContext(c, req.id, envId), hooks);
              assert.match(r.url, /^https?:\/\//);
              assert.doesNotMatch(r.url, /\{\{|\{%/);
              rendered++;
            } catch (err) {
              if (!(err instanceof HttpError)) throw err;
              assert.ok(['TemplateError', 'FileError', 'InvalidUrl', 'AuthError'].includes(err.code), `${root} ${req.name}: ${err.code} ${err.message}`);
              assert.ok(err.message.length > 10);
              failed++;
            }
          }
        }
      }
    }
    assert.ok(rendered >= 10, `rendered ${rendered}, failed ${failed}`);
  });
});
