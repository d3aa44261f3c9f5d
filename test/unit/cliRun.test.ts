// `hammock run`, `hammock test` and `hammock diff --breaking`: in process through main(), on a generated git history
// of a v5 collection whose requests go to a loopback server; JUnit output checked against the JUnit schema CI
// reporters validate with (test/fixtures/junit/junit-10.xsd); one end-to-end run of the built bundle.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { main, type CliIo } from '../../src/cli';
import { parseEnvFile, parseRunArgs } from '../../src/cli/run';
import { closeConnections } from '../../src/http';
import { startTestServer, type TestServer } from '../support/httpServer';
import { sandboxDir } from '../support/sandbox';
import { buildDistOnce } from '../support/buildDist';
import { commitAll, gitRepo } from './collections/generatedHistory';

const ROOT = path.resolve(__dirname, '../..');
const XSD = readFileSync(path.join(ROOT, 'test/fixtures/junit/junit-10.xsd'), 'utf8');

async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

async function assertJunitValid(text: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: text }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
  assert.equal(result.valid, true, `${result.errors.map((e) => e.rawMessage).join('\n')}\n${text}`);
}

interface Req {
  id: string;
  name: string;
  url: string;
  method?: string;
  after?: string;
  pre?: string;
  headers?: { name: string; value: string }[];
  body?: string;
}

/** A v5 collection: folder "Users" (with a header) holding some requests, others at the top. */
function v5(top: Req[], users: Req[], folderHeader = 'one'): string {
  const item = (r: Req, i: number) => {
    const lines = [
      `  - url: "${r.url}"`,
      `    name: ${JSON.stringify(r.name)}`,
      `    meta:`,
      `      id: ${r.id}`,
      `      created: 1`,
      `      modified: 1`,
      `      isPrivate: false`,
      `      sortKey: ${i}`,
      `    method: ${r.method ?? 'GET'}`,
    ];
    if (r.body) lines.push(`    body:`, `      mimeType: application/json`, `      text: ${JSON.stringify(r.body)}`);
    if (r.headers?.length) lines.push(`    headers:`, ...r.headers.flatMap((h) => [`      - name: ${h.name}`, `        value: ${JSON.stringify(h.value)}`]));
    if (r.pre || r.after) lines.push(`    scripts:`, ...(r.pre ? [`      preRequest: ${JSON.stringify(r.pre)}`] : []), ...(r.after ? [`      afterResponse: ${JSON.stringify(r.after)}`] : []));
    return lines.join('\n');
  };
  const indent = (s: string) => s.split('\n').map((l) => `    ${l}`).join('\n');
  return [
    'type: collection.insomnia.rest/5.0',
    'schema_version: "5.1"',
    'name: Shop',
    'meta:',
    '  id: wrk_0000000000000000000000000000shop',
    '  created: 1',
    '  modified: 1',
    'collection:',
    ...top.map(item),
    '  - name: Users',
    '    meta:',
    '      id: fld_users',
    '      created: 1',
    '      modified: 1',
    '      sortKey: 100',
    '    children:',
    ...users.map((r, i) => indent(item(r, i))),
    '    headers:',
    '      - name: X-Folder',
    `        value: ${folderHeader}`,
    'environments:',
    '  name: Base Environment',
    '  meta:',
    '    id: env_0000000000000000000000000000shop',
    '    created: 1',
    '    modified: 1',
    '    isPrivate: false',
    '  data:',
    '    base_url: http://example.invalid',
    '  subEnvironments:',
    '    - name: Staging',
    '      meta:',
    '        id: env_staging',
    '        created: 1',
    '        modified: 1',
    '        isPrivate: false',
    '        sortKey: 1',
    '      data:',
    '        stage: staging',
    '',
  ].join('\n');
}

const ok = (name: string) => `insomnia.test(${JSON.stringify(name)}, () => insomnia.expect(insomnia.response.code).to.equal(200));`;

describe('hammock run / test / diff --breaking', function () {
  this.timeout(120_000);
  let server: TestServer;
  let repo: string;
  let env: NodeJS.ProcessEnv;

  const first = () =>
    v5(
      [
        { id: 'req_login', name: 'Login', url: '{{ _.base_url }}/echo', method: 'POST', body: '{"user": "ada", "password": "x"}', after: `${ok('logged in')} insomnia.environment.set('token', 'tok-' + insomnia.response.json().method);` },
        { id: 'req_health', name: 'Health', url: '{{ _.base_url }}/status/200', after: ok('up') },
        { id: 'req_gone', name: 'Gone soon', url: '{{ _.base_url }}/echo' },
      ],
      [
        { id: 'req_list', name: 'List users', url: '{{ _.base_url }}/echo?page=1', headers: [{ name: 'Authorization', value: 'Bearer {{ _.token }}' }], after: `${ok('listed')} insomnia.test('token sent', () => insomnia.expect(insomnia.response.json().headers.authorization).to.equal('Bearer tok-POST'));` },
        { id: 'req_get', name: 'Get user', url: '{{ _.base_url }}/echo/1', after: ok('got') },
      ],
    );

  before(async () => {
    await sandboxDir();
    server = await startTestServer();
    env = { HAMMOCK_ENV_base_url: server.httpUrl };
    repo = gitRepo();
    writeFileSync(path.join(repo, 'shop.yaml'), first());
    commitAll(repo, 'first');
    execFileSync('git', ['tag', 'v1'], { cwd: repo });
    // the second commit: Get user's URL changes, a request is added, one removed, Health untouched
    writeFileSync(
      path.join(repo, 'shop.yaml'),
      v5(
        [
          { id: 'req_login', name: 'Login', url: '{{ _.base_url }}/echo', method: 'POST', body: '{"user": "ada", "password": "x"}', after: `${ok('logged in')} insomnia.environment.set('token', 'tok-' + insomnia.response.json().method);` },
          { id: 'req_health', name: 'Health', url: '{{ _.base_url }}/status/200', after: ok('up') },
        ],
        [
          { id: 'req_list', name: 'List users', url: '{{ _.base_url }}/echo?page=1', headers: [{ name: 'Authorization', value: 'Bearer {{ _.token }}' }], after: `${ok('listed')} insomnia.test('token sent', () => insomnia.expect(insomnia.response.json().headers.authorization).to.equal('Bearer tok-POST'));` },
          { id: 'req_get', name: 'Get user', url: '{{ _.base_url }}/echo/users/1', after: ok('got') },
          { id: 'req_new', name: 'Teapot', url: '{{ _.base_url }}/status/418', after: ok('is 200') },
        ],
      ),
    );
    commitAll(repo, 'second');
  });

  after(async () => {
    await closeConnections();
    await server.close();
    rmSync(repo, { recursive: true, force: true });
  });

  it('runs every request in collection order with scripts and tests; the token of Login reaches List users; exit 1 on a failed test', async () => {
    const file = readFileSync(path.join(repo, 'shop.yaml'), 'utf8');
    const r = await run(['run', '--env', 'Staging'], repo, env);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.filter((l) => /^ {2}[✓✗-] /.test(l)).map((l) => l.replace(/\s+\d+(\.\d+)? m?s$/, '')), [
      '  ✓ POST Login  200 OK',
      '  ✓ GET Health  200 OK',
      '  ✓ GET Users / List users  200 OK',
      '  ✓ GET Users / Get user  200 OK',
      '  ✗ GET Users / Teapot  418 I\'m a Teapot',
    ]);
    assert.ok(r.stdout.includes('      ✗ is 200: expected 418 to equal 200'), r.stdout);
    assert.match(r.stdout, /\n5 requests, 6 tests in (\d+ ms|\d+\.\d\d s)\n5 passed, 1 failed\n$/); // seconds past 1 s (a busy machine)
    assert.equal(readFileSync(path.join(repo, 'shop.yaml'), 'utf8'), file, 'nothing written to the repository');
  });

  it('without the secret from the environment, the requests cannot be sent (exit 1, each says why)', async () => {
    const r = await run(['run'], repo, {});
    assert.equal(r.code, 1);
    assert.match(r.stdout, /send: .*example\.invalid/);
  });

  it('secrets stay out of every reporter and of --out: a private environment, a secret-looking outside variable, an Authorization header', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-secrets-'));
    try {
      // Prod is private; HAMMOCK_ENV_password comes from CI; the scripts log and compare them; the URL carries the key
      const privateEnv = v5(
        [{ id: 'req_me', name: 'Me', url: '{{ _.base_url }}/echo?key={{ _.apikey }}&pw={{ _.password }}', headers: [{ name: 'Authorization', value: 'Bearer {{ _.token }}' }], pre: "console.log('sending', insomnia.environment.get('token'))", after: "insomnia.test('sent', () => insomnia.expect(insomnia.response.json().headers.authorization).to.equal('none')); insomnia.test('long', () => insomnia.expect(insomnia.environment.get('longkey')).to.equal('none'));" }],
        [],
      ).replace("        isPrivate: false\n        sortKey: 1\n      data:\n        stage: staging", '        isPrivate: true\n        sortKey: 1\n      data:\n        token: prod-bearer-0001\n        apikey: prod-key-0002\n        longkey: prod-long-0006-abcdefghijklmnopqrstuvwxyz-0123456789');
      assert.ok(privateEnv.includes('prod-key-0002'));
      writeFileSync(path.join(dir, 'shop.yaml'), privateEnv);
      const outside = { ...env, HAMMOCK_ENV_password: 'ci-pass-0003' };
      for (const reporter of ['text', 'junit', 'json']) {
        const out = path.join(dir, `report.${reporter}`);
        const r = await run(['run', '--env', 'Staging', '--reporter', reporter, '--out', out], dir, outside);
        assert.equal(r.code, 1, r.stderr);
        const all = `${r.stdout}${r.stderr}${readFileSync(out, 'utf8')}`;
        assert.match(all, /sent/);
        // (prod-long-0006-...: chai cuts it short in the 'long' test's message, which holds no whole secret but most of one)
        for (const secret of ['prod-bearer-0001', 'prod-key-0002', 'ci-pass-0003', 'prod-long-0006']) assert.ok(!all.includes(secret), `${reporter}: ${secret} in\n${all}`);
        assert.match(all, /expected '••••••' to equal 'none'/);
        assert.ok(all.includes('••••••'), all);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('secret-named variables whose template reads a global a script set, or whose value is a tag, are masked in every reporter, as the Send rendered them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-globals-'));
    try {
      // the pre-request script sets a global; api_token renders through it; the test's failure message echoes it
      const text = v5(
        [{ id: 'req_key', name: 'Key', url: '{{ _.base_url }}/echo', headers: [{ name: 'X-Api-Key', value: '{{ _.api_token }}' }, { name: 'X-Sig', value: '{{ _.api_secret }}' }], pre: "insomnia.globals.set('g_tok', 'glob-secret-0004');", after: "insomnia.test('key', () => insomnia.expect(insomnia.response.json().headers['x-api-key']).to.equal('nope')); insomnia.test('sig', () => insomnia.expect(insomnia.response.json().headers['x-sig']).to.equal('nope'));" }],
        [],
      ).replace('    base_url: http://example.invalid', '    base_url: http://example.invalid\n    api_token: "{{ _.g_tok }}"\n    api_secret: "{% base64 \'encode\', \'normal\', \'tag-secret-0005\' %}"');
      assert.ok(text.includes('api_token'));
      writeFileSync(path.join(dir, 'shop.yaml'), text);
      for (const reporter of ['text', 'junit', 'json']) {
        const r = await run(['run', '--reporter', reporter], dir, env);
        assert.equal(r.code, 1, r.stderr);
        const all = `${r.stdout}${r.stderr}`;
        assert.match(all, /key/);
        assert.ok(!all.includes('glob-secret-0004'), `${reporter}: the global's value in\n${all}`);
        assert.ok(!all.includes(Buffer.from('tag-secret-0005').toString('base64')), `${reporter}: the tag's value in\n${all}`);
        assert.ok(all.includes('••••••'), all);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--env-file gives the variables too; HAMMOCK_ENV_ wins over it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-envfile-'));
    try {
      writeFileSync(path.join(dir, 'ci.env'), `# CI secrets\nbase_url=http://example.invalid\nexport HAMMOCK_ENV_other="a b"\n`);
      assert.deepEqual(parseEnvFile(readFileSync(path.join(dir, 'ci.env'), 'utf8')), { base_url: 'http://example.invalid', other: 'a b' });
      writeFileSync(path.join(dir, 'ok.env'), `base_url=${server.httpUrl}\n`);
      const r = await run(['run', '--env-file', path.join(dir, 'ok.env'), '--folder', 'Users'], repo, {});
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /GET Users \/ Get user {2}200 OK/);
      const wins = await run(['run', '--env-file', path.join(dir, 'ci.env'), '--folder', 'Users'], repo, env);
      assert.match(wins.stdout, /GET Users \/ Get user {2}200 OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--vars-file through the real bin (npm\'s bin link, run by its shebang, and node dist/cli.js): Node never takes it, as it takes --env-file', async function () {
    this.timeout(120_000);
    buildDistOnce();
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-varsfile-'));
    try {
      // an npm install's bin: node_modules/.bin/hammock links to the package's dist/cli.js (npm makes it executable)
      const pkg = path.join(dir, 'node_modules', 'hammock');
      cpSync(path.join(ROOT, 'dist'), path.join(pkg, 'dist'), { recursive: true });
      chmodSync(path.join(pkg, 'dist', 'cli.js'), 0o755);
      mkdirSync(path.join(dir, 'node_modules', '.bin'));
      symlinkSync(path.join('..', 'hammock', 'dist', 'cli.js'), path.join(dir, 'node_modules', '.bin', 'hammock'));
      writeFileSync(path.join(dir, 'ok.env'), `base_url=${server.httpUrl}\n`);
      const spawn = (file: string, args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          // the shebang's `env node` finds this node first; not spawnSync: the loopback server answers from this process
          const pathVar = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
          const child = execFile(file, args, { cwd: dir, env: { ...process.env, PATH: pathVar, HAMMOCK_SANDBOX_DIR: '' }, encoding: 'utf8', timeout: 60_000 }, (_e, stdout, stderr) =>
            resolve({ code: child.exitCode, stdout, stderr }),
          );
        });
      const bins: [string, string[]][] = [
        [path.join(dir, 'node_modules', '.bin', 'hammock'), []],
        [process.execPath, [path.join(pkg, 'dist', 'cli.js')]],
      ];
      for (const [file, pre] of bins) {
        for (const option of ['--vars-file', '--env-file']) {
          const r = await spawn(file, [...pre, 'run', repo, option, 'ok.env', '--folder', 'Users', '--reporter', 'json']);
          assert.equal(r.code, 1, `${file} ${option}: ${r.stderr}`);
          const out = JSON.parse(r.stdout) as { requests: { name: string; status?: number }[] };
          assert.deepEqual(out.requests.map((q) => [q.name, q.status]), [['List users', undefined], ['Get user', 200], ['Teapot', 418]], `${file} ${option}`);
        }
        // a file that is not there: Hammock says so (Node would stop first with `node: missing.env: not found`, exit 9,
        // given --env-file: nodejs/node#54232)
        const missing = await spawn(file, [...pre, 'run', repo, '--vars-file', 'missing.env']);
        assert.equal(missing.code, 1, missing.stderr);
        assert.match(missing.stderr, /--vars-file missing\.env: cannot read it/);
      }
      const help = await spawn(bins[0][0], ['--help']);
      assert.match(help.stdout, /--vars-file FILE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--changed REF: only what the working tree changed against REF, as hammock diff lists it', async () => {
    const r = await run(['run', '--changed', 'v1', '--reporter', 'json'], repo, env);
    const out = JSON.parse(r.stdout) as { requests: { name: string }[] };
    assert.deepEqual(out.requests.map((q) => q.name), ['Get user', 'Teapot']);
    // nothing changed against HEAD: nothing to run (exit 0)
    const none = await run(['run', '--changed', 'HEAD'], repo, env);
    assert.equal(none.code, 0, none.stdout + none.stderr);
    assert.match(none.stdout, /0 requests, 0 tests/);
    // an uncommitted change of the folder's headers: every request inside it runs
    const file = path.join(repo, 'shop.yaml');
    const committed = readFileSync(file, 'utf8');
    writeFileSync(file, committed.replace('value: one', 'value: two'));
    try {
      const folder = JSON.parse((await run(['run', '--changed', 'HEAD', '--reporter', 'json'], repo, env)).stdout) as { requests: { name: string }[] };
      assert.deepEqual(folder.requests.map((q) => q.name), ['List users', 'Get user', 'Teapot']);
    } finally {
      writeFileSync(file, committed);
    }
  });

  it('--changed REF reads from git only the files the working tree changed (as hammock diff REF)', async () => {
    const r2 = gitRepo();
    try {
      writeFileSync(path.join(r2, 'shop.yaml'), first());
      // a second collection nobody touches: its blob at HEAD is never needed
      writeFileSync(path.join(r2, 'other.yaml'), first().replace(/wrk_[0-9a-z_]+/g, 'wrk_other').replace(/req_/g, 'req_other_'));
      commitAll(r2, 'first');
      const oid = execFileSync('git', ['rev-parse', 'HEAD:other.yaml'], { cwd: r2, encoding: 'utf8' }).trim();
      rmSync(path.join(r2, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
      writeFileSync(path.join(r2, 'shop.yaml'), first().replace('/status/200', '/status/201'));
      const r = await run(['run', '--changed', 'HEAD', '--reporter', 'json'], r2, env);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as { requests: { name: string; status?: number }[] };
      assert.deepEqual(out.requests.map((q) => [q.name, q.status]), [['Health', 201]]);
    } finally {
      rmSync(r2, { recursive: true, force: true });
    }
  });

  it('--changed REF..REF2 with --reporter junit: valid against the JUnit schema, failures and errors where they belong', async () => {
    const r = await run(['run', '--changed', 'v1..main', '--reporter', 'junit'], repo, env);
    assert.equal(r.code, 1);
    await assertJunitValid(r.stdout);
    assert.match(r.stdout, /<testsuite name="Users \/ Get user" [^>]*tests="1" failures="0" errors="0"/);
    assert.match(r.stdout, /<testsuite name="Users \/ Teapot" [^>]*tests="1" failures="1"/);
    assert.match(r.stdout, /<failure message="expected 418 to equal 200" type="AssertionError">/);
    // a request that cannot be sent is an error; text with XML characters is escaped
    const broken = await run(['run', '--folder', 'Users', '--reporter', 'junit'], repo, {});
    await assertJunitValid(broken.stdout);
    assert.match(broken.stdout, /<error message="send: /);
  });

  it('--changed BASE...HEAD: what HEAD changed since it left BASE (their merge base), as git diff BASE...HEAD', async () => {
    // a branch from v1 that changes Health: main never had that change
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, encoding: 'utf8' });
    const shop = path.join(repo, 'shop.yaml');
    git('checkout', '-q', '-b', 'side', 'v1');
    try {
      writeFileSync(shop, readFileSync(shop, 'utf8').replace('/status/200', '/status/201'));
      commitAll(repo, 'side');
    } finally {
      git('checkout', '-q', 'main');
    }
    const names = async (changed: string) => {
      const r = await run(['run', '--changed', changed, '--reporter', 'json'], repo, env);
      assert.equal(r.stderr, '');
      return (JSON.parse(r.stdout) as { requests: { name: string }[] }).requests.map((q) => q.name);
    };
    // two dots: main's tree against side's, so Health (changed on side) runs too
    assert.deepEqual(await names('side..main'), ['Health', 'Get user', 'Teapot']);
    // three dots: only what main did since the merge base (v1)
    assert.deepEqual(await names('side...main'), ['Get user', 'Teapot']);
    // REF... and REF.. end at HEAD, as in git
    assert.deepEqual(await names('side...'), ['Get user', 'Teapot']);
    assert.deepEqual(await names('v1..'), ['Get user', 'Teapot']);
    // no common history (a shallow clone, the wrong ref): a setup error, exit 2 as a wrong option, not the 1 of a
    // failing test, and nothing is sent
    git('checkout', '-q', '--orphan', 'alone');
    try {
      commitAll(repo, 'alone');
    } finally {
      git('checkout', '-q', '-f', 'main');
    }
    try {
      const none = await run(['run', '--changed', 'alone...main'], repo, env);
      assert.equal(none.code, 2, none.stderr);
      assert.equal(none.stdout, '');
      assert.match(none.stderr, /^hammock run: --changed alone\.\.\.main: alone and main have no common history \(no merge base\)/);
      assert.match(none.stderr, /git fetch --unshallow/);
      assert.match(none.stderr, /the wrong ref/);
    } finally {
      git('branch', '-q', '-D', 'alone');
    }
  });

  it('a collection file that cannot be read is named, listed as not run, and fails the run: its requests never ran', async () => {
    const broken = path.join(repo, 'broken.yaml');
    const passing = ['run', '--collection', 'shop.yaml', '--folder', 'Users'];
    writeFileSync(broken, 'type: collection.insomnia.rest/5.0\nname: Broken\ncollection: [\n');
    try {
      const r = await run(['run', '--reporter', 'json'], repo, env);
      assert.match(r.stderr, /^hammock run: broken\.yaml:4:1: Invalid YAML[^\n]*; its requests are not run$/m);
      const out = JSON.parse(r.stdout) as { requests: { name: string }[]; notRun: { name: string; why: string }[] };
      assert.ok(out.requests.some((q) => q.name === 'Login'), 'the readable collection ran');
      assert.deepEqual(out.notRun.map((n) => n.name), ['broken.yaml']);
      assert.match(out.notRun[0].why, /^cannot be read: 4:1: Invalid YAML/);
      assert.equal(r.code, 1, 'a CI run must not pass when a collection was not read');
      // --changed against the working tree: the broken file is named too
      const changed = await run(['run', '--changed', 'HEAD'], repo, env);
      assert.match(changed.stderr, /^hammock run: broken\.yaml:4:1: /m);
      assert.equal(changed.code, 1);
      // --collection picks another one: the broken file is not that run's business
      const picked = await run(passing, repo, env);
      assert.equal(picked.stderr, '');
      assert.doesNotMatch(picked.stdout, /broken\.yaml/);
    } finally {
      rmSync(broken, { force: true });
    }
  });

  it('--bail stops at the first failure; --timeout limits each request', async () => {
    const bail = await run(['run', '--bail', '--reporter', 'json'], repo, {});
    const out = JSON.parse(bail.stdout) as { requests: unknown[]; notRun: { why: string }[] };
    assert.equal(out.requests.length, 1);
    assert.ok(out.notRun.length >= 4 && out.notRun.every((n) => n.why === '--bail after a failure'));
    // a server that does not answer: the request is not sent after --timeout, said so, and the run goes on
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-timeout-'));
    try {
      writeFileSync(path.join(dir, 'shop.yaml'), v5([{ id: 'req_slow', name: 'Slow', url: '{{ _.base_url }}/slow?ms=5000' }, { id: 'req_up', name: 'Up', url: '{{ _.base_url }}/status/200', after: ok('up') }], []));
      const started = performance.now();
      const slow = await run(['run', '--timeout', '300'], dir, env);
      assert.ok(performance.now() - started < 4000, 'the run did not wait for the server');
      assert.equal(slow.code, 1);
      assert.match(slow.stdout, /✗ GET Slow {2}not sent .*\n {6}✗ send: No complete response from http:\/\/127\.0\.0\.1:\d+\/slow\?ms=5000 within 300 ms/);
      assert.match(slow.stdout, /✓ GET Up {2}200 OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--out in a folder not made yet is written (as export --out); one that cannot be written is said, the report kept on stdout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-out-'));
    try {
      const out = path.join(dir, 'reports', 'ci', 'junit.xml');
      const r = await run(['run', '--folder', 'Users', '--reporter', 'junit', '--out', out], repo, env);
      assert.equal(r.code, 1, r.stderr);
      await assertJunitValid(readFileSync(out, 'utf8'));
      writeFileSync(path.join(dir, 'file'), '');
      const bad = await run(['run', '--folder', 'Users', '--reporter', 'junit', '--out', path.join(dir, 'file', 'junit.xml')], repo, env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^hammock run: --out .*file\/junit\.xml: cannot write it \((EEXIST|ENOTDIR)\); the report follows on stdout\n$/);
      await assertJunitValid(bad.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a request has 60 s by default (a hung server must not hold a CI job for ever); --timeout 0: no limit', () => {
    const options = (args: string[]) => parseRunArgs('run', args, { stdout: () => undefined, stderr: () => undefined, cwd: repo });
    assert.equal(options([]).timeoutMs, 60_000);
    assert.equal(options(['--timeout', '1500']).timeoutMs, 1500);
    assert.equal(options(['--timeout', '0']).timeoutMs, undefined);
    assert.throws(() => options(['--timeout', '-1']), /--timeout must be a number of milliseconds/);
  });

  describe('several collections', () => {
    let dir: string;
    // a second collection: no Users folder, no Staging environment, one request that fails its test
    const other = () =>
      v5([{ id: 'req_other_teapot', name: 'Teapot', url: '{{ _.base_url }}/status/418', after: ok('is 200') }], [])
        .replace(/wrk_0000000000000000000000000000shop/g, 'wrk_000000000000000000000000000other')
        .replace(/env_0000000000000000000000000000shop/g, 'env_000000000000000000000000000other')
        .replace('name: Shop', 'name: Other')
        .replace('  - name: Users', '  - name: Admins')
        .replace('fld_users', 'fld_admins')
        .replace('    - name: Staging', '    - name: Production')
        .replace('env_staging', 'env_production');
    const shop = () => v5([{ id: 'req_health', name: 'Health', url: '{{ _.base_url }}/status/200', after: ok('up') }], [{ id: 'req_get', name: 'Get user', url: '{{ _.base_url }}/echo/1', after: ok('got') }]);

    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'hammock-run-two-'));
      writeFileSync(path.join(dir, 'a-other.yaml'), other());
      writeFileSync(path.join(dir, 'b-shop.yaml'), shop());
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('--folder runs the folder where a collection has it; a collection without it is left out; a folder none has is an error', async () => {
      const r = await run(['run', '--folder', 'Users', '--reporter', 'json'], dir, env);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const out = JSON.parse(r.stdout) as { requests: { collection: string; name: string }[] };
      assert.deepEqual(out.requests.map((q) => `${q.collection} / ${q.name}`), ['Shop / Get user']);
      const none = await run(['run', '--folder', 'Nowhere'], dir, env);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no folder "Nowhere" in any of the 2 collections/);
      // with --collection, that collection must have it
      assert.match((await run(['run', '--collection', 'Other', '--folder', 'Users'], dir, env)).stderr, /no folder "Users" in Other/);
    });

    it('an environment one collection lacks stops the run before any request is sent', async () => {
      let received = 0;
      const counting = http.createServer((_req, res) => {
        received++;
        res.end('{}');
      });
      await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
      try {
        // Other (read first) has Production, Shop has not: not even Other's request goes out
        const r = await run(['run', '--env', 'Production'], dir, { HAMMOCK_ENV_base_url: `http://127.0.0.1:${(counting.address() as AddressInfo).port}` });
        assert.equal(r.code, 2, 'a usage error');
        assert.match(r.stderr, /no environment "Production" in Shop/);
        assert.equal(received, 0, 'nothing was sent');
      } finally {
        counting.close();
      }
    });

    it('--bail lists the requests of the later collections as not run', async () => {
      const r = await run(['run', '--bail', '--reporter', 'json'], dir, env);
      assert.equal(r.code, 1);
      const out = JSON.parse(r.stdout) as { requests: { name: string }[]; notRun: { name: string; why: string }[] };
      assert.deepEqual(out.requests.map((q) => q.name), ['Teapot']);
      assert.deepEqual(out.notRun, [{ name: 'Shop / Health', why: '--bail after a failure' }, { name: 'Shop / Get user', why: '--bail after a failure' }]);
      // in the JUnit report too, skipped with why (valid against the schema)
      const junit = await run(['run', '--bail', '--reporter', 'junit'], dir, env);
      await assertJunitValid(junit.stdout);
      assert.match(junit.stdout, /<testcase name="Shop \/ Health" classname="not run" time="0.000">\n\s+<skipped message="--bail after a failure"\/>/);
      assert.match(junit.stdout, /<testsuites name="hammock run" tests="3" /);
    });
  });

  it('usage errors exit 2 (an unknown --env or --changed ref among them, saying what there is); an unknown collection exits 1 with why', async () => {
    assert.equal((await run(['run', '--reporter', 'xml'], repo, env)).code, 2);
    assert.equal((await run(['run', '--timeout', 'soon'], repo, env)).code, 2);
    for (const range of ['..', '...', '..main', '...main']) {
      const r = await run(['run', '--changed', range], repo, env);
      assert.deepEqual([r.code, r.stderr.split('\n')[0]], [2, 'hammock run: --changed needs a ref (REF, REF..REF2 or REF...REF2)'], range);
    }
    const unknownEnv = await run(['run', '--env', 'Prod'], repo, env);
    assert.deepEqual([unknownEnv.code, unknownEnv.stdout], [2, '']);
    assert.equal(unknownEnv.stderr, 'hammock run: --env Prod: no environment "Prod" in Shop; its environments: "Base Environment", "Staging"\n');
    const unknownTestEnv = await run(['test', '--env', 'Prod'], repo, env);
    assert.deepEqual([unknownTestEnv.code, unknownTestEnv.stderr], [2, 'hammock test: --env Prod: no environment "Prod" in Shop; its environments: "Base Environment", "Staging"\n']);
    assert.match((await run(['run', '--collection', 'Nope'], repo, env)).stderr, /no collection "Nope"/);
    for (const [changed, ref] of [['nope', 'nope'], ['v1..nope', 'nope'], ['nope...main', 'nope']]) {
      const unknownRef = await run(['run', '--changed', changed], repo, env);
      assert.deepEqual([unknownRef.code, unknownRef.stdout], [2, ''], changed);
      assert.match(unknownRef.stderr, new RegExp(`^hammock run: --changed ${changed.replace(/\./g, '\\.')}: '${ref}' is not a branch, tag or commit in this repository: check its spelling, or fetch it`), changed);
    }
    // no repository at all
    const plain = mkdtempSync(path.join(tmpdir(), 'hammock-run-nogit-'));
    try {
      writeFileSync(path.join(plain, 'shop.yaml'), first());
      const noGit = await run(['run', '--changed', 'main'], plain, env);
      assert.equal(noGit.code, 2);
      assert.match(noGit.stderr, /--changed main: .* is not in a git repository/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('hammock test: Insomnia\'s unit tests of a legacy design document, JUnit valid', async () => {
    const fixture = path.join(ROOT, 'test/fixtures/legacy/inso-fixture-alphabetical');
    const r = await run(['test', fixture, '--reporter', 'junit'], ROOT, {});
    assert.equal(r.code, 1, r.stderr);
    await assertJunitValid(r.stdout);
    assert.match(r.stdout, /<failure message="expected true to not equal true \(line 1\)"/);
    const text = await run(['test', fixture, '--test-name-pattern', 'succeed'], ROOT, {});
    assert.equal(text.code, 0, text.stdout);
    assert.match(text.stdout, /1 passed, 0 failed/);
  });

  it('hammock test: a secret a unit test sees (a sent request\'s credentials, a CI variable) is masked in its report', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-test-secrets-'));
    try {
      cpSync(path.join(ROOT, 'test/fixtures/legacy/inso-fixture-alphabetical'), dir, { recursive: true });
      const req = path.join(dir, '.insomnia/Request/req_wrk_012d4860c7da418a85ffea7406e1292a21946b60.yml');
      writeFileSync(req, readFileSync(req, 'utf8').replace('url: "{{ base_url }}/global"', 'url: "{{ base_url }}/echo?pw={{ password }}"').replace('headers: []', 'headers:\n  - name: Authorization\n    value: Basic {{ basic }}'));
      const ut = path.join(dir, '.insomnia/UnitTest/ut_8c0c020fb9e341c2a3162e723445faf1.yml');
      writeFileSync(ut, readFileSync(ut, 'utf8').replace("code: expect(1+1).to.equal(2);", "code: \"const r = await insomnia.send('req_wrk_012d4860c7da418a85ffea7406e1292a21946b60'); const echo = JSON.parse(r.data); console.log(echo.headers.authorization); expect(echo.url).to.equal('nothing');\""));
      const vars = { ...env, HAMMOCK_ENV_password: 'ci-pass-0003', HAMMOCK_ENV_basic: 'dXNlcjpzM2NyM3Q=' };
      for (const reporter of ['text', 'junit', 'json']) {
        const r = await run(['test', dir, '--reporter', reporter], ROOT, vars);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stdout, /One plus one is two/);
        for (const secret of ['ci-pass-0003', 'dXNlcjpzM2NyM3Q=']) assert.ok(!r.stdout.includes(secret), `${reporter}: ${secret} in\n${r.stdout}`);
        assert.ok(r.stdout.includes('••••••'), r.stdout);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('diff --breaking: removed, renamed, method, path, header, parameter, body field and auth changes; exit 1', async () => {
    const dir = gitRepo();
    try {
      const before = v5(
        [
          { id: 'req_a', name: 'Create user', url: '{{ _.base_url }}/users', method: 'POST', body: '{"name": "{{ _.n }}", "email": "e", "address": {"city": "c"}}' },
          { id: 'req_b', name: 'Old name', url: '{{ _.base_url }}/b' },
          { id: 'req_c', name: 'Removed', url: '{{ _.base_url }}/c' },
          { id: 'req_d', name: 'Untouched', url: '{{ _.base_url }}/d' },
        ],
        [{ id: 'req_e', name: 'Get user', url: '{{ _.base_url }}/users/:id' }],
      );
      writeFileSync(path.join(dir, 'api.yaml'), before);
      commitAll(dir, 'first');
      const after = v5(
        [
          { id: 'req_a', name: 'Create user', url: '{{ _.base_url }}/users', method: 'PUT', body: '{"name": "{{ _.n }}"}' },
          { id: 'req_b', name: 'New name', url: '{{ _.base_url }}/b', headers: [{ name: 'X-Api-Key', value: '{{ _.key }}' }] },
          { id: 'req_d', name: 'Untouched', url: '{{ _.base_url }}/d' },
        ],
        [{ id: 'req_e', name: 'Get user', url: 'https://other.host/v2/users/:id' }],
      );
      writeFileSync(path.join(dir, 'api.yaml'), after);
      const r = await run(['diff', 'HEAD', '--breaking'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stdout,
        [
          'v5 collection "Shop" (api.yaml):',
          '  ! request "Create user": method changed from POST to PUT',
          '  ! request "Create user": body field email removed',
          '  ! request "Create user": body field address removed',
          '  ! request "Old name": renamed from "Old name" to "New name"',
          '  ! request "Old name": header X-Api-Key added',
          '  ! request "Removed": removed',
          '  ! request "Users/Get user": path changed from /users/:id to /v2/users/:id',
          '7 breaking changes',
          '',
        ].join('\n'),
      );
      commitAll(dir, 'second');
      const json = JSON.parse((await run(['diff', 'HEAD~1', 'HEAD', '--breaking', '--json'], dir)).stdout) as { breaking: { kind: string }[] };
      assert.deepEqual(json.breaking.map((b) => b.kind), ['method', 'bodyField', 'bodyField', 'renamed', 'header', 'removed', 'path']);
      const clean = await run(['diff', 'HEAD', '--breaking'], dir);
      assert.equal(clean.code, 0);
      assert.equal(clean.stdout, 'No breaking changes.\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('end to end: the built bundle runs a collection (dist/cli.js, its sandbox beside it)', async function () {
    this.timeout(240_000); // the build, when this run has not made it yet
    buildDistOnce(); // never skipped for want of dist/: built here as the other end-to-end tests build it
    const cli = path.join(ROOT, 'dist', 'cli.js');
    assert.ok(existsSync(cli) && existsSync(path.join(ROOT, 'dist', 'scriptWorker.js')), 'the build makes dist/cli.js and dist/scriptWorker.js');
    // not spawnSync: the loopback server answers from this process
    const p = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [cli, 'run', repo, '--folder', 'Users', '--reporter', 'json'], { env: { ...process.env, ...env, HAMMOCK_SANDBOX_DIR: '' }, encoding: 'utf8', timeout: 60_000 }, (_e, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }));
    });
    assert.equal(p.code, 1, p.stderr);
    // List users has no token without Login (not sent), Get user passes, Teapot fails
    const out = JSON.parse(p.stdout) as { totals: { passed: number; failed: number; requestErrors: number } };
    assert.deepEqual([out.totals.passed, out.totals.failed, out.totals.requestErrors], [1, 1, 1]);
  });
});
