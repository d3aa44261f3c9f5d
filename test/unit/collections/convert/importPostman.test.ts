// Postman collections (v2.0, v2.1) and environments: the real files under test/fixtures/import/postman, and
// collections the tests generate (deep folders, both auth shapes, every body mode, templates).
import * as assert from 'node:assert/strict';
import { importText } from '../../../../src/collections/convert/importText';
import { postmanTemplate } from '../../../../src/collections/convert/importPostman';
import { collectionToV5Text } from '../../../../src/collections/convert/v5Writer';
import { walkItems, type Collection, type Folder, type HttpRequest, type Item } from '../../../../src/collections/model';
import { exportPostman } from '../../../../src/collections/convert/exportPostman';
import { assertConsistent, byName, comparable, counts, fixtureText, only, tree } from './importFixtures';

const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const V20 = 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json';

function postman(item: unknown[], extra: Record<string, unknown> = {}, schema = V21): string {
  return JSON.stringify({ info: { _postman_id: 'x', name: 'Generated', schema }, item, ...extra });
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => unknown;

const droppedMap = (dropped: { what: string; count?: number }[]) => Object.fromEntries(dropped.map((d) => [d.what, d.count ?? 1]));

describe('importPostman: real collections', () => {
  it('httpiness v2.1: 29 requests in 5 folders, every body mode, every auth, the unsupported ones dropped by name', () => {
    const result = importText(fixtureText('import/postman/httpiness-conversion-test.postman_collection.v2.1.json'));
    assert.equal(result.format, 'postman-collection');
    const c = only(result);
    assertConsistent(c);
    assert.equal(c.name, 'postman-test-conversion-collection');
    assert.deepEqual(counts(c), { folders: 5, requests: 29, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 1 });
    assert.deepEqual(tree(c).filter((p) => p.endsWith('/')), ['Body/', 'Auth/', 'Auth/Supported/', 'Auth/Unsupported/', 'Folder with authorization/']);

    // bodies
    const formData = byName(c, 'FormData', 'request');
    assert.equal(formData.body.mimeType, 'multipart/form-data');
    assert.deepEqual(formData.body.params, [
      { name: 'key1', value: 'value1', type: 'text' },
      { name: 'key2', value: '', type: 'file', fileName: '/Users/bogdannikolic/Desktop/new_collection.json' },
      { name: 'key2', value: '', type: 'file', fileName: '/Users/bogdannikolic/Desktop/notarize.js' },
      { name: 'key3', value: '', type: 'file', fileName: '/Users/bogdannikolic/Desktop/New Collection.postman_collection6.json' },
      { name: 'key4', value: '{{ _.param4 }}', type: 'text' },
    ]);
    assert.deepEqual(byName(c, 'UrlEncoded', 'request').body, {
      mimeType: 'application/x-www-form-urlencoded',
      params: [{ name: 'key1', value: 'value1', type: 'text' }, { name: 'key2', value: '{{ _.param2 }}', type: 'text' }],
    });
    assert.deepEqual(byName(c, 'Raw-Text', 'request').body, { mimeType: 'text/plain', text: 'Hello world\nLine1\nLine2\n\nLine3' });
    assert.equal(byName(c, 'Raw-JSON', 'request').body.mimeType, 'application/json');
    assert.deepEqual(JSON.parse(byName(c, 'Raw-JSON', 'request').body.text!), { bla: 'blu', gle: { glo: 'dfdf' } });
    assert.equal(byName(c, 'Raw-XML', 'request').body.mimeType, 'application/xml');
    assert.equal(byName(c, 'Raw-XML', 'request').method, 'DELETE');
    assert.deepEqual(byName(c, 'Binary', 'request').body, { mimeType: 'application/octet-stream', fileName: '/Users/bogdannikolic/Desktop/iMac - 13.png' });
    assert.deepEqual(byName(c, 'Binary', 'request').headers, [], 'the empty header row is left out');
    assert.deepEqual(byName(c, 'GraphQL', 'request').body, { mimeType: 'application/graphql', text: '{"query":"hello world query"}' });

    // auth
    assert.deepEqual(byName(c, 'NoAuth', 'request').authentication, { type: 'none' });
    assert.deepEqual(byName(c, 'ApiKey-Header', 'request').authentication, { type: 'apikey', key: 'Authorization', value: '{{ _.AUTH_TOKEN }}', addTo: 'header' });
    assert.deepEqual(byName(c, 'ApiKey-Query', 'request').authentication, { type: 'apikey', key: 'Authorization', value: '{{ _.AUTH_TOKEN }}', addTo: 'queryParams' });
    assert.deepEqual(byName(c, 'Bearer', 'request').authentication, { type: 'bearer', token: '{{ _.BEARER_TOKEN }}', prefix: '' });
    assert.deepEqual(byName(c, 'Basic', 'request').authentication, { type: 'basic', username: 'username', password: 'password' });
    assert.deepEqual(byName(c, 'Digest', 'request').authentication, { type: 'digest', username: '', password: '' });
    assert.equal(byName(c, 'AWS', 'request').authentication.type, 'iam');
    const pkce = byName(c, 'OAuth2-AuthCodePKCE-SHA256', 'request').authentication;
    assert.deepEqual(
      [pkce.type, pkce.grantType, pkce.usePkce, pkce.pkceMethod, pkce.authorizationUrl, pkce.redirectUrl, pkce.tokenPrefix],
      ['oauth2', 'authorization_code', true, 'S256', '{{ _.auth_url }}', '{{ _.CALLBACK_URL }}', 'HeaderPrefix'],
    );
    assert.equal(byName(c, 'OAuth2-AuthCodePKCE-Plain', 'request').authentication.pkceMethod, 'plain');
    assert.equal(byName(c, 'OAuth2-AuthCode-BodyClientAuth', 'request').authentication.credentialsInBody, true);
    assert.equal(byName(c, 'OAuth2-AuthCode-BasicClientAuth', 'request').authentication.credentialsInBody, false);
    assert.equal(byName(c, 'OAuth2-Implicit', 'request').authentication.grantType, 'implicit');
    assert.equal(byName(c, 'OAuth2-ClientCredentials', 'request').authentication.grantType, 'client_credentials');
    // inherited: the request has none of its own, its folder's folder has the API key
    assert.deepEqual(byName(c, 'Inherit', 'request').authentication, {});
    assert.deepEqual(byName(c, 'Supported', 'folder').authentication, {});
    assert.deepEqual(byName(c, 'Auth', 'folder').authentication, { type: 'apikey', key: 'Inherit', value: 'ThisIsInherited', addTo: 'header' });
    assert.deepEqual(byName(c, 'Folder with authorization', 'folder').authentication, { type: 'basic', username: 'hello', password: 'world' });
    // unsupported: dropped by name, and the request sends no auth rather than its folder's
    for (const name of ['OAuth1', 'Hawk', 'NTLM', 'EdgeGrid']) assert.deepEqual(byName(c, name, 'request').authentication, { type: 'none' }, name);
    const dropped = droppedMap(result.dropped);
    assert.deepEqual(dropped, {
      'oauth1 auth of request "OAuth1"': 1,
      'hawk auth of request "Hawk"': 1,
      'ntlm auth of request "NTLM"': 1,
      'edgegrid auth of request "EdgeGrid"': 1,
      'GraphQL variables of "GraphQL"': 1,
    });
    assert.match(result.dropped.find((d) => d.what.startsWith('oauth1'))!.why, /OAuth 1\.0/);

    // url, query, headers
    const url = byName(c, 'URL', 'request');
    assert.equal(url.url, 'https://www.httpbin.oth/anything');
    assert.deepEqual(url.parameters, [
      { name: 'key1', value: 'value1' },
      { name: 'key2', value: '{{ _.value2 }}' },
      { name: 'key3', value: 'value3', disabled: true },
      { name: 'key4', value: 'value4' },
    ]);
    const headers = byName(c, 'Headers', 'request');
    assert.deepEqual(headers.headers[1], { name: '{{ _.param1 }} key2 {{ _.param3 }}', value: '{{ _.param4 }} value2 {{ _.param5 }}' });
    assert.deepEqual(headers.headers[2], { name: 'key3', value: 'value3', disabled: true });
    assert.deepEqual(result.warnings, ['1 request(s) had no URL']);
    // collection variables -> base environment
    assert.deepEqual(c.baseEnvironment!.data, { param4: 'param4_VALUE' });
  });

  it('conduit v2.1: 32 requests in 5 folders, 30 test scripts kept as after-response scripts in Insomnia`s API, descriptions kept', () => {
    const result = importText(fixtureText('import/postman/realworld-conduit.postman_collection.v2.1.json'));
    const c = only(result);
    assertConsistent(c);
    assert.deepEqual(counts(c), { folders: 5, requests: 32, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 1 });
    assert.equal(c.name, 'Conduit');
    assert.match(c.description, /^Collection for testing the Conduit API/);
    assert.deepEqual(result.dropped, []);
    assert.deepEqual(result.warnings, [
      "30 script(s) translated from Postman's API to Insomnia's (pm.*, postman.*, tests[...], responseBody... -> insomnia.*): 30 test (now after-response)",
      'Kept, may not run: tests[...] in 1 script(s) (test script of request "Login and Remember Token"): ' +
        "Insomnia has no `tests` object: only `tests['name'] = value;` assignments are translated (to insomnia.test)",
    ]);
    const requests = [...walkItems(c.children)].filter((i): i is HttpRequest => i.kind === 'request');
    const withScripts = requests.filter((r) => r.scripts.afterResponse !== '');
    assert.equal(withScripts.length, 30);
    for (const r of requests) assert.equal(r.scripts.preRequest, '', r.name);
    for (const r of withScripts) {
      const script = r.scripts.afterResponse;
      assert.doesNotMatch(script, /(?<![\w$.\-"'])(pm\.|responseBody|responseCode|tests\[['"][^\]]*\]\s*=)/, `${r.name}: nothing of Postman's API left`);
      assert.match(script, /insomnia\.test\(/, r.name);
      assert.doesNotThrow(() => new AsyncFunction('insomnia', script), `${r.name}: compiles as Insomnia runs it (an async function body)`);
    }
    const register = byName(c, 'Register', 'request');
    assert.equal(register.url, '{{ _.APIURL }}/users');
    assert.equal(register.method, 'POST');
    assert.equal(register.body.mimeType, 'application/json', 'from the Content-Type header');
    assert.equal(register.body.text, '{"user":{"email":"{{ _.EMAIL }}", "password":"{{ _.PASSWORD }}", "username":"{{ _.USERNAME }}"}}');
    assert.match(register.scripts.afterResponse, /^if \(!\(insomnia\.environment\.get\('isIntegrationTest'\)\)\) \{\nvar responseJSON = JSON\.parse\(insomnia\.response\.text\(\)\);\n\ninsomnia\.test\('Response contains "user" property', \(\) => \{ insomnia\.expect\(responseJSON\.hasOwnProperty\('user'\)\)\.to\.be\.true; \}\);\n/);
    assert.match(byName(c, 'Login and Remember Token', 'request').scripts.afterResponse, /insomnia\.globals\.set\('token', user\.token\);/);
    const tokenHeaders = [...walkItems(c.children)].filter((i) => i.kind === 'request' && i.headers.some((h) => h.value === 'Token {{ _.token }}'));
    assert.ok(tokenHeaders.length > 10, 'the `Token {{token}}` header converted');
  });

  it('argos v2.0: 5 requests in 5 nested folders, the v2.0 bearer shape on the collection given to its top-level folders, 26 examples dropped', () => {
    const result = importText(fixtureText('import/postman/argos-api.postman_collection.v2.0.json'));
    const c = only(result);
    assertConsistent(c);
    assert.deepEqual(counts(c), { folders: 5, requests: 5, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 1 });
    assert.deepEqual(tree(c), [
      'builds/',
      'builds/finalize/',
      'builds/finalize/finalize Builds',
      'builds/{buildId}/',
      'builds/{buildId}/update Build',
      'builds/create Build',
      'project/',
      'project/builds/',
      'project/builds/get Auth Project Builds',
      'project/get Auth Project',
    ]);
    for (const top of c.children) assert.deepEqual(top.kind === 'folder' && top.authentication, { type: 'bearer', token: 'REDACTED', prefix: '' });
    assert.deepEqual(byName(c, 'finalize Builds', 'request').authentication, {}, 'inherits from its folder');
    assert.deepEqual(c.baseEnvironment!.data, { baseUrl: 'https://api.argos-ci.com/v2' });
    const builds = byName(c, 'get Auth Project Builds', 'request');
    assert.equal(builds.url, '{{ _.baseUrl }}/project/builds');
    assert.deepEqual(builds.parameters[0], { name: 'perPage', value: '<string>', description: 'Number of items per page (max 100)' });
    assert.equal(builds.parameters.length, 4);
    assert.deepEqual(droppedMap(result.dropped), { 'saved example response': 26 });
    assert.match(result.warnings.join('\n'), /bearer auth was set on 2 top-level item/);
  });

  it('xero environment: a collection of scope environment whose base environment holds the 8 variables', () => {
    const result = importText(fixtureText('import/postman/xero-oauth2.postman_environment.json'), 'OAuth 2.0.postman_environment.json');
    assert.equal(result.format, 'postman-environment');
    const c = only(result);
    assert.equal(c.scope, 'environment');
    assert.equal(c.name, 'OAuth 2.0');
    assert.deepEqual(c.children, []);
    assert.deepEqual(counts(c).environments, 1);
    assert.deepEqual(Object.keys(c.baseEnvironment!.data), ['client_id', 'client_secret', 'refresh_token', 'access_token', 'xero-tenant-id', 're_directURI', 'scopes', 'state']);
    assert.ok(Object.values(c.baseEnvironment!.data).every((v) => v === ''));
    assert.deepEqual(result.dropped, []);
    // written as an `environment.insomnia.rest/5.0` file, it reads back the same
    const text = collectionToV5Text(c, { now: 1 });
    assert.match(text, /^type: environment\.insomnia\.rest\/5\.0$/m);
    assert.deepEqual(comparable(only(importText(text))), comparable(c));
  });

  it('every real collection round-trips through Hammock`s v5 writer to the same model', () => {
    for (const file of ['httpiness-conversion-test.postman_collection.v2.1.json', 'realworld-conduit.postman_collection.v2.1.json', 'argos-api.postman_collection.v2.0.json']) {
      const first = only(importText(fixtureText(`import/postman/${file}`)));
      const again = only(importText(collectionToV5Text(first, { now: 1 })));
      assert.deepEqual(comparable(again), comparable(first), file);
    }
  });
});

describe('importPostman: generated collections', () => {
  it('deep folders (6 levels, 3 wide): the tree, parents and source order are kept', () => {
    let n = 0;
    const level = (depth: number): unknown[] =>
      Array.from({ length: 3 }, (_, i) =>
        depth === 0
          ? { name: `r${n++}`, request: { method: 'get', url: `https://x.test/${n}` } }
          : { name: `f${depth}.${i}`, item: [...level(depth - 1), { name: `r${n++}`, request: `https://x.test/s${n}` }] },
      );
    const result = importText(postman(level(5)));
    const c = only(result);
    assertConsistent(c);
    // 3 + 9 + ... + 3^5 folders; 3^6 leaves + one extra request per folder
    const folders = 3 + 9 + 27 + 81 + 243;
    assert.deepEqual(counts(c), { folders, requests: 729 + folders, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 1 });
    const deepest = byName(c, 'r0', 'request');
    assert.equal(deepest.method, 'GET');
    const chain: string[] = [];
    const parents = new Map<string, Item>();
    for (const item of walkItems(c.children)) parents.set(item.id, item);
    for (let p = parents.get(deepest.parentId); p; p = parents.get(p.parentId)) chain.unshift(p.name);
    assert.deepEqual(chain, ['f5.0', 'f4.0', 'f3.0', 'f2.0', 'f1.0']);
    // source order: a folder's sub-folders, then the request written after them
    const first = c.children[0] as Folder;
    assert.deepEqual(first.children.map((i) => i.kind), ['folder', 'folder', 'folder', 'request']);
    assert.deepEqual(first.children.slice(0, 3).map((i) => i.name), ['f4.0', 'f4.1', 'f4.2']);
    assert.deepEqual(c.children.map((i) => i.name), ['f5.0', 'f5.1', 'f5.2']);
    assert.equal(byName(c, 'r3', 'request').url, 'https://x.test/s4', 'a request given as a bare URL string');
  });

  it('v2.0 and v2.1 auth shapes give the same auth', () => {
    const fields = { username: 'u', password: '{{pw}}' };
    const v20 = importText(postman([{ name: 'r', request: { url: 'https://x', auth: { type: 'basic', basic: fields } } }], {}, V20));
    const v21 = importText(postman([{ name: 'r', request: { url: 'https://x', auth: { type: 'basic', basic: Object.entries(fields).map(([key, value]) => ({ key, value })) } } }]));
    const expected = { type: 'basic', username: 'u', password: '{{ _.pw }}' };
    assert.deepEqual(byName(only(v20), 'r', 'request').authentication, expected);
    assert.deepEqual(byName(only(v21), 'r', 'request').authentication, expected);
    const oauth2 = { grant_type: 'password_credentials', accessTokenUrl: 'https://t', username: 'a', password: 'b', addTokenTo: 'queryParams' };
    const o = importText(postman([{ name: 'r', request: { url: 'https://x', auth: { type: 'oauth2', oauth2 } } }], {}, V20));
    const auth = byName(only(o), 'r', 'request').authentication;
    assert.deepEqual([auth.grantType, auth.accessTokenUrl, auth.username, auth.password], ['password', 'https://t', 'a', 'b']);
    assert.deepEqual(droppedMap(o.dropped), { 'OAuth 2.0 "add token to query"': 1 });
    const aws = importText(postman([{ name: 'r', request: { url: 'https://x', auth: { type: 'awsv4', awsv4: [{ key: 'accessKey', value: 'AK' }, { key: 'secretKey', value: 'SK' }, { key: 'region', value: 'eu-west-1' }, { key: 'service', value: 's3' }] } } }]));
    assert.deepEqual(byName(only(aws), 'r', 'request').authentication, { type: 'iam', accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: '', region: 'eu-west-1', service: 's3' });
  });

  it('path variables, a string URL with a query, folder variables, disabled variables, redirect settings, descriptions', () => {
    const items = [
      {
        name: 'F',
        description: { content: 'folder doc', type: 'text/markdown' },
        variable: [{ key: 'inner', value: '{{outer}}/x' }],
        item: [
          {
            name: 'Get user',
            protocolProfileBehavior: { followRedirects: false, strictSSL: false },
            request: {
              method: 'GET',
              description: 'Gets a user',
              url: { raw: 'https://x.test/users/:id/posts/:post/:rev?full=1', variable: [{ key: 'id', value: '{{userId}}', description: 'the user' }, { id: 'post', value: '9' }] },
            },
          },
          { name: 'Search', request: { method: 'GET', url: 'https://x.test/s?q={{term}}&flag&empty=#frag' } },
        ],
      },
    ];
    const result = importText(postman(items, { variable: [{ key: 'outer', value: 'o' }, { key: 'off', value: 'x', disabled: true }, { key: 'n', value: 3 }] }));
    const c = only(result);
    const get = byName(c, 'Get user', 'request');
    assert.equal(get.url, 'https://x.test/users/:id/posts/:post/:rev');
    assert.deepEqual(get.pathParameters, [{ name: 'id', value: '{{ _.userId }}', description: 'the user' }, { name: 'post', value: '9' }, { name: 'rev', value: '' }]);
    assert.deepEqual(get.parameters, [{ name: 'full', value: '1' }]);
    assert.equal(get.description, 'Gets a user');
    assert.equal(get.settings.followRedirects, 'off');
    const search = byName(c, 'Search', 'request');
    assert.equal(search.url, 'https://x.test/s');
    assert.deepEqual(search.parameters, [{ name: 'q', value: '{{ _.term }}' }, { name: 'flag', value: '' }, { name: 'empty', value: '' }]);
    const f = byName(c, 'F', 'folder');
    assert.equal(f.description, 'folder doc');
    assert.deepEqual(f.environment, { inner: '{{ _.outer }}/x' });
    assert.deepEqual(c.baseEnvironment!.data, { outer: 'o', n: 3 });
    assert.deepEqual(droppedMap(result.dropped), { 'protocolProfileBehavior.strictSSL': 1, 'disabled collection variable': 1 });
  });

  it('scripts: request and folder events become their scripts, translated; the collection`s go on a folder holding every item', () => {
    const script = (listen: string, exec: string[] | string, extra: Record<string, unknown> = {}) => ({ listen, script: { type: 'text/javascript', exec }, ...extra });
    const items = [
      {
        name: 'F',
        event: [script('prerequest', ['pm.variables.set("a", 1)', 'postman.setNextRequest("r")']), script('test', 'pm.visualizer.set(tpl, data);')],
        item: [{ name: 'r', event: [script('test', ['tests["ok"] = responseCode.code === 200;']), script('prerequest', ['']), script('test', ['pm.cookies.get("s")'])], request: 'https://x' }],
      },
      { name: 'top', event: [script('prerequest', ['x()'], { disabled: true }), script('beforeAll', ['y()'])], request: 'https://y' },
    ];
    const collectionEvents = [script('prerequest', ['pm.environment.set("t", Date.now());']), script('test', ['', ' '])];
    const result = importText(postman(items, { event: collectionEvents, auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{tok}}' }] } }));
    const c = only(result);
    assertConsistent(c);
    // the collection's scripts and auth: on one folder named after it, holding every item in order
    assert.deepEqual(tree(c), ['Generated/', 'Generated/F/', 'Generated/F/r', 'Generated/top']);
    const holder = byName(c, 'Generated', 'folder');
    assert.deepEqual(holder.scripts, { preRequest: 'insomnia.environment.set("t", Date.now());', afterResponse: '' });
    assert.deepEqual(holder.authentication, { type: 'bearer', token: '{{ _.tok }}', prefix: '' });
    assert.deepEqual(byName(c, 'F', 'folder').authentication, {}, 'inherits from the holder, as from the collection in Postman');
    assert.deepEqual(byName(c, 'F', 'folder').scripts, { preRequest: 'insomnia.variables.set("a", 1)\ninsomnia.execution.setNextRequest("r")', afterResponse: 'insomnia.visualizer.set(tpl, data);' });
    // two test events of one request are joined in order
    assert.deepEqual(byName(c, 'r', 'request').scripts, { preRequest: '', afterResponse: 'insomnia.test("ok", () => { insomnia.expect(insomnia.response.code === 200).to.be.true; });\ninsomnia.cookies.get("s")' });
    assert.deepEqual(byName(c, 'top', 'request').scripts, { preRequest: '', afterResponse: '' });
    assert.deepEqual(droppedMap(result.dropped), { 'disabled pre-request script': 1, 'beforeAll script': 1 });
    assert.deepEqual(result.warnings, [
      'The collection\'s scripts are on a folder "Generated" that holds all its items (Insomnia collections have no scripts of their own)',
      "4 script(s) translated from Postman's API to Insomnia's (pm.*, postman.*, tests[...], responseBody... -> insomnia.*): 2 pre-request, 2 test (now after-response)",
      'Kept, may not run: pm.visualizer in 1 script(s) (test script of folder "F"): Insomnia\'s script API has no visualizer (Postman draws pm.visualizer templates in its own UI)',
      'Kept, may not run: pm.cookies in 1 script(s) (test script of request "r"): Insomnia\'s script API as Hammock runs it has no cookie jar (insomnia.cookies)',
    ]);
  });

  it('scripts: without collection scripts no folder is added; a construct in many scripts is listed once, with the first three places', () => {
    const test = (exec: string) => [{ listen: 'test', script: { exec: [exec] } }];
    const items = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, event: test('pm.visualizer.set("<b/>")'), request: `https://x/${name}` }));
    const result = importText(postman(items, { event: [{ listen: 'prerequest', script: { exec: [] } }] }));
    const c = only(result);
    assert.deepEqual(tree(c), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(result.warnings.length, 2);
    assert.equal(
      result.warnings[1],
      'Kept, may not run: pm.visualizer in 5 script(s) (test script of request "a", test script of request "b", test script of request "c" and 2 more): ' +
        "Insomnia's script API has no visualizer (Postman draws pm.visualizer templates in its own UI)",
    );
  });

  it('scripts: Hammock`s Postman export (insomnia. -> pm.) imports back to the same scripts on the same items', () => {
    const ev = (listen: string, exec: string[]) => ({ listen, script: { exec } });
    const items = [
      { name: 'F', event: [ev('prerequest', ["pm.variables.set('a', 1);"])], item: [{ name: 'r', event: [ev('test', ["pm.test('ok', () => pm.expect(pm.response.code).to.equal(200));"])], request: 'https://x/r' }] },
    ];
    const first = only(importText(postman(items)));
    const again = only(importText(exportPostman(first).text));
    const scripts = (c: Collection) => [...walkItems(c.children)].map((i) => [i.name, i.kind === 'folder' || i.kind === 'request' ? i.scripts : undefined]);
    assert.deepEqual(scripts(again), scripts(first));
    assert.equal(byName(again, 'r', 'request').scripts.afterResponse, "insomnia.test('ok', () => insomnia.expect(insomnia.response.code).to.equal(200));");
  });

  it('bodies: raw without language or header is text/plain, a file given as content, GraphQL variables, disabled rows', () => {
    const items = [
      { name: 'raw', request: { method: 'POST', url: 'https://x', body: { mode: 'raw', raw: 'hi {{name}}' } } },
      { name: 'rawHeader', request: { method: 'POST', url: 'https://x', header: [{ key: 'Content-Type', value: 'application/vnd.api+json; charset=utf-8' }], body: { mode: 'raw', raw: '{}', options: { raw: { language: 'json' } } } } },
      { name: 'gql', request: { method: 'POST', url: 'https://x', body: { mode: 'graphql', graphql: { query: 'query Q($id: ID) { a(id: $id) }', variables: '{"id": "{{id}}"}' } } } },
      { name: 'form', request: { method: 'POST', url: 'https://x', body: { mode: 'urlencoded', urlencoded: [{ key: 'a', value: '1', disabled: true, description: 'd' }] } } },
      { name: 'content', request: { method: 'PUT', url: 'https://x', body: { mode: 'file', file: { content: 'inline {{v}}' } } } },
      { name: 'none', request: { method: 'POST', url: 'https://x', body: { mode: 'none' } } },
      { name: 'parts', request: { method: 'POST', url: 'https://x', body: { mode: 'formdata', formdata: [{ key: 'j', value: '{}', type: 'text', contentType: 'application/json' }, { key: 'f', type: 'file', src: null }] } } },
    ];
    const result = importText(postman(items));
    const c = only(result);
    assert.deepEqual(byName(c, 'raw', 'request').body, { mimeType: 'text/plain', text: 'hi {{ _.name }}' });
    assert.equal(byName(c, 'rawHeader', 'request').body.mimeType, 'application/vnd.api+json');
    assert.deepEqual(JSON.parse(byName(c, 'gql', 'request').body.text!), { query: 'query Q($id: ID) { a(id: $id) }', variables: { id: '{{ _.id }}' } });
    assert.deepEqual(byName(c, 'form', 'request').body.params, [{ name: 'a', value: '1', disabled: true, description: 'd' }]);
    assert.deepEqual(byName(c, 'content', 'request').body, { mimeType: 'text/plain', text: 'inline {{ _.v }}' });
    assert.deepEqual(byName(c, 'none', 'request').body, {});
    assert.deepEqual(byName(c, 'parts', 'request').body.params, [{ name: 'j', value: '{}', type: 'text' }, { name: 'f', value: '', type: 'file', fileName: '' }]);
    assert.deepEqual(droppedMap(result.dropped), { 'content type of a form-data part': 1 });
  });

  it('an environment file: disabled values dropped, secret ones kept with a warning, templates converted', () => {
    const env = { name: 'Prod', _postman_variable_scope: 'environment', values: [{ key: 'host', value: 'h', enabled: true }, { key: 'url', value: 'https://{{host}}', enabled: true }, { key: 'old', value: 'x', enabled: false }, { key: 'key', value: 's3cret', type: 'secret', enabled: true }] };
    const result = importText(JSON.stringify(env));
    const c = only(result);
    assert.deepEqual(c.baseEnvironment!.data, { host: 'h', url: 'https://{{ _.host }}', key: 's3cret' });
    assert.deepEqual(droppedMap(result.dropped), { 'disabled environment variable': 1 });
    assert.match(result.warnings.join('\n'), /Secret values/);
  });

  it('a malformed collection: `item` not a list is an ImportError naming it', () => {
    assert.throws(() => importText(JSON.stringify({ info: { name: 'x', schema: V21 }, item: {} })), /Not a Postman collection: `item` is not a list/);
  });
});

describe('postmanTemplate', () => {
  it('turns {{var}} into Insomnia`s {{ _.var }}, odd names into _[...], dynamic variables into tags', () => {
    assert.deepEqual(postmanTemplate('{{base}}/a/{{ id }}'), { text: '{{ _.base }}/a/{{ _.id }}', dynamic: 0 });
    assert.equal(postmanTemplate('{{client id}}').text, "{{ _['client id'] }}");
    assert.equal(postmanTemplate('{{my-var}}').text, "{{ _['my-var'] }}");
    assert.equal(postmanTemplate("{{it's}}").text, "{{ _['it\\'s'] }}");
    assert.deepEqual(postmanTemplate('{{$guid}} {{$timestamp}} {{$randomFirstName}}'), { text: "{% uuid 'v4' %} {% now 'unix' %} {% faker 'randomFirstName' %}", dynamic: 3 });
    assert.equal(postmanTemplate('{{$unknownThing}}').text, "{{ _['$unknownThing'] }}");
    assert.equal(postmanTemplate('no templates, {single} braces').text, 'no templates, {single} braces');
  });
});
