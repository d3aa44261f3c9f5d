// `hammock` run as a child process on the built bundle (dist/cli.js), against the fixtures and temp folders.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { installPreCommitHook } from '../../src/git/preCommitHook';
import { buildDistOnce } from '../support/buildDist';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.resolve(ROOT, 'test/fixtures');

function hammock(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hammock CLI (dist/cli.js)', function () {
  this.timeout(120_000);

  before(() => {
    buildDistOnce();
  });

  it('ls --json: one object per collection with exactly the documented keys', () => {
    const r = hammock(['ls', FIXTURES, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(list.length, 23); // 20 under legacy/ and v5/, Insomnia's 3 smoke-test v5 files under import/
    const keys = ['name', 'format', 'path', 'scope', 'folders', 'requests', 'grpcRequests', 'websocketRequests', 'socketIORequests', 'environments', 'problems'];
    for (const entry of list) assert.deepEqual(Object.keys(entry), keys);
    const find = (p: string) => list.find((e) => e.path === p);
    assert.deepEqual(find('v5/kong-example/everything.yaml'), {
      name: 'Everything',
      format: 'v5',
      path: 'v5/kong-example/everything.yaml',
      scope: 'collection',
      folders: 5,
      requests: 2,
      grpcRequests: 1,
      websocketRequests: 1,
      socketIORequests: 0,
      environments: 2,
      problems: [],
    });
    assert.deepEqual(find('legacy/kong-demo-with-tests/.insomnia'), {
      name: 'kong-insomnia-demo.git',
      format: 'legacy',
      path: 'legacy/kong-demo-with-tests/.insomnia',
      scope: 'design',
      folders: 1,
      requests: 5,
      grpcRequests: 0,
      websocketRequests: 0,
      socketIORequests: 0,
      environments: 5,
      problems: [],
    });
    assert.equal(find('v5/kong-example/11_6_2.yaml')?.socketIORequests, 1);
    assert.equal(find('v5/upstream-roundtrip/mcp_flights.yaml')?.scope, 'mcp');
    assert.equal(list[0].name, '11.3.0'); // sorted by name
  });

  it('ls: a readable table, DIR defaulting to the current folder', () => {
    const r = hammock(['ls'], path.join(FIXTURES, 'legacy'));
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^FORMAT +PATH +NAME +SCOPE +FOLDERS +REQUESTS +GRPC +WEBSOCKET +SOCKETIO +ENVS +PROBLEMS$/);
    assert.equal(lines.length, 6);
    const demo = lines.find((l) => l.includes('kong-demo-with-tests/.insomnia'));
    assert.match(demo ?? '', /^legacy +kong-demo-with-tests\/\.insomnia +kong-insomnia-demo\.git +design +1 +5 +0 +0 +0 +5 +0$/);
  });

  it('ls --json reports problems with file relative to DIR and 1-based line and column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-cli-'));
    try {
      cpSync(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia'), path.join(dir, '.insomnia'), { recursive: true });
      mkdirSync(path.join(dir, '.insomnia', 'Request'));
      writeFileSync(path.join(dir, '.insomnia', 'Request', 'req_x.yml'), '_id: req_x\ntype: Request\n  name: bad\n');
      const r = hammock(['ls', '--json', dir]);
      assert.equal(r.status, 0, r.stderr);
      const [entry] = JSON.parse(r.stdout) as { path: string; problems: unknown[] }[];
      assert.equal(entry.path, '.insomnia');
      assert.deepEqual(entry.problems, [
        { file: '.insomnia/Request/req_x.yml', line: 3, column: 7, message: 'Invalid YAML: bad indentation of a mapping entry', severity: 'error' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check: OK and exit 0 on the fixtures (the broken spec.yaml is not an Insomnia file)', () => {
    const r = hammock(['check', FIXTURES]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'OK: 23 collections, no malformed files\n');
  });

  it('check --insomnia: Insomnia\'s own readers read every fixture; a file they refuse is an error with Insomnia\'s words and exit 1', () => {
    const ok = hammock(['check', FIXTURES, '--insomnia']);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout, "OK: 23 collections, no malformed files, nothing Insomnia refuses; Insomnia's readers: 18 v5 files, 5 .insomnia folders\n");
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-cli-'));
    try {
      writeFileSync(
        path.join(dir, 'grpc.yaml'),
        'type: collection.insomnia.rest/5.0\nschema_version: "5.2"\nname: G\ncollection:\n  - url: localhost:50051\n    name: Unary\n    type: GrpcRequest\n    meta:\n      id: greq_1\n',
      );
      const r = hammock(['check', dir, '--insomnia']);
      assert.equal(r.status, 1);
      assert.equal(
        r.stdout,
        'grpc.yaml:5:5: error: Insomnia refuses this: collection.0: Invalid input (invalid_union; closest as GrpcRequest: reflectionApi: Invalid input: expected object, received undefined) [Insomnia 12-13 (schema 5.1)]\n' +
          'grpc.yaml:5:5: error: Insomnia refuses this: collection.0.reflectionApi: Invalid input: expected object, received undefined [Insomnia develop (schema 5.2)]\n',
      );
      assert.equal(r.stderr, "2 errors, 0 warnings (1 collection read; Insomnia's readers: 1 v5 file, 0 .insomnia folders)\n");
      // without --insomnia the same file is only Hammock's: readable, so OK
      assert.equal(hammock(['check', dir]).status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check: exit 1 listing every problem as file:line:col: severity: message', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-cli-'));
    try {
      writeFileSync(path.join(dir, 'good.yaml'), 'type: collection.insomnia.rest/5.0\nname: Good\n');
      writeFileSync(path.join(dir, 'broken.yaml'), 'type: collection.insomnia.rest/5.0\nname: Broken\ncollection:\n  - name: a\n     url: x\n');
      writeFileSync(path.join(dir, 'typo.yaml'), 'type: collection.insomnia.rest/5.0\nschema_version: "9"\nname: Typo\n');
      writeFileSync(path.join(dir, 'openapi.yaml'), 'openapi: 3.0.0\n  info: broken\n');
      const r = hammock(['check', dir]);
      assert.equal(r.status, 1);
      assert.deepEqual(r.stdout.trimEnd().split('\n'), [
        'broken.yaml:5:9: error: Invalid YAML: bad indentation of a mapping entry',
        'typo.yaml:1:1: warning: Unknown schema_version 9; read as 5.2',
      ]);
      assert.match(r.stderr, /1 error, 1 warning \(2 collections read\)/);
      rmSync(path.join(dir, 'broken.yaml'));
      const ok = hammock(['check', dir]);
      assert.equal(ok.status, 0);
      assert.equal(ok.stdout, 'typo.yaml:1:1: warning: Unknown schema_version 9; read as 5.2\nOK: 2 collections, no malformed files, 1 warning\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--help prints the usage and exits 0; an unknown command or option, or none, exits 2 with the usage', () => {
    const help = hammock(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: hammock <command>/);
    assert.match(help.stdout, /ls \[DIR\] \[--json\]/);
    for (const args of [['frobnicate'], ['ls', '--xml'], ['check', '--json'], [], ['ls', 'a', 'b']]) {
      const r = hammock(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /Usage: hammock <command>/);
      assert.equal(r.stdout, '');
    }
  });

  it('a DIR that is not a folder exits 2', () => {
    const r = hammock(['ls', path.join(FIXTURES, 'no-such-folder')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a folder/);
  });

  it('a reader that goes away (hammock ... | head) ends the run quietly with 0, not an EPIPE stack trace', async () => {
    const { spawn } = await import('node:child_process');
    // a collection far larger than a pipe's buffer, so that writing goes on after the reader has left
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-epipe-'));
    const items = Array.from({ length: 3000 }, (_, i) => `  - url: https://api.example.test/items/${i}?with=a-longer-query-string\n    name: item ${i}\n    meta:\n      id: req_${String(i).padStart(32, '0')}\n    method: GET\n`);
    writeFileSync(path.join(dir, 'big.yaml'), `type: collection.insomnia.rest/5.0\nname: Big\nmeta:\n  id: wrk_big\ncollection:\n${items.join('')}`);
    const child = spawn(process.execPath, [CLI, 'export', dir, '--format', 'v4'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    rmSync(dir, { recursive: true, force: true });
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
    assert.equal(code, 0, stderr);
  });

  describe('check --secrets', () => {
    let tmp: string;
    beforeEach(() => {
      tmp = mkdtempSync(path.join(tmpdir(), 'hammock-cli-secrets-'));
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_CONFIG_NOSYSTEM: '1' } });
    // made at run time: no token-shaped literal in the repository
    const token = `gh${'p'}_${'Zx9Qw2Er5Ty8Ui1Op4As7Df0Gh3Jk6Lz9Xc2V'.slice(0, 36)}`;

    it('a folder: masked findings with file and line, exit 1; a clean folder exits 0', () => {
      cpSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(tmp, 'everything.yaml'));
      let r = hammock(['check', tmp, '--secrets']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /OK: no secrets found/);
      const text = readFileSync(path.join(tmp, 'everything.yaml'), 'utf8').replace('base_url: localhost:3000', `base_url: localhost:3000\n        gh: ${token}`);
      writeFileSync(path.join(tmp, 'everything.yaml'), text);
      r = hammock(['check', tmp, '--secrets']);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^everything\.yaml:\d+: secret: environment "New Environment" · variable gh · GitHub token ghp_••••••[A-Za-z0-9]{2}$/m);
      assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), 'the secret is never printed');
      assert.match(r.stderr, /1 value that looks like secrets/);
    });

    it('--staged as the pre-commit hook runs it: what the index adds, from the repository root', () => {
      cpSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(tmp, 'everything.yaml'));
      git(tmp, 'init', '-q', '-b', 'main');
      git(tmp, 'add', '.');
      git(tmp, 'commit', '-qm', 'base');
      let r = hammock(['check', '--secrets', '--staged'], tmp);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /OK: no secrets in 0 staged Insomnia files/);
      writeFileSync(path.join(tmp, 'everything.yaml'), readFileSync(path.join(tmp, 'everything.yaml'), 'utf8').replace('base_url: localhost:3000', `base_url: localhost:3000\n        gh: ${token}`));
      r = hammock(['check', '--secrets', '--staged'], tmp);
      assert.equal(r.status, 0, 'not staged yet');
      git(tmp, 'add', 'everything.yaml');
      r = hammock(['check', '--secrets', '--staged'], tmp);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /everything\.yaml: secret: environment "New Environment" · variable gh · GitHub token/);
      assert.match(r.stderr, /not committing[\s\S]*--no-verify/);
      assert.equal(hammock(['check', '--staged'], tmp).status, 2, '--staged needs --secrets');
    });

    it('the pre-commit hook Hammock installs: git itself stops a commit that adds a secret, and lets a clean one through', async () => {
      cpSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(tmp, 'everything.yaml'));
      git(tmp, 'init', '-q', '-b', 'main');
      git(tmp, 'add', '.');
      git(tmp, 'commit', '-qm', 'base');
      const installed = await installPreCommitHook(tmp, { cliPath: CLI });
      assert.deepEqual(installed, { kind: 'installed', file: path.join(tmp, '.git', 'hooks', 'pre-commit') });
      assert.deepEqual(await installPreCommitHook(tmp, { cliPath: CLI }), { kind: 'updated', file: installed.file }, 'its own hook is replaced');
      const text = readFileSync(path.join(tmp, 'everything.yaml'), 'utf8');
      writeFileSync(path.join(tmp, 'everything.yaml'), text.replace('base_url: localhost:3000', `base_url: localhost:3000\n        gh: ${token}`));
      git(tmp, 'add', 'everything.yaml');
      const head = git(tmp, 'rev-parse', 'HEAD');
      const refused = spawnSync('git', ['commit', '-qm', 'add a token'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
      assert.notEqual(refused.status, 0, 'git refused the commit');
      assert.match(refused.stdout + refused.stderr, /GitHub token ghp_••••••/);
      assert.ok(!(refused.stdout + refused.stderr).includes(token), 'the hook never prints the secret');
      assert.equal(git(tmp, 'rev-parse', 'HEAD'), head, 'nothing was committed');
      // the token replaced by a variable: the commit goes through
      writeFileSync(path.join(tmp, 'everything.yaml'), text.replace('base_url: localhost:3000', 'base_url: localhost:3000\n        gh: "{{ vault.gh }}"'));
      git(tmp, 'add', 'everything.yaml');
      git(tmp, 'commit', '-qm', 'a variable');
      assert.notEqual(git(tmp, 'rev-parse', 'HEAD'), head);
      // a hook of the repository's own is left as it is
      const other = mkdtempSync(path.join(tmpdir(), 'hammock-hook-'));
      try {
        git(other, 'init', '-q');
        mkdirSync(path.join(other, '.git', 'hooks'), { recursive: true });
        writeFileSync(path.join(other, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n');
        assert.equal((await installPreCommitHook(other, { cliPath: CLI })).kind, 'foreign');
        assert.equal(readFileSync(path.join(other, '.git', 'hooks', 'pre-commit'), 'utf8'), '#!/bin/sh\nexit 0\n');
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    });
  });
});
