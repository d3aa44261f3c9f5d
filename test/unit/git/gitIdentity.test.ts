// The author and config values as git resolves them, with the git CLI as the oracle: generated system, XDG,
// global, repository and included files (include.path, includeIf gitdir: / gitdir/i: / onbranch: /
// hasconfig:remote.*.url:), the environment (GIT_AUTHOR_*, EMAIL, GIT_CONFIG_NOSYSTEM / GLOBAL / SYSTEM,
// XDG_CONFIG_HOME), HOME a temp folder.

import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { GitClient } from '../../../src/git/gitClient';
import { configFiles, configuredAuthor, parseConfigEntries, resolveAuthor, resolveConfig, withoutCrud } from '../../../src/git/gitIdentity';

/** A clean environment: nothing of the machine's own git config or identity leaks in. */
function baseEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: 'C' };
  return env;
}

/** What `git var GIT_AUTHOR_IDENT` says with auto-detection off: `{name, email}`, or undefined when git has none. */
function gitAuthor(cwd: string, env: NodeJS.ProcessEnv): { name: string; email: string } | undefined {
  const r = spawnSync('git', ['-c', 'user.useConfigOnly=true', 'var', 'GIT_AUTHOR_IDENT'], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const m = /^(.*) <(.*)> \d+ [+-]\d{4}\n?$/s.exec(r.stdout);
  assert.ok(m, `unexpected git var output ${JSON.stringify(r.stdout)}`);
  return { name: m[1], email: m[2] };
}

function gitConfigGet(cwd: string, env: NodeJS.ProcessEnv, key: string): string | undefined {
  const r = spawnSync('git', ['config', '--get', key], { cwd, env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.replace(/\n$/, '') : undefined;
}

describe('gitIdentity: config and author as git resolves them', function () {
  this.timeout(120_000);
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-ident-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function makeRepo(home: string, branch = 'main'): { dir: string; gitdir: string } {
    const dir = path.join(home, 'work', 'repo');
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', branch, dir], { env: baseEnv(home) });
    return { dir, gitdir: path.join(dir, '.git') };
  }

  it('parses values as git does: quotes, escapes, comments, continuations, bare keys, subsections', () => {
    const text = [
      '# comment',
      '[user]',
      '  name = "  Ada  Lovelace " # trailing comment',
      '\temail = ada@example.com ; another',
      '[core]',
      '  bare',
      '  multi = one \\',
      'two',
      '[remote "Origin \\"x\\""]',
      '  url = https://h/r.git',
      '[Section.Sub]',
      '  Key = a\\tb\\\\c',
    ].join('\n');
    const entries = parseConfigEntries(text);
    const get = (s: string, sub: string | undefined, n: string) => entries.find((e) => e.section === s && e.subsection === sub && e.name === n)?.value;
    assert.equal(get('user', undefined, 'name'), '  Ada  Lovelace ');
    assert.equal(get('user', undefined, 'email'), 'ada@example.com');
    assert.equal(get('core', undefined, 'bare'), null);
    assert.equal(get('core', undefined, 'multi'), 'one two');
    assert.equal(get('remote', 'Origin "x"', 'url'), 'https://h/r.git');
    assert.equal(get('section', 'sub', 'key'), 'a\tb\\c');
  });

  it('reads ~/.gitconfig, XDG, the system file and the repository in git order, as git config --get does', async () => {
    const home = path.join(root, 'home');
    const { dir, gitdir } = makeRepo(home);
    const system = path.join(root, 'system-gitconfig');
    fs.writeFileSync(system, '[user]\n  name = System Name\n  email = system@example.com\n[x]\n  only = system\n');
    fs.mkdirSync(path.join(home, '.config', 'git'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'git', 'config'), '[user]\n  name = Xdg Name\n[x]\n  xdg = 1\n');
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n  email = global@example.com\n');
    const env = { ...baseEnv(home), GIT_CONFIG_SYSTEM: system };
    const config = await resolveConfig({ env, gitdir });
    for (const key of ['user.name', 'user.email', 'x.only', 'x.xdg']) assert.equal(config.get(key) ?? undefined, gitConfigGet(dir, env, key), key);
    assert.deepEqual(await configuredAuthor({ env, gitdir }), gitAuthor(dir, env));
    assert.deepEqual(await configuredAuthor({ env, gitdir }), { name: 'Xdg Name', email: 'global@example.com' });
    // the repository's own file wins
    fs.appendFileSync(path.join(gitdir, 'config'), '[user]\n  name = Repo Name\n');
    assert.deepEqual(await configuredAuthor({ env, gitdir }), gitAuthor(dir, env));
    const from = await resolveAuthor({ env, gitdir });
    assert.equal(from.nameFrom, path.join(gitdir, 'config'));
    assert.equal(from.emailFrom, path.join(home, '.gitconfig'));
  });

  it('has no author when git has none (git var refuses too), and takes GIT_AUTHOR_* and EMAIL from the environment', async () => {
    const home = path.join(root, 'home');
    const { dir, gitdir } = makeRepo(home);
    const env = { ...baseEnv(home), GIT_CONFIG_NOSYSTEM: '1' };
    assert.equal(gitAuthor(dir, env), undefined);
    assert.equal(await configuredAuthor({ env, gitdir }), undefined);
    const withEnv = { ...env, GIT_AUTHOR_NAME: ' Env <Name>. ', GIT_AUTHOR_EMAIL: '<env@example.com>' };
    assert.deepEqual(await configuredAuthor({ env: withEnv, gitdir }), gitAuthor(dir, withEnv));
    assert.deepEqual(await configuredAuthor({ env: withEnv, gitdir }), { name: 'Env Name', email: 'env@example.com' });
    // $EMAIL is git's fallback for the email (not counted as configured by useConfigOnly, so compared without it)
    const viaEmail = await resolveAuthor({ env: { ...env, GIT_AUTHOR_NAME: 'N', EMAIL: 'mail@example.com' }, gitdir });
    assert.equal(viaEmail.email, 'mail@example.com');
    const r = spawnSync('git', ['var', 'GIT_AUTHOR_IDENT'], { cwd: dir, env: { ...env, GIT_AUTHOR_NAME: 'N', EMAIL: 'mail@example.com' }, encoding: 'utf8' });
    assert.match(r.stdout, /^N <mail@example\.com> /);
  });

  it('follows include.path and includeIf gitdir: / gitdir/i: / onbranch: where they stand', async () => {
    const home = path.join(root, 'home');
    const { dir, gitdir } = makeRepo(home, 'feature/x');
    fs.writeFileSync(path.join(home, 'work.inc'), '[user]\n  email = work@example.com\n');
    fs.writeFileSync(path.join(home, 'branch.inc'), '[user]\n  name = Branch Name\n');
    fs.writeFileSync(path.join(home, 'other.inc'), '[user]\n  name = Never\n');
    fs.writeFileSync(
      path.join(home, '.gitconfig'),
      [
        '[user]',
        '  name = Global Name',
        '  email = global@example.com',
        '[includeIf "gitdir:~/work/"]',
        '  path = work.inc',
        '[includeIf "gitdir/i:~/WORK/"]',
        '  path = ~/branch.inc',
        '[includeIf "gitdir:~/elsewhere/"]',
        '  path = other.inc',
        '[includeIf "onbranch:main"]',
        '  path = other.inc',
      ].join('\n') + '\n',
    );
    const env = { ...baseEnv(home), GIT_CONFIG_NOSYSTEM: '1' };
    assert.deepEqual(await configuredAuthor({ env, gitdir }), gitAuthor(dir, env));
    assert.deepEqual(await configuredAuthor({ env, gitdir }), { name: 'Branch Name', email: 'work@example.com' });
    fs.appendFileSync(path.join(home, '.gitconfig'), '[includeIf "onbranch:feature/"]\n  path = other.inc\n[include]\n  path = work.inc\n');
    assert.deepEqual(await configuredAuthor({ env, gitdir }), gitAuthor(dir, env));
    assert.equal((await configuredAuthor({ env, gitdir }))?.name, 'Never');
    // outside a repository, conditions on the repository do not hold
    assert.equal((await resolveConfig({ env })).get('user.name'), gitConfigGet(root, env, 'user.name'));
  });

  it('GIT_CONFIG_GLOBAL replaces both global files; GIT_CONFIG_NOSYSTEM drops the system one', async () => {
    const home = path.join(root, 'home');
    const { dir, gitdir } = makeRepo(home);
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n  name = Home\n  email = home@example.com\n');
    const alt = path.join(root, 'alt.gitconfig');
    fs.writeFileSync(alt, '[user]\n  name = Alt\n');
    const env = { ...baseEnv(home), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: alt };
    assert.deepEqual(configFiles({ env, gitdir }).map((f) => f.scope), ['global', 'local']);
    assert.equal(await configuredAuthor({ env, gitdir }), undefined);
    assert.equal(gitAuthor(dir, env), undefined);
    assert.equal((await resolveConfig({ env, gitdir })).get('user.name'), gitConfigGet(dir, env, 'user.name'));
  });

  it('GitClient commits with the author of ~/.gitconfig and never writes it into .git/config', async () => {
    const home = path.join(root, 'home');
    const { dir, gitdir } = makeRepo(home);
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n  name = From Global\n  email = global@example.com\n');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'a\n');
    const configBefore = fs.readFileSync(path.join(gitdir, 'config'), 'utf8');
    const env = { ...baseEnv(home), GIT_CONFIG_NOSYSTEM: '1' };
    const client = new GitClient(dir, { configEnv: env });
    assert.deepEqual(await client.getAuthor(), { name: 'From Global', email: 'global@example.com' });
    await client.stage(['a.txt']);
    await client.commit('first');
    const log = execFileSync('git', ['log', '-1', '--format=%an|%ae|%cn|%ce'], { cwd: dir, env, encoding: 'utf8' }).trim();
    assert.equal(log, 'From Global|global@example.com|From Global|global@example.com');
    assert.equal(fs.readFileSync(path.join(gitdir, 'config'), 'utf8'), configBefore);
    // without any author, a session author is used and still nothing is written
    fs.rmSync(path.join(home, '.gitconfig'));
    assert.equal(await client.getAuthor(), undefined);
    client.useSessionAuthor({ name: 'Session', email: 's@example.com' });
    fs.writeFileSync(path.join(dir, 'a.txt'), 'b\n');
    await client.stage(['a.txt']);
    await client.commit('second');
    assert.equal(execFileSync('git', ['log', '-1', '--format=%an'], { cwd: dir, env, encoding: 'utf8' }).trim(), 'Session');
    assert.equal(fs.readFileSync(path.join(gitdir, 'config'), 'utf8'), configBefore);
  });

  it('withoutCrud trims as git does', () => {
    assert.equal(withoutCrud('.. x.y <z> ;'), 'x.y z');
    assert.equal(withoutCrud(' <a@b>. '), 'a@b');
  });

  it('matches git var GIT_AUTHOR_IDENT and git config --get on generated configurations (fast-check)', async () => {
    const home = path.join(root, 'home');
    const nameChar = fc.constantFrom('a', 'Z', ' ', '.', '<', '>', ';', '#', '"', '\\', 'é', ',', "'", '-');
    const value = fc.string({ unit: nameChar, minLength: 1, maxLength: 8 });
    const fileIds = ['system', 'xdg', 'global', 'local', 'incA', 'incB'] as const;
    type FileId = (typeof fileIds)[number];
    const conditions = ['gitdir:~/work/', 'gitdir:~/work/repo/.git', 'gitdir:work/repo/', 'gitdir:~/nowhere/', 'gitdir/i:~/WORK/', 'gitdir:WORK/', 'onbranch:main', 'onbranch:feat/', 'onbranch:other', 'hasconfig:remote.*.url:x',
      'hasconfig:remote.*.url:https://github.com/**', 'hasconfig:remote.*.url:git@work.example:*/**', 'hasconfig:remote.*.url:https://*/team/*.git'];
    type Line =
      | { kind: 'set'; key: string; value: string; quote: boolean }
      | { kind: 'include'; target: 'incA' | 'incB'; how: string }
      | { kind: 'includeIf'; target: 'incA' | 'incB'; condition: string }
      | { kind: 'remote'; name: string; url: string };
    const line: fc.Arbitrary<Line> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('user.name', 'user.email', 'author.name', 'author.email'), value, quote: fc.boolean() }),
      fc.record({ kind: fc.constant('include' as const), target: fc.constantFrom<'incA' | 'incB'>('incA', 'incB'), how: fc.constantFrom('abs', 'rel', 'tilde') }),
      fc.record({ kind: fc.constant('includeIf' as const), target: fc.constantFrom<'incA' | 'incB'>('incA', 'incB'), condition: fc.constantFrom(...conditions) }),
      fc.record({
        kind: fc.constant('remote' as const),
        name: fc.constantFrom('origin', 'upstream'),
        url: fc.constantFrom('https://github.com/org/api.git', 'git@work.example:team/api.git', 'https://host.example/team/api.git', 'https://host.example/team/sub/api.git'),
      }),
    );
    const scenario = fc.record({
      files: fc.record(Object.fromEntries(fileIds.map((f) => [f, fc.array(line, { maxLength: 4 })])) as Record<FileId, fc.Arbitrary<Line[]>>),
      branch: fc.constantFrom('main', 'feat/one', 'other'),
      useXdgHome: fc.boolean(),
      noSystem: fc.boolean(),
      globalOverride: fc.boolean(),
      envName: fc.option(value, { nil: undefined }),
      envEmail: fc.option(value, { nil: undefined }),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        runs++;
        fs.rmSync(home, { recursive: true, force: true });
        const { dir, gitdir } = makeRepo(home, s.branch);
        const xdgHome = path.join(root, 'xdg');
        const paths: Record<FileId, string> = {
          system: path.join(root, 'etc-gitconfig'),
          xdg: s.useXdgHome ? path.join(xdgHome, 'git', 'config') : path.join(home, '.config', 'git', 'config'),
          global: path.join(home, '.gitconfig'),
          local: path.join(gitdir, 'config'),
          incA: path.join(home, 'inc', 'a.inc'),
          incB: path.join(home, 'inc', 'b.inc'),
        };
        const order: FileId[] = [...fileIds];
        for (const id of fileIds) {
          fs.mkdirSync(path.dirname(paths[id]), { recursive: true });
          const own = order.indexOf(id);
          const lines: string[] = id === 'local' ? [fs.readFileSync(paths.local, 'utf8')] : [];
          for (const l of s.files[id]) {
            if (l.kind === 'set') {
              const [section, name] = l.key.split('.');
              const safe = /^[A-Za-z.é,'-]+( [A-Za-z.é,'-]+)*$/.test(l.value) && !l.quote;
              const written = safe ? l.value : `"${l.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
              lines.push(`[${section}]`, `\t${name} = ${written}`);
              continue;
            }
            if (l.kind === 'remote') {
              // git refuses a remote URL in a file a hasconfig: condition may include: only the top-level files set them
              if (id !== 'incA' && id !== 'incB') lines.push(`[remote "${l.name}"]`, `\turl = ${l.url}`);
              continue;
            }
            // includes only go forward (incA may include incB, never the reverse): no include loops
            if (order.indexOf(l.target) <= own) continue;
            if (l.kind === 'include') {
              const p = paths[l.target];
              const rel = path.relative(path.dirname(paths[id]), p);
              const written = l.how === 'abs' ? p : l.how === 'rel' ? rel : '~/' + path.relative(home, p);
              lines.push('[include]', `\tpath = ${written}`);
            } else {
              lines.push(`[includeIf "${l.condition}"]`, `\tpath = ${paths[l.target]}`);
            }
          }
          fs.writeFileSync(paths[id], lines.join('\n') + '\n');
        }
        const env: NodeJS.ProcessEnv = { ...baseEnv(home) };
        if (s.useXdgHome) env.XDG_CONFIG_HOME = xdgHome;
        if (s.noSystem) env.GIT_CONFIG_NOSYSTEM = '1';
        else env.GIT_CONFIG_SYSTEM = paths.system;
        if (s.globalOverride) env.GIT_CONFIG_GLOBAL = paths.xdg;
        if (s.envName !== undefined) env.GIT_AUTHOR_NAME = s.envName;
        if (s.envEmail !== undefined) env.GIT_AUTHOR_EMAIL = s.envEmail;
        const config = await resolveConfig({ env, gitdir });
        for (const key of ['user.name', 'user.email', 'author.name']) {
          assert.equal(config.get(key) ?? undefined, gitConfigGet(dir, env, key), key);
        }
        assert.deepEqual(await configuredAuthor({ env, gitdir }), gitAuthor(dir, env));
      }),
      { seed: 1414, numRuns: 60 },
    );
    assert.equal(runs, 60);
  });
});
