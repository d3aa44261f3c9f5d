// The URL field's hover: the URL rendered with the active sub-environment, enabled parameters applied.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { HttpRequest } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { previewUrl } from '../../../src/webviews/previewUrl';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

describe('previewUrl', () => {
  it('renders the URL with the active sub-environment and applies the enabled parameters', async () => {
    const snapshot = await loadWorkspace(path.join(FIXTURES, 'v5/kong-example'));
    const c = snapshot.collections.find((x) => path.basename(x.source.file) === 'everything.yaml');
    assert.ok(c?.baseEnvironment);
    const req = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === 'subscribe');
    assert.ok(req);
    const sub = c.baseEnvironment.subEnvironments.find((e) => e.data.base_url !== undefined);
    assert.ok(sub, 'a sub-environment defines base_url');
    const url = await previewUrl(c, req, sub.id);
    assert.equal(url, `http://${String(sub.data.base_url)}/user/subscribe?isTrue=true&isFalse=false`);
    const withDisabled = { ...req, parameters: req.parameters.map((p, i) => (i === 0 ? { ...p, disabled: true } : p)) };
    assert.equal(await previewUrl(c, withDisabled, sub.id), `http://${String(sub.data.base_url)}/user/subscribe?isFalse=false`);
    await assert.rejects(previewUrl(c, { ...req, url: '{{ _.nope }}/x' }, sub.id), /nope/);
  });
});
