// The secret scan: planted secrets of each kind in each place are found (with their kind, place and a masked preview
// that does not give them away); templates, placeholders and the real collections of test/fixtures are not flagged
// (but for three values that are literal credentials); the staged scan reports what a commit adds, read from git's
// index and objects, with the git CLI making the commits.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { detectSecrets, isHighEntropy, isPlaceholder, maskSecret, type SecretKind } from '../../../../src/collections/secrets/detect';
import { describeFinding, newFindings, scanCollection, scanFileText, type SecretFinding } from '../../../../src/collections/secrets/secretScan';
import type { Collection, HttpRequest } from '../../../../src/collections/model';
import { loadWorkspace } from '../../../../src/collections/scan';
import { importText } from '../../../../src/collections/convert/importText';
import { scanStagedSecrets } from '../../../../src/git/stagedSecrets';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

/** A finding's line without its masked preview. */
const short = (f: SecretFinding) => describeFinding(f).replace(/ \S*•\S*$/, '');

/** A seeded generator: planted tokens are made at run time (no token-shaped literal in the repository). */
function random(seed: number): (alphabet: string, n: number) => string {
  let x = seed;
  return (alphabet, n) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      out += alphabet[(x >>> 16) % alphabet.length];
    }
    return out;
  };
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const B64URL = ALNUM + '-_';

/** One planted secret of every kind the scan knows. */
export function plantedSecrets(seed = 7): Record<SecretKind, string> {
  const r = random(seed);
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  return {
    'github-token': `gh${'p'}_${r(ALNUM, 36)}`,
    'gitlab-token': `glpat-${r(ALNUM, 20)}`,
    'slack-token': `xox${'b'}-${r('0123456789', 12)}-${r(ALNUM, 24)}`,
    'slack-webhook': `https://hooks.slack.com/services/T${r(UPPER, 8)}/B${r(UPPER, 8)}/${r(ALNUM, 24)}`,
    'aws-access-key': `AK${'IA'}${r(UPPER, 16)}`,
    'stripe-live-key': `sk${'_live_'}${r(ALNUM, 24)}`,
    'google-api-key': `AI${'za'}${r(B64URL, 35)}`,
    'api-key': `sk-${'proj'}-${r(B64URL, 48)}`,
    'npm-token': `npm_${r(ALNUM, 36)}`,
    'sendgrid-key': `SG.${r(B64URL, 22)}.${r(B64URL, 43)}`,
    'twilio-key': `SK${r(HEX, 32)}`,
    'private-key': `-----BEGIN ${'RSA PRIVATE'} KEY-----\n${r(ALNUM, 64)}\n${r(ALNUM, 64)}\n-----END RSA PRIVATE KEY-----`,
    jwt: `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(`{"sub":"${r(ALNUM, 10)}","name":"Ada"}`)}.${r(B64URL, 43)}`,
    credential: 'abc123',
    'high-entropy': r(ALNUM, 18) + 'Zq9',
  };
}

function request(name: string, fields: Partial<HttpRequest>): HttpRequest {
  return {
    kind: 'request',
    id: `req_${name.replace(/\W/g, '')}`,
    parentId: 'wrk_planted',
    name,
    description: '',
    sortKey: 0,
    source: { file: '/x/planted.yaml', yamlPath: [], line: 0 },
    method: 'GET',
    url: 'https://api.example.test/',
    parameters: [],
    pathParameters: [],
    headers: [],
    body: {},
    authentication: {},
    scripts: { preRequest: '', afterResponse: '' },
    settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true },
    ...fields,
  };
}

function collectionOf(requests: HttpRequest[], data: Record<string, unknown> = {}, subData: Record<string, unknown> = {}): Collection {
  return {
    id: 'wrk_planted',
    format: 'v5',
    path: '/x/planted.yaml',
    name: 'Planted',
    description: '',
    scope: 'collection',
    children: requests,
    problems: [],
    source: { file: '/x/planted.yaml', yamlPath: [], line: 0 },
    baseEnvironment: {
      id: 'env_base',
      parentId: 'wrk_planted',
      name: 'Base Environment',
      data,
      color: null,
      sortKey: 0,
      isPrivate: false,
      source: { file: '/x/planted.yaml', yamlPath: ['environments'], line: 0 },
      subEnvironments: [{ id: 'env_sub', parentId: 'env_base', name: 'Prod', data: subData, color: null, sortKey: 1, isPrivate: false, source: { file: '/x/planted.yaml', yamlPath: [], line: 0 } }],
    },
  };
}

describe('secret scan', () => {
  describe('detect', () => {
    const planted = plantedSecrets();
    for (const [kind, secret] of Object.entries(planted) as [SecretKind, string][]) {
      if (kind === 'credential' || kind === 'high-entropy') continue;
      it(`finds a ${kind} anywhere, even in a body or a script, beside other text`, () => {
        for (const where of ['header', 'body', 'script', 'variable'] as const) {
          const value = `prefix ${secret} suffix`;
          const found = detectSecrets(value, { where, name: 'X-Whatever' });
          assert.equal(found.length, 1, `${where}: ${JSON.stringify(found)}`);
          assert.equal(found[0].kind, kind);
          assert.equal(value.slice(found[0].start, found[0].end), secret);
        }
      });
    }

    it('a literal credential where credentials go: Authorization, auth secrets, secret-named headers, parameters, variables', () => {
      const cases: [string, Parameters<typeof detectSecrets>[1], string][] = [
        ['Bearer abc123', { where: 'header', name: 'Authorization' }, 'abc123'],
        ['Basic dXNlcjpwYXNzd29yZDE=', { where: 'header', name: 'authorization' }, 'dXNlcjpwYXNzd29yZDE='],
        ['s3cr3t-value', { where: 'header', name: 'X-Api-Key' }, 's3cr3t-value'],
        ['hunter22', { where: 'auth', name: 'password', authType: 'basic' }, 'hunter22'],
        ['q1w2e3r4t5', { where: 'auth', name: 'value', authType: 'apikey' }, 'q1w2e3r4t5'],
        ['k9-7f-22x1', { where: 'parameter', name: 'access_token' }, 'k9-7f-22x1'],
        ['9f8e7d6c5b', { where: 'variable', name: 'client_secret' }, '9f8e7d6c5b'],
        ['session=7f3a9b2c1d; Path=/', { where: 'header', name: 'Cookie' }, '7f3a9b2c1d'],
      ];
      for (const [value, ctx, secret] of cases) {
        const found = detectSecrets(value, ctx);
        assert.equal(found.length, 1, `${value} at ${JSON.stringify(ctx)}`);
        assert.equal(found[0].kind, 'credential');
        assert.equal(value.slice(found[0].start, found[0].end), secret);
      }
    });

    it('not a secret: templates, placeholders, a variable named like its value, usernames, plain words, UUIDs, hashes', () => {
      const none: [string, Parameters<typeof detectSecrets>[1]][] = [
        ['Bearer {{ _.token }}', { where: 'header', name: 'Authorization' }],
        ['{{ vault.github_token }}', { where: 'auth', name: 'token', authType: 'bearer' }],
        ['{% response "body", "req_1", "b64::JC50b2tlbg==::46b", "never", 60 %}', { where: 'header', name: 'Authorization' }],
        ['<your-token>', { where: 'header', name: 'Authorization' }],
        ['changeme', { where: 'auth', name: 'password' }],
        ['test_token', { where: 'auth', name: 'token' }],
        ['bearerToken', { where: 'variable', name: 'bearerToken' }],
        ['xxxxxxxxxxxx', { where: 'variable', name: 'api_key' }],
        ['${API_KEY}', { where: 'header', name: 'X-Api-Key' }],
        ['admin', { where: 'auth', name: 'username' }],
        ['application/json', { where: 'header', name: 'Content-Type' }],
        ['b88f7029-fa93-41a5-9462-4884e544bf63', { where: 'variable', name: 'id' }],
        ['8419e150939eb8e50b0dd2a817574890cfa90270', { where: 'parameter', name: 'commit' }],
        ['"a1550c2bd25c5bcfef789d730f5bbddf"', { where: 'header', name: 'If-None-Match' }],
        ['https://petstore3.swagger.io/api/v3/pet/findByStatus', { where: 'url' }],
        ['{"password": "{{ _.password }}"}', { where: 'body' }],
      ];
      for (const [value, ctx] of none) assert.deepEqual(detectSecrets(value, ctx), [], `${value} at ${JSON.stringify(ctx)}`);
      assert.ok(isPlaceholder('your_api_key_here'));
      assert.ok(!isPlaceholder('abc123'));
      assert.ok(isHighEntropy('q8Z3kP0vT7mR2xY5wL9nB4cJ6hF1dG'));
      assert.ok(!isHighEntropy('thisIsJustALongCamelCaseIdentifier'.toLowerCase()));
    });

    it('a masked preview does not give the secret away', () => {
      for (const [kind, secret] of Object.entries(plantedSecrets()) as [SecretKind, string][]) {
        const masked = maskSecret(secret, kind);
        assert.ok(masked.includes('•'), masked);
        assert.ok(masked.replace(/•/g, '').length <= 12, `${kind}: ${masked}`);
        if (secret.length > 12) assert.ok(!masked.includes(secret.slice(6, 12)), `${kind}: ${masked}`);
      }
    });
  });

  describe('scanCollection', () => {
    it('finds each planted secret in each place, with the place and the owner', () => {
      const p = plantedSecrets(11);
      const c = collectionOf(
        [
          request('Headers', { headers: [{ name: 'Accept', value: 'application/json' }, { name: 'Authorization', value: `Bearer ${p['github-token']}` }, { name: 'X-Trace', value: p['high-entropy'] }] }),
          request('Query', { url: `https://u:${p.credential}x@api.example.test/x?access_token=${p['slack-token']}&page=2`, parameters: [{ name: 'key', value: p['google-api-key'] }] }),
          request('Auth', { authentication: { type: 'bearer', token: p.jwt, prefix: 'Bearer' } }),
          request('Basic', { authentication: { type: 'basic', username: 'ada', password: 'p4ssw0rd!' } }),
          request('Body', { method: 'POST', body: { mimeType: 'application/json', text: JSON.stringify({ user: 'ada', client_secret: 'R4nd0mS3cr3t', nested: { npm: p['npm-token'] } }, null, 2) } }),
          request('Form', { method: 'POST', body: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'password', value: 'Tr0ub4dor&3' }, { name: 'note', value: 'hello' }] } }),
          request('Script', { scripts: { preRequest: `const key = '${p['stripe-live-key']}';`, afterResponse: '' } }),
        ],
        { base_url: 'https://api.example.test', aws: { id: p['aws-access-key'] } },
        { token: p['api-key'], pem: p['private-key'], hook: p['slack-webhook'] },
      );
      const findings = scanCollection(c);
      const lines = findings.map(describeFinding);
      const expect = [
        'GET Headers · header Authorization · GitHub token',
        'GET Headers · header X-Trace · high-entropy string',
        'GET Query · URL · literal credential',
        'GET Query · URL · Slack token',
        'GET Query · parameter key · Google API key',
        'GET Auth · auth token · JWT',
        'GET Basic · auth password · literal credential',
        'POST Body · body · npm token',
        'POST Body · body · literal credential',
        'POST Form · form field password · literal credential',
        'GET Script · pre-request script · Stripe live key',
        'environment "Base Environment" · variable aws.id · AWS access key id',
        'environment "Prod" · variable token · API key (sk-)',
        'environment "Prod" · variable pem · private key',
        'environment "Prod" · variable hook · Slack webhook URL',
      ];
      for (const e of expect) assert.ok(lines.some((l) => l.startsWith(e)), `missing: ${e}\n${lines.join('\n')}`);
      assert.equal(findings.length, expect.length, lines.join('\n'));
      // the secret is behind a function: a finding printed as JSON does not hold it
      for (const f of findings) assert.ok(!JSON.stringify(f).includes(f.secret()), describeFinding(f));
      const header = findings.find((f) => f.location.kind === 'header' && f.location.name === 'Authorization')!;
      assert.equal(header.secret(), p['github-token']);
      assert.deepEqual([header.start, header.end], [7, 7 + p['github-token'].length]);
    });

    it('the 23 collections of test/fixtures: one value is flagged (a UUID held as auth_token, a literal credential)', async () => {
      const collections = (await loadWorkspace(FIXTURES)).collections;
      const flagged = collections.flatMap(scanCollection);
      assert.deepEqual(flagged.map((f) => `${path.relative(FIXTURES, f.file)}: ${describeFinding(f)}`), [
        'v5/upstream-roundtrip/dev_environment.yaml: environment "Dev" · variable auth_token · literal credential e••••••5d',
      ]);
      assert.ok(collections.length >= 23);
    });

    it('every importable fixture: the imports flag only literal credentials in auth and headers', () => {
      const flagged: string[] = [];
      for (const d of readdirSync(path.join(FIXTURES, 'import'))) {
        for (const file of readdirSync(path.join(FIXTURES, 'import', d))) {
          if (file.endsWith('.txt')) continue;
          const result = importText(readFileSync(path.join(FIXTURES, 'import', d, file), 'utf8'), file);
          for (const c of result.collections) for (const f of scanCollection(c)) flagged.push(`${file}: ${describeFinding(f)}`);
        }
      }
      assert.deepEqual(flagged, ['httpiness-conversion-test.postman_collection.v2.1.json: folder "Auth" · auth value · literal credential T••••••']);
    });

    it('the cURL commands of test/fixtures: only the bearer token of the ntfy docs', () => {
      const flagged: string[] = [];
      for (const line of readFileSync(path.join(FIXTURES, 'import/curl/commands.txt'), 'utf8').split('\n').filter((l) => l.startsWith('curl'))) {
        for (const c of importText(line).collections) for (const f of scanCollection(c)) flagged.push(short(f).replace(/^\S+ [^·]+· /, ''));
      }
      assert.deepEqual(flagged, ['header Authorization · literal credential']);
    });
  });

  describe('scanFileText and what a commit adds', () => {
    let tmp: string;
    beforeEach(() => {
      tmp = mkdtempSync(path.join(tmpdir(), 'hammock-secrets-'));
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));

    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_CONFIG_NOSYSTEM: '1' },
      });

    it('a legacy document and a v5 file', () => {
      cpSync(path.join(FIXTURES, 'legacy/kong-demo-with-tests'), tmp, { recursive: true });
      const file = path.join(tmp, '.insomnia/Request/req_6e2ab1e0b4b24d0ba6ab7a6bd2a5a84c.yml');
      const files = readdirSync(path.join(tmp, '.insomnia/Request')).map((f) => path.join(tmp, '.insomnia/Request', f));
      const target = files.find((f) => readFileSync(f, 'utf8').includes('name: Create new transaction'))!;
      assert.ok(target, file);
      const token = plantedSecrets(3)['github-token'];
      const text = readFileSync(target, 'utf8').replace(/^headers:\n/m, `headers:\n  - name: Authorization\n    value: token ${token}\n`);
      const [f] = scanFileText(target, text);
      assert.equal(short(f), 'POST Create new transaction · header Authorization · GitHub token');
      assert.equal(f.collectionPath, path.join(tmp, '.insomnia'));
      const v5 = readFileSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), 'utf8').replace('base_url: localhost:3000', `base_url: localhost:3000\n        github_token: ${token}`);
      const found = scanFileText('/x/everything.yaml', v5);
      assert.deepEqual(found.map((x) => short(x)), ['environment "New Environment" · variable github_token · GitHub token']);
      assert.deepEqual(scanFileText('/x/openapi.yaml', 'openapi: 3.0.0\ntoken: ghp_nope\n'), []);
    });

    it('staged: only what the index adds over HEAD; unstaged edits and secrets already committed are not reported', async () => {
      cpSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(tmp, 'everything.yaml'));
      const p = plantedSecrets(5);
      const old = readFileSync(path.join(tmp, 'everything.yaml'), 'utf8').replace('base_url: localhost:3000', `base_url: localhost:3000\n        legacy_key: ${p['aws-access-key']}`);
      writeFileSync(path.join(tmp, 'everything.yaml'), old);
      git(tmp, 'init', '-q', '-b', 'main');
      git(tmp, 'add', '.');
      git(tmp, 'commit', '-qm', 'base');
      assert.deepEqual((await scanStagedSecrets(tmp)).findings, [], 'nothing staged');
      // staged: a token in a variable; then an unstaged one on top
      const staged = old.replace('legacy_key:', `gh_token: ${p['github-token']}\n        legacy_key:`);
      writeFileSync(path.join(tmp, 'everything.yaml'), staged);
      git(tmp, 'add', 'everything.yaml');
      writeFileSync(path.join(tmp, 'everything.yaml'), staged.replace('legacy_key:', `more: ${p['npm-token']}\n        legacy_key:`));
      writeFileSync(path.join(tmp, 'notes.yaml'), `key: ${p['stripe-live-key']}\n`);
      git(tmp, 'add', 'notes.yaml');
      const scan = await scanStagedSecrets(tmp);
      assert.deepEqual(scan.findings.map((f) => short(f)), ['environment "New Environment" · variable gh_token · GitHub token']);
      assert.deepEqual(scan.files, ['everything.yaml']);
      assert.equal(scan.findings[0].file, path.join(tmp, 'everything.yaml'));
      // newFindings: the same secret in the same place before and after is not new
      const before = scanFileText('/a.yaml', old);
      assert.equal(newFindings(before, before).length, 0);
    });
  });
});

export type { SecretFinding };
