// The HTTP engine's bundle is required on the extension host's thread when the first request editor opens: undici,
// httpsnippet and tough-cookie (half or more of that load's time: mime-db's table, form-data, tldts's suffix list)
// are required on first use instead (src/http/lazyDeps.ts). Checked in a fresh process, where nothing else has
// loaded them: the engine loads without them, what the request editor asks of it works without them, and a Send
// and a cURL bring them in.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function loadedAfter(script: string): string[] {
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as string[];
}

const report = `console.log(JSON.stringify([...new Set(Object.keys(require.cache).map((k) => /node_modules[\\\\/](undici|httpsnippet|tough-cookie)[\\\\/]/.exec(k)?.[1]).filter(Boolean))].sort()))`;

describe('http engine: heavy dependencies on first use', function () {
  this.timeout(120_000);

  it('loading the engine and rendering a request (what the request editor does) loads none of undici, httpsnippet, tough-cookie', () => {
    const loaded = loadedAfter(`
      const http = require('./src/http');
      const ctx = http.buildRenderContext({ id: 'wrk_1', name: 'c', children: [], environments: [] }, 'req_1', { base: { a: 1 } });
      void ctx;
      http.renderTemplate('x {{ a }}', { a: 1 }).then(() => { ${report} });
    `);
    assert.deepEqual(loaded, []);
  });

  it('a cURL and a cookie jar bring them in (the send path still finds them)', () => {
    const loaded = loadedAfter(`
      const http = require('./src/http');
      http.toCurl({ method: 'GET', url: 'http://127.0.0.1:9/x', headers: [], body: undefined, settings: {} });
      http.loadJar(undefined).then(() => { require('./src/http/lazyDeps').undici(); ${report} });
    `);
    assert.deepEqual(loaded, ['httpsnippet', 'tough-cookie', 'undici']);
  });
});
