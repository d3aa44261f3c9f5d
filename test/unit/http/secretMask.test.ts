// What a Send masks in the response history it keeps: the values that came from secrets.
import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Environment } from '../../../src/collections/model';
import { maskable, maskBytes, maskedJson, maskFile, maskSecretsIn, RunSession, sentSecrets } from '../../../src/http';
import * as chai from 'chai';
import type { HttpResponse, RenderedRequest } from '../../../src/http/types';
import { collection, folder, request } from './modelBuilders';

describe('sentSecrets', () => {
  it('the private environment\'s values (nested too), the vault\'s, the Authorization credentials (an OAuth token), a Digest password', () => {
    const priv = { id: 'env_p', name: 'Mine', isPrivate: true, data: { token: 'p4ss-w0rd-42', nested: { key: 'n3sted-key' }, port: 8080 } } as unknown as Environment;
    const basic = Buffer.from('me:pw-from-prompt').toString('base64');
    const secrets = sentSecrets({ privateEnvironment: priv }, { key: 'v4ult-s3cret' }, {
      headers: [['Authorization', 'Bearer oauth-access-token'], ['Proxy-Authorization', `Basic ${basic}`], ['X-Stage', 'dev']],
      challengeAuth: { type: 'digest', username: 'me', password: 'digest-pw' },
    });
    for (const s of ['p4ss-w0rd-42', 'n3sted-key', 'v4ult-s3cret', 'oauth-access-token', basic, 'digest-pw']) assert.ok(secrets.includes(s), s);
    assert.equal(secrets.includes('Bearer oauth-access-token'), false, 'the scheme stays readable');
    assert.equal(secrets.includes('dev'), false, 'another header is not a secret');
    assert.deepEqual(sentSecrets(undefined, undefined, undefined), []);
  });

  it('a value of the private environment as the Send found it, which a script replaced, is still one (it was sent)', () => {
    const found = { id: 'env_p', name: 'Mine', isPrivate: true, data: { token: 'old-t0ken-sent' } } as unknown as Environment;
    const left = { ...found, data: { token: 'fresh-t0ken-set' } } as Environment;
    const secrets = sentSecrets({ privateEnvironment: left }, undefined, undefined, found);
    assert.ok(secrets.includes('old-t0ken-sent'));
    assert.ok(secrets.includes('fresh-t0ken-set'));
    assert.deepEqual(sentSecrets(undefined, undefined, undefined, 'env_in_a_file'), [], 'an environment in a file: none of its values');
  });

  it('the values of environments in files that look like secrets (by name or by value, as the variable previews mask them): base, active sub-environment, folders above', () => {
    const github = `ghp_${'Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5'}`;
    const req = request('req_1');
    const col = collection([folder('fld_1', [req], { environment: { service: { password: 'f0lder-pw-1' }, region: 'eu-west-1' } })], {
      api_key: 'b4se-api-key', host: 'localhost:3000', note: `see ${github}`, token: '{{ _.raw }}', pin: 'abc',
    }, { env_sub: { client_secret: 'sub-cl1ent-secret', stage: 'dev' }, env_other: { password: 'n0t-the-active-one' } });
    const secrets = sentSecrets({ collection: col }, undefined, undefined, 'env_sub', 'req_1');
    for (const s of ['b4se-api-key', `see ${github}`, 'sub-cl1ent-secret', 'f0lder-pw-1']) assert.ok(secrets.includes(s), s);
    for (const s of ['localhost:3000', 'dev', 'eu-west-1', '{{ _.raw }}', 'n0t-the-active-one']) assert.equal(secrets.includes(s), false, s);
  });

  it('the folders above the request, when the caller gives them (a run knows them), are the ones read: the same secrets, no walk of the tree', () => {
    const inner = folder('fld_2', [request('req_1')], { environment: { token: '{{ _.outer_pw }}-inner', password: 'inn3r-pw-value' } });
    const outer = folder('fld_1', [inner], { environment: { outer_pw: 'out3r-pw-value', password: '{{ _.outer_pw }}' } });
    const col = collection([request('req_0'), outer], { api_key: 'b4se-api-key' });
    const walked = sentSecrets({ collection: col }, undefined, undefined, undefined, 'req_1');
    const given = sentSecrets({ collection: col }, undefined, undefined, undefined, 'req_1', undefined, [outer, inner]);
    assert.deepEqual(given, walked);
    for (const s of ['b4se-api-key', 'inn3r-pw-value', 'out3r-pw-value-inner']) assert.ok(given.includes(s), `${s}: ${given.join(', ')}`);
    // what is given is what is read (the run's own list, not the tree's)
    const elsewhere = folder('fld_9', [], { environment: { password: 'g1ven-f0lder-pw' } });
    assert.ok(sentSecrets({ collection: col }, undefined, undefined, undefined, 'req_1', undefined, [elsewhere]).includes('g1ven-f0lder-pw'));
  });
});

describe('sentSecrets: values that are templates or numbers', () => {
  it('a secret-looking variable whose value is a template is masked as it renders; one that is a number, as its digits', () => {
    const req = request('req_1');
    const col = collection([folder('fld_1', [req], { environment: { auth: { password: '{{ _.folder_pw }}' }, folder_pw: 'f0lder-pw-rendered' } })], {
      raw: 'r4w-t0ken-value', token: '{{ _.raw }}', prefix: 'pre', api_key: '{{ _.prefix }}-{{ _.raw }}-k', db_password: 98765432, port: 8080,
    });
    const secrets = sentSecrets({ collection: col }, undefined, undefined, undefined, 'req_1');
    for (const s of ['r4w-t0ken-value', 'pre-r4w-t0ken-value-k', 'f0lder-pw-rendered', '98765432']) assert.ok(secrets.includes(s), s);
    for (const s of ['8080', 'pre']) assert.equal(secrets.includes(s), false, `${s}: not a secret by its name or its value`);
    // a private environment's values are all secrets: its templates as they render too
    const priv = { id: 'env_p', name: 'Mine', isPrivate: true, data: { mine: '{{ _.raw }}-mine' } } as unknown as Environment;
    const own = sentSecrets({ collection: col, privateEnvironment: priv }, undefined, undefined, priv, 'req_1');
    assert.ok(own.includes('r4w-t0ken-value-mine'), own.join(', '));
  });

  it('a secret-named variable whose template uses a global (insomnia.globals) is masked as the Send rendered it', async () => {
    const req = request('req_1', { headers: [{ name: 'X-Api-Key', value: '{{ _.api_token }}' }] } as never);
    const col = collection([req], { api_token: '{{ _.g_tok }}' });
    const response = { status: 200, statusText: 'OK', url: '', headers: [], body: Buffer.from(''), truncated: false, bodySize: 0, encodedBodySize: 0, headersSize: 0, timings: { total: 1 }, cookies: [], redirects: [], rawRequestHead: '', rawResponseHead: '' } as unknown as HttpResponse;
    const sent: RenderedRequest[] = [];
    const session = new RunSession(col, undefined, { sandbox: undefined as never, send: async (r) => (sent.push(r), response) }, { g_tok: 'gl0bal-t0ken-value' });
    await session.runRequest(req);
    // the oracle: what the Send put in the header
    const header = sent[0]?.headers.find(([n]) => n === 'X-Api-Key')?.[1];
    assert.equal(header, 'gl0bal-t0ken-value');
    assert.ok(sentSecrets(session, undefined, sent[0], undefined, 'req_1').includes(header!), 'the value sent for api_token is masked');
  });

  it('a secret-named variable whose value is a tag (a chained token: `{% response ... %}`, here `{% uuid %}`) is masked as the Send rendered it, nested ones too', async () => {
    const req = request('req_1', { headers: [{ name: 'X-Api-Key', value: '{{ _.api_key }}' }, { name: 'X-Sig', value: '{{ _.auth.secret }}' }] } as never);
    const col = collection([req], { api_key: "{% uuid 'v4' %}", auth: { secret: "{% uuid 'v4' %}" } });
    const response = { status: 200, statusText: 'OK', url: '', headers: [], body: Buffer.from(''), truncated: false, bodySize: 0, encodedBodySize: 0, headersSize: 0, timings: { total: 1 }, cookies: [], redirects: [], rawRequestHead: '', rawResponseHead: '' } as unknown as HttpResponse;
    const sent: RenderedRequest[] = [];
    const session = new RunSession(col, undefined, { sandbox: undefined as never, send: async (r) => (sent.push(r), response) });
    const run = await session.runRequest(req);
    // the oracle: what the Send put in the headers (a tag renders anew at every Send: only this Send's values do)
    const header = (name: string) => sent[0]?.headers.find(([n]) => n === name)?.[1];
    assert.match(header('X-Api-Key') ?? '', /^[0-9a-f-]{36}$/);
    assert.match(header('X-Sig') ?? '', /^[0-9a-f-]{36}$/);
    const secrets = sentSecrets(session, undefined, sent[0], undefined, 'req_1', run.renderedTagValues);
    assert.ok(secrets.includes(header('X-Api-Key')!), `the value sent for api_key is masked: ${secrets.join(', ')}`);
    assert.ok(secrets.includes(header('X-Sig')!), `the value sent for auth.secret is masked: ${secrets.join(', ')}`);
  });

  it('a secret-named variable whose template leads to a tag through another variable (`api_key: "{{ chained }}"`, a variable not named as a secret) is masked as the Send rendered it', async () => {
    const req = request('req_1', { headers: [{ name: 'X-Api-Key', value: '{{ _.api_key }}' }] } as never);
    const col = collection([req], { chained: "{% uuid 'v4' %}", api_key: '{{ chained }}' });
    const response = { status: 200, statusText: 'OK', url: '', headers: [], body: Buffer.from(''), truncated: false, bodySize: 0, encodedBodySize: 0, headersSize: 0, timings: { total: 1 }, cookies: [], redirects: [], rawRequestHead: '', rawResponseHead: '' } as unknown as HttpResponse;
    const sent: RenderedRequest[] = [];
    const session = new RunSession(col, undefined, { sandbox: undefined as never, send: async (r) => (sent.push(r), response) });
    const run = await session.runRequest(req);
    const header = sent[0]?.headers.find(([n]) => n === 'X-Api-Key')?.[1];
    assert.match(header ?? '', /^[0-9a-f-]{36}$/);
    const secrets = sentSecrets(session, undefined, sent[0], undefined, 'req_1', run.renderedTagValues);
    assert.ok(secrets.includes(header!), `the value sent for api_key is masked: ${secrets.join(', ')}`);
  });
});

describe('maskSecretsIn', () => {
  const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc-and-more-of-the-key';
  /** the message chai gives for the assertion (the sandbox's chai: a long string is cut short with `…`). */
  const chaiMessage = (fn: () => void): string => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('chai did not fail');
  };

  it('a secret chai cut short in an assertion message is masked, its beginning and the ellipsis', () => {
    const message = chaiMessage(() => chai.expect(secret).to.equal('nope'));
    assert.match(message, /^expected 'sk_live_4eC39Hq.*…' to equal 'nope'$/, 'chai cuts it short');
    assert.equal(maskSecretsIn(message, maskable([secret])), "expected '••••••' to equal 'nope'");
    // inside another text, and the whole secret beside it
    assert.equal(maskSecretsIn(`a ${secret} b, then ${message}`, maskable([secret])), "a •••••• b, then expected '••••••' to equal 'nope'");
    // the response history's files and `hammock run`'s reports go through it
    const json = maskedJson({ secrets: [secret], tests: [{ name: 't', error: message }] } as { secrets: string[] });
    assert.ok(!json.includes('sk_live_4eC'), json);
  });

  it('leaves alone an ellipsis after text no secret begins with, and a secret\'s first few characters', () => {
    const masks = maskable([secret]);
    assert.equal(maskSecretsIn('loading… done', masks), 'loading… done');
    assert.equal(maskSecretsIn('sk_live… is a prefix', masks), 'sk_live… is a prefix', 'seven characters: too few to tell');
    assert.equal(maskSecretsIn('sk_live_4… two', masks), '•••••• two');
    assert.equal(maskSecretsIn('xsk_live_4eC39Hq…', masks), 'x••••••');
  });
});

describe('maskFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-maskfile-'));
  });
  afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

  it('masks every secret in a file of MBs in place, those across the read chunks\' edges too (a secret inside another goes with it); only this user may read it', async () => {
    const file = path.join(dir, 'body.bin');
    const long = 'tok-abcdefgh-LONG';
    const short = 'abcdefgh';
    const body = Buffer.alloc(3 * 1024 * 1024 + 17, 'x');
    // at and around each 64 KB read chunk's edge, and one near the end
    const at: number[] = [];
    for (let edge = 65_536; edge < body.length - 64; edge += 65_536) at.push(edge - 5, edge + 30);
    at.push(body.length - long.length);
    for (const [i, p] of at.entries()) body.write(i % 3 ? long : short, p);
    await fsp.writeFile(file, body);
    assert.equal(await maskFile(file, [short, long, 'no', short]), true);
    const masked = await fsp.readFile(file);
    assert.equal(masked.includes(short), false);
    assert.equal(masked.includes(long), false);
    assert.deepEqual(masked, maskBytes(body, [short, long]), 'what maskBytes makes of the same bytes at once');
    if (process.platform !== 'win32') assert.equal((await fsp.stat(file)).mode & 0o077, 0);
    assert.deepEqual(await fsp.readdir(dir), ['body.bin'], 'no copy left');
  });

  it('nothing to mask: left as it is; a file it cannot mask (gone) is not left, and it says so', async () => {
    const file = path.join(dir, 'body.bin');
    await fsp.writeFile(file, 'plain');
    assert.equal(await maskFile(file, ['no']), true);
    assert.equal(await fsp.readFile(file, 'utf8'), 'plain');
    assert.equal(await maskFile(path.join(dir, 'gone.bin'), ['secret-1']), false);
    assert.deepEqual(await fsp.readdir(dir), ['body.bin']);
  });
});
