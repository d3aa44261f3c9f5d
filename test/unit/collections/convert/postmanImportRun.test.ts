// Postman scripts through `hammock import` and `hammock run`: the repository's Postman fixtures written as a v5 file
// and as a legacy `.insomnia/` folder keep every script on the item that had it, Insomnia's reader accepts what was
// written (the conformance checker), and a translated collection runs in Hammock's sandbox against the loopback
// test server: its tests pass and the variable its script set reaches the next request.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main, type CliIo } from '../../../../src/cli';
import { INSOMNIA_SCRIPT_MEMBERS } from '../../../../src/collections/convert/postmanScripts';
import { checkInsomniaFolder, formatIssue } from '../../../../src/collections/formats/conformance';
import type { Collection, Item } from '../../../../src/collections/model';
import { loadWorkspace } from '../../../../src/collections/scan';
import { closeConnections, RunSession, ScriptSandbox, sendRequest } from '../../../../src/http';
import { startTestServer, type TestServer } from '../../../support/httpServer';
import { sandboxDir } from '../../../support/sandbox';
import { collection, request } from '../../http/modelBuilders';
import { fixturePath } from './importFixtures';

const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** `hammock import FILE DIR --format F` into a fresh folder: the folder, the one collection read back, the output. */
async function importInto(file: string, format: 'v5' | 'legacy'): Promise<{ dir: string; c: Collection; stdout: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), `hammock-pm-${format}-`));
  const r = await cli(['import', file, dir, '--format', format], dir);
  assert.equal(r.code, 0, r.stderr);
  const issues = checkInsomniaFolder(dir).issues;
  assert.deepEqual(issues.map(formatIssue), [], `Insomnia's reader accepts the ${format} files of ${path.basename(file)}`);
  const { collections } = await loadWorkspace(dir);
  assert.equal(collections.length, 1);
  return { dir, c: collections[0], stdout: r.stdout };
}

type PostmanItem = { name?: string; item?: PostmanItem[]; event?: { listen: string; disabled?: boolean; script?: { exec?: string[] | string } }[] };

/** Which scripts each Postman item has (by its path of names): what the written collection must hold, and where. */
function postmanScripts(doc: PostmanItem): Map<string, { pre: boolean; test: boolean }> {
  const out = new Map<string, { pre: boolean; test: boolean }>();
  const has = (item: PostmanItem, listen: string) =>
    (item.event ?? []).some((e) => e.listen === listen && !e.disabled && [e.script?.exec ?? ''].flat().join('\n').trim() !== '');
  const walk = (items: PostmanItem[], prefix: string) => {
    for (const item of items) {
      const p = `${prefix}${item.name}`;
      out.set(p, { pre: has(item, 'prerequest'), test: has(item, 'test') });
      if (item.item) walk(item.item, `${p}/`);
    }
  };
  walk(doc.item ?? [], '');
  return out;
}

function itemsByPath(c: Collection): Map<string, Item> {
  const out = new Map<string, Item>();
  const walk = (items: readonly Item[], prefix: string) => {
    for (const item of items) {
      out.set(`${prefix}${item.name}`, item);
      if (item.kind === 'folder') walk(item.children, `${prefix}${item.name}/`);
    }
  };
  walk(c.children, '');
  return out;
}

describe('Postman scripts through hammock import (v5 and legacy) and hammock run', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const fixture of ['realworld-conduit.postman_collection.v2.1.json', 'httpiness-conversion-test.postman_collection.v2.1.json', 'argos-api.postman_collection.v2.0.json']) {
    for (const format of ['v5', 'legacy'] as const) {
      it(`${fixture} as ${format}: Insomnia reads it; every script is on the item that had it, translated`, async () => {
        const file = fixturePath(`import/postman/${fixture}`);
        const { dir, c } = await importInto(file, format);
        dirs.push(dir);
        assert.equal(c.format, format);
        const expected = postmanScripts(JSON.parse(readFileSync(file, 'utf8')) as PostmanItem);
        const written = itemsByPath(c);
        assert.deepEqual([...written.keys()].sort(), [...expected.keys()].sort(), 'no folder added: none of these collections has scripts of its own');
        let scripts = 0;
        for (const [p, want] of expected) {
          const item = written.get(p);
          assert.ok(item && (item.kind === 'folder' || item.kind === 'request'), p);
          assert.equal(item.scripts.preRequest !== '', want.pre, `${p}: pre-request script`);
          assert.equal(item.scripts.afterResponse !== '', want.test, `${p}: after-response script`);
          for (const s of [item.scripts.preRequest, item.scripts.afterResponse]) if (s) assert.doesNotMatch(s, /(?<![\w$.\-"'])(pm\.|responseBody\b)/, p);
          scripts += Number(want.pre) + Number(want.test);
        }
        assert.equal(scripts, fixture.startsWith('realworld') ? 30 : 0);
      });
    }
  }

  for (const format of ['v5', 'legacy'] as const) {
    it(`collection and folder scripts as ${format}: on the folders Insomnia runs them from, under the keys its reader takes`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'hammock-pm-src-'));
      dirs.push(dir);
      const file = path.join(dir, 'scripts.postman_collection.json');
      const event = (listen: string, line: string) => ({ listen, script: { type: 'text/javascript', exec: [line] } });
      writeFileSync(
        file,
        JSON.stringify({
          info: { name: 'Scripted', schema: V21 },
          event: [event('prerequest', "pm.environment.set('c', 1);"), event('test', "pm.test('c', () => {});")],
          item: [{ name: 'F', event: [event('prerequest', "pm.environment.set('f', 1);")], item: [{ name: 'r', event: [event('test', "tests['r'] = true;")], request: 'https://x.test/' }] }],
        }),
      );
      const { dir: out, c, stdout } = await importInto(file, format);
      dirs.push(out);
      assert.match(stdout, /warning: 4 script\(s\) translated from Postman's API to Insomnia's .*: 2 pre-request, 2 test \(now after-response\)\n/);
      assert.doesNotMatch(stdout, /dropped:/);
      const holder = c.children[0];
      assert.ok(holder.kind === 'folder' && holder.name === 'Scripted' && c.children.length === 1);
      assert.deepEqual(holder.scripts, { preRequest: "insomnia.environment.set('c', 1);", afterResponse: "insomnia.test('c', () => {});" });
      const f = holder.children[0];
      assert.ok(f.kind === 'folder');
      assert.deepEqual(f.scripts, { preRequest: "insomnia.environment.set('f', 1);", afterResponse: '' });
      const r = f.children[0];
      assert.ok(r.kind === 'request');
      assert.equal(r.scripts.afterResponse, "insomnia.test('r', () => { insomnia.expect(true).to.be.true; });");
      // the written text: v5 `scripts: {preRequest, afterResponse}` on the folder entries, legacy RequestGroup fields
      if (format === 'v5') {
        const text = readFileSync(c.path, 'utf8');
        assert.match(text, /\n {2}- name: Scripted\n(?: {4}.*\n)*? {4}scripts:\n {6}preRequest: insomnia\.environment\.set\('c', 1\);\n {6}afterResponse: insomnia\.test\('c', \(\) => \{\}\);\n/);
      } else {
        const groups = path.join(c.path, 'RequestGroup');
        const texts = readdirSync(groups).map((n) => readFileSync(path.join(groups, n), 'utf8'));
        assert.ok(texts.some((t) => /^name: Scripted$/m.test(t) && /^preRequestScript: insomnia\.environment\.set\('c', 1\);$/m.test(t) && /^afterResponseScript: insomnia\.test\('c', \(\) => \{\}\);$/m.test(t)), texts.join('\n---\n'));
        assert.ok(texts.some((t) => /^name: F$/m.test(t) && /^preRequestScript: insomnia\.environment\.set\('f', 1\);$/m.test(t)));
      }
    });
  }

  describe('a translated collection run by hammock run against the loopback server', () => {
    let server: TestServer;
    before(async () => {
      await sandboxDir();
      server = await startTestServer();
    });
    after(async () => {
      await closeConnections();
      await server.close();
    });

    const loginFlow = {
      info: { name: 'Login flow', schema: V21 },
      variable: [{ key: 'base_url', value: 'http://example.invalid' }],
      event: [{ listen: 'prerequest', script: { exec: ["pm.environment.set('started', 'yes');"] } }],
      item: [
        {
          name: 'Login',
          request: {
            method: 'POST',
            url: '{{base_url}}/token',
            body: { mode: 'urlencoded', urlencoded: [{ key: 'grant_type', value: 'client_credentials' }, { key: 'client_id', value: 'client' }, { key: 'client_secret', value: 'secret' }] },
          },
          event: [
            {
              listen: 'test',
              script: {
                exec: [
                  "pm.environment.set('token', pm.response.json().access_token);",
                  "pm.test('logged in', function () { pm.response.to.have.status(200); });",
                  "tests['legacy: the token is in the body'] = JSON.parse(responseBody).access_token === 'cc-token';",
                ],
              },
            },
          ],
        },
        {
          name: 'Users',
          item: [
            {
              name: 'Me',
              request: { method: 'GET', url: '{{base_url}}/echo/me', header: [{ key: 'Authorization', value: 'Bearer {{token}}' }] },
              event: [
                { listen: 'prerequest', script: { exec: ["console.log('token is ' + postman.getEnvironmentVariable('token'));"] } },
                {
                  listen: 'test',
                  script: {
                    exec: [
                      "pm.test('the token was sent', () => pm.expect(pm.response.json().headers.authorization).to.equal('Bearer cc-token'));",
                      "pm.test('the collection script ran first', () => pm.expect(environment.started).to.equal('yes'));",
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };

    for (const format of ['v5', 'legacy'] as const) {
      it(`as ${format}: every test passes, the token a script set is sent by the next request`, async () => {
        const src = mkdtempSync(path.join(tmpdir(), 'hammock-pm-flow-'));
        dirs.push(src);
        const file = path.join(src, 'login.postman_collection.json');
        writeFileSync(file, JSON.stringify(loginFlow));
        const { dir } = await importInto(file, format);
        dirs.push(dir);
        const r = await cli(['run', dir, '--reporter', 'json'], dir, { HAMMOCK_ENV_base_url: server.httpUrl });
        const report = JSON.parse(r.stdout) as {
          requests: { name: string; status?: number; error?: unknown; tests: { name: string; status: string; message?: string }[]; console: { text: string }[] }[];
          totals: { tests: number; passed: number; failed: number };
        };
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(
          report.requests.map((q) => [q.name, q.status, q.tests.map((t) => `${t.status} ${t.name}${t.message ? `: ${t.message}` : ''}`)]),
          [
            ['Login', 200, ['passed logged in', 'passed legacy: the token is in the body']],
            ['Me', 200, ['passed the token was sent', 'passed the collection script ran first']],
          ],
        );
        assert.deepEqual([report.totals.tests, report.totals.passed, report.totals.failed], [4, 4, 0]);
        // the script logged the token; the report masks it, as a credential the request sent
        assert.ok(report.requests[1].console.some((l) => l.text === 'token is ••••••'), JSON.stringify(report.requests[1].console));
        assert.ok(!r.stdout.includes('cc-token'), r.stdout);
      });
    }

    it('the insomnia.* members the translation counts on are the ones Hammock`s sandbox gives a script', async () => {
      const sandbox = new ScriptSandbox({ timeoutMs: 5000 });
      try {
        const req = request('req_1', {
          name: 'Members',
          url: `${server.httpUrl}/echo`,
          scripts: { preRequest: '', afterResponse: 'console.log(JSON.stringify(Object.keys(insomnia).filter((k) => insomnia[k] !== undefined)));' },
        });
        const session = new RunSession(collection([req]), undefined, { sandbox, send: (rendered) => sendRequest(rendered, { followRedirects: true, rejectUnauthorized: true }) });
        const run = await session.runRequest(req);
        assert.equal(run.error, undefined, JSON.stringify(run.error));
        const line = run.console.find((l) => l.text.startsWith('['));
        assert.ok(line, JSON.stringify(run.console));
        assert.deepEqual((JSON.parse(line.text) as string[]).sort(), [...INSOMNIA_SCRIPT_MEMBERS].sort());
      } finally {
        await sandbox.dispose();
      }
    });
  });
});
