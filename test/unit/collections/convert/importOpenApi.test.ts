// The OpenAPI 3.0/3.1 and Swagger 2.0 importer: the three real specs of test/fixtures/import/openapi (counts and
// field by field), round trips through the v5 writer, generated specs (N operations, $refs, a cycle, every security
// scheme kind, bodies of every media type, what is dropped), an imported request sent to the loopback echo server,
// and malformed input.
import * as assert from 'node:assert/strict';
import { dump } from 'js-yaml';
import { importOpenApi, openApiKind } from '../../../../src/collections/convert/importOpenApi';
import { importText } from '../../../../src/collections/convert/importText';
import type { ImportResult } from '../../../../src/collections/convert/importTypes';
import { collectionToV5Text } from '../../../../src/collections/convert/v5Writer';
import { walkItems, type Collection, type Folder, type HttpRequest } from '../../../../src/collections/model';
import { buildRenderContext, closeConnections, renderRequest, sendRequest } from '../../../../src/http';
import { startTestServer } from '../../../support/httpServer';
import { assertConsistent, byName, comparable, counts, fixtureText, only, throwsImport, tree } from './importFixtures';

function requestsOf(c: Collection): HttpRequest[] {
  return [...walkItems(c.children)].filter((i): i is HttpRequest => i.kind === 'request');
}

function req(c: Collection, name: string): HttpRequest {
  return byName(c, name, 'request');
}

function folder(c: Collection, name: string): Folder {
  return byName(c, name, 'folder');
}

function importDoc(doc: unknown, syntax: 'json' | 'yaml' = 'yaml'): ImportResult {
  const text = syntax === 'json' ? JSON.stringify(doc, null, 2) : dump(doc);
  return importText(text, `spec.${syntax}`);
}

const dropped = (r: ImportResult, what: string) => r.dropped.find((d) => d.what === what);

describe('importOpenApi: traccar (OpenAPI 3.1, 65 operations)', () => {
  const text = fixtureText('import/openapi/traccar.openapi-3.1.yaml');
  const result = importText(text, 'traccar.openapi-3.1.yaml');
  const c = only(result);

  it('one design collection keeping the spec text, 65 requests in 17 folders (first tag, in the tags order)', () => {
    assert.equal(result.format, 'openapi');
    assert.equal(c.name, 'Traccar');
    assert.equal(c.scope, 'design');
    assert.match(c.description, /^Traccar GPS tracking server API documentation/);
    assert.equal(c.spec?.contents, text);
    assert.match(c.spec?.id ?? '', /^spc_[0-9a-f]{32}$/);
    assert.deepEqual(counts(c), { folders: 17, requests: 65, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 7 });
    assert.deepEqual(c.children.map((f) => f.name).slice(0, 5), ['Server', 'Session', 'Devices', 'Groups', 'Users']);
    assert.ok(c.children.every((f) => f.kind === 'folder'));
    assert.equal(folder(c, 'Devices').description, 'Device management');
    assertConsistent(c);
  });

  it('servers: base_url is the first, one sub-environment per server, the templated one with its defaults and its enum noted', () => {
    const base = c.baseEnvironment!;
    assert.equal(base.id.length, 'env_'.length + 40);
    assert.deepEqual(base.data, { base_url: 'https://demo.traccar.org/api', username: '', password: '' });
    assert.deepEqual(
      base.subEnvironments.map((s) => [s.name, s.data]),
      [
        ['Demo Server 1', { base_url: 'https://demo.traccar.org/api' }],
        ['Demo Server 2', { base_url: 'https://demo2.traccar.org/api' }],
        ['Demo Server 3', { base_url: 'https://demo3.traccar.org/api' }],
        ['Demo Server 4', { base_url: 'https://demo4.traccar.org/api' }],
        ['Subscription Server', { base_url: 'https://server.traccar.org/api' }],
        ['Other Server', { base_url: 'http://localhost:8082/api' }],
      ],
    );
    assert.deepEqual(result.warnings, ['Server "Other Server": variable {port} can be 8082, 80; its default 8082 is used']);
  });

  it('security: the first alternative (basic) on every request, its variables in the base environment; the other noted', () => {
    for (const r of requestsOf(c)) assert.deepEqual(r.authentication, { type: 'basic', username: '{{ _.username }}', password: '{{ _.password }}' }, r.name);
    assert.deepEqual(dropped(result, 'other security alternatives'), {
      what: 'other security alternatives',
      why: 'an Insomnia request has one auth: the first alternative of each operation is used',
      count: 65,
    });
  });

  it('parameters: $ref parameters resolved, optional ones disabled, path parameters as :name', () => {
    const list = req(c, 'Fetch a list of Devices');
    assert.equal(list.method, 'GET');
    assert.equal(list.url, '{{ _.base_url }}/devices');
    assert.deepEqual(list.parameters.map((p) => [p.name, p.value, p.disabled]), [
      ['all', '', true],
      ['userId', '', true],
      ['id', '', true],
      ['uniqueId', '', true],
    ]);
    assert.equal(list.parameters[0].description, 'Can only be used by admins or managers to fetch all entities');
    assert.equal(list.description, "Without any params, returns a list of the user's devices");
    const update = req(c, 'Update a Device');
    assert.equal(update.method, 'PUT');
    assert.equal(update.url, '{{ _.base_url }}/devices/:id');
    assert.deepEqual(update.pathParameters, [{ name: 'id', value: '' }]);
    assert.equal(update.parentId, folder(c, 'Devices').id);
    const del = req(c, 'Deletes all the Positions of a device in the time span specified');
    assert.deepEqual(del.parameters.map((p) => [p.name, p.disabled]), [['deviceId', undefined], ['from', undefined], ['to', undefined]]);
  });

  it('bodies: JSON built from the $ref schema; a form body as params', () => {
    const update = req(c, 'Update a Device');
    assert.equal(update.body.mimeType, 'application/json');
    assert.deepEqual(update.headers, [{ name: 'Content-Type', value: 'application/json' }]);
    const device = JSON.parse(update.body.text ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(device).slice(0, 4), ['id', 'name', 'uniqueId', 'status']);
    assert.equal(device.id, 0);
    assert.equal(device.name, 'string');
    const acc = req(c, 'Update total distance and hours of the Device');
    assert.deepEqual(JSON.parse(acc.body.text ?? ''), { deviceId: 0, totalDistance: 0, hours: 0 });
    const login = req(c, 'Create a new Session');
    assert.deepEqual(login.body, { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'email', value: 'string' }, { name: 'password', value: 'password' }] });
  });
});

describe('importOpenApi: Swagger Petstore (OpenAPI 3.0, 19 operations)', () => {
  const result = importText(fixtureText('import/openapi/swagger-petstore3.openapi-3.0.yaml'));
  const c = only(result);

  it('19 requests in folders pet, store, user; one server', () => {
    assert.equal(result.format, 'openapi');
    assert.deepEqual(counts(c), { folders: 3, requests: 19, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 2 });
    assert.deepEqual(c.children.map((f) => [f.name, (f as Folder).children.length]), [['pet', 8], ['store', 4], ['user', 7]]);
    assert.deepEqual(c.baseEnvironment!.data, { base_url: 'https://petstore3.swagger.io/api/v3', client_id: '', api_key: '' });
    assert.deepEqual(c.baseEnvironment!.subEnvironments.map((s) => [s.name, s.data]), [['https://petstore3.swagger.io/api/v3', { base_url: 'https://petstore3.swagger.io/api/v3' }]]);
    assert.deepEqual(tree(c).slice(0, 3), ['pet/', 'pet/Update an existing pet.', 'pet/Add a new pet to the store.']);
  });

  it('oauth2 implicit with the operation`s scopes; apiKey in a header; no security -> no auth', () => {
    assert.deepEqual(req(c, 'Update an existing pet.').authentication, {
      type: 'oauth2',
      grantType: 'implicit',
      clientId: '{{ _.client_id }}',
      scope: 'write:pets read:pets',
      authorizationUrl: 'https://petstore3.swagger.io/oauth/authorize',
    });
    assert.deepEqual(req(c, 'Find pet by ID.').authentication, { type: 'apikey', key: 'api_key', value: '{{ _.api_key }}', addTo: 'header' });
    assert.deepEqual(req(c, 'Place an order for a pet.').authentication, {});
  });

  it('bodies: the first media type (JSON) from the schema`s own examples; octet-stream is a file body; the others noted', () => {
    const add = req(c, 'Add a new pet to the store.');
    assert.equal(add.method, 'POST');
    assert.deepEqual(JSON.parse(add.body.text ?? ''), {
      id: 10,
      name: 'doggie',
      category: { id: 1, name: 'Dogs' },
      photoUrls: ['string'],
      tags: [{ id: 0, name: 'string' }],
      status: 'available',
    });
    const upload = req(c, 'Uploads an image.');
    assert.deepEqual(upload.body, { mimeType: 'application/octet-stream', fileName: '' });
    assert.equal(upload.url, '{{ _.base_url }}/pet/:petId/uploadImage');
    assert.deepEqual(upload.parameters, [{ name: 'additionalMetadata', value: '', description: 'Additional Metadata', disabled: true }]);
    const list = req(c, 'Creates list of users with given input array.');
    assert.equal((JSON.parse(list.body.text ?? '') as unknown[]).length, 1);
    assert.equal(dropped(result, 'other media types of request bodies')?.count, 10);
  });

  it('parameters: default values, headers, optional disabled', () => {
    assert.deepEqual(req(c, 'Finds Pets by status.').parameters, [{ name: 'status', value: 'available', description: 'Status values that need to be considered for filter', disabled: true }]);
    const del = req(c, 'Deletes a pet.');
    assert.deepEqual(del.headers, [{ name: 'api_key', value: '', disabled: true }]);
    assert.deepEqual(del.pathParameters, [{ name: 'petId', value: '' }]);
  });
});

describe('importOpenApi: gotify (Swagger 2.0, 42 operations)', () => {
  const result = importText(fixtureText('import/openapi/gotify-server.swagger-2.0.json'), 'gotify-server.swagger-2.0.json');
  const c = only(result);

  it('42 requests in 8 folders; host + schemes give base_url and one sub-environment per scheme', () => {
    assert.equal(result.format, 'swagger');
    assert.equal(c.scope, 'design');
    assert.deepEqual(counts(c), { folders: 8, requests: 42, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 3 });
    assert.deepEqual(c.children.map((f) => f.name), ['application', 'message', 'auth', 'oidc', 'client', 'user', 'info', 'plugin']);
    assert.equal(c.baseEnvironment!.data.base_url, 'http://localhost');
    assert.deepEqual(c.baseEnvironment!.subEnvironments.map((s) => s.data.base_url), ['http://localhost', 'https://localhost']);
    assertConsistent(c);
  });

  it('formData: a file upload is multipart with a file param; a plain formData is url-encoded', () => {
    const upload = req(c, 'Upload an image for an application.');
    assert.equal(upload.url, '{{ _.base_url }}/application/:id/image');
    assert.deepEqual(upload.body, { mimeType: 'multipart/form-data', params: [{ name: 'file', value: '', type: 'file', fileName: '', description: 'the application image' }] });
    assert.deepEqual(upload.headers, []);
    const login = req(c, 'Authenticate via basic auth and create a session.');
    assert.deepEqual(login.body, { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'name', value: '', description: 'the client name to create' }] });
    assert.deepEqual(login.authentication, { type: 'basic', username: '{{ _.username }}', password: '{{ _.password }}' });
  });

  it('a body parameter: JSON from the definition`s examples; apiKey schemes as auth with their variable', () => {
    const create = req(c, 'Create an application.');
    assert.deepEqual(JSON.parse(create.body.text ?? ''), { defaultPriority: 5, description: 'Backup server for the interwebs', name: 'Backup Server', sortKey: 'a1' });
    assert.deepEqual(create.authentication, { type: 'apikey', key: 'Authorization', value: '{{ _.clientTokenAuthorizationHeader }}', addTo: 'header' });
    assert.equal(c.baseEnvironment!.data.clientTokenAuthorizationHeader, '');
    const message = req(c, 'Create a message.');
    assert.deepEqual(message.authentication, { type: 'apikey', key: 'Authorization', value: '{{ _.appTokenAuthorizationHeader }}', addTo: 'header' });
    assert.deepEqual(req(c, 'Get version information.').authentication, {});
  });
});

describe('importOpenApi: round trips', () => {
  it('every real spec round-trips through Hammock`s v5 writer to the same model', () => {
    for (const file of ['traccar.openapi-3.1.yaml', 'swagger-petstore3.openapi-3.0.yaml', 'gotify-server.swagger-2.0.json']) {
      const first = only(importText(fixtureText(`import/openapi/${file}`)));
      const again = only(importText(collectionToV5Text(first, { now: 1 })));
      assert.deepEqual(withoutSpec(again), withoutSpec(first), file);
      assert.equal(again.scope, 'design');
      assert.ok(again.spec, `${file}: the spec is written`);
    }
  });

  it('the same spec as YAML and as JSON gives the same collection', () => {
    const doc = generatedSpec(12);
    const a = only(importDoc(doc, 'yaml'));
    const b = only(importDoc(doc, 'json'));
    assert.deepEqual(shape(a), shape(b));
  });
});

function withoutSpec(c: Collection): unknown {
  const x = comparable(c) as Record<string, unknown>;
  delete x.spec;
  return x;
}

/** A collection without ids (two imports of one spec differ only in their fresh ids). */
function shape(c: Collection): unknown {
  return JSON.parse(JSON.stringify(comparable(c), (k, v: unknown) => (k === 'id' || k === 'parentId' || k === 'spec' ? undefined : v)));
}

/** An OpenAPI 3.1 document with `n` operations spread over 5 tags, refs, a cyclic schema and a bit of everything. */
function generatedSpec(n: number): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < n; i++) {
    const p = `/things${i % 7}/{thingId}/items${i}`;
    paths[p] ??= { parameters: [{ $ref: '#/components/parameters/thingId' }] };
    paths[p][['get', 'post', 'put', 'delete', 'patch'][i % 5]] = {
      operationId: `op${i}`,
      ...(i % 3 === 0 ? { summary: `Operation ${i}` } : {}),
      ...(i % 4 === 3 ? {} : { tags: [`tag${i % 5}`, 'other'] }),
      parameters: [{ name: 'q', in: 'query', required: i % 2 === 0, schema: { type: 'integer', default: i } }],
      ...(i % 5 === 1 ? { requestBody: { $ref: '#/components/requestBodies/Node' } } : {}),
      responses: { '200': { description: 'ok' } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Generated', version: '1' },
    servers: [{ url: 'https://api.test/v1/', description: 'Prod' }],
    paths,
    components: {
      parameters: { thingId: { name: 'thingId', in: 'path', required: true, schema: { type: 'string', example: 'T-1' } } },
      requestBodies: { Node: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } },
      schemas: {
        Node: {
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, parent: { $ref: '#/components/schemas/Node' } },
        },
      },
    },
  };
}

describe('importOpenApi: generated specs', () => {
  it('N operations: every one imported once, named summary, else operationId; first tag folders, untagged at top level', () => {
    for (const n of [1, 10, 250]) {
      const result = importDoc(generatedSpec(n));
      const c = only(result);
      const requests = requestsOf(c);
      assert.equal(requests.length, n, `${n} operations`);
      assertConsistent(c);
      const names = new Set(requests.map((r) => r.name));
      for (let i = 0; i < n; i++) assert.ok(names.has(i % 3 === 0 ? `Operation ${i}` : `op${i}`), `op${i}`);
      const untagged = c.children.filter((x) => x.kind === 'request');
      assert.equal(untagged.length, Math.floor((n + 1) / 4));
      assert.ok(c.children.filter((x) => x.kind === 'folder').every((f) => /^tag\d$/.test(f.name)), 'only first tags are folders');
      // the folders come first, then the untagged requests, each in source order
      const kinds = c.children.map((x) => x.kind);
      assert.deepEqual(kinds, [...kinds].sort((a, b) => (a === b ? 0 : a === 'folder' ? -1 : 1)));
    }
  });

  it('path-level $ref parameters, query defaults, the server URL without its trailing slash', () => {
    const c = only(importDoc(generatedSpec(3)));
    const r = req(c, 'Operation 0');
    assert.equal(r.url, '{{ _.base_url }}/things0/:thingId/items0');
    assert.deepEqual(r.pathParameters, [{ name: 'thingId', value: 'T-1' }]);
    assert.deepEqual(r.parameters, [{ name: 'q', value: '0' }]);
    assert.deepEqual(req(c, 'op1').parameters, [{ name: 'q', value: '1', disabled: true }]);
    assert.equal(c.baseEnvironment!.data.base_url, 'https://api.test/v1');
  });

  it('a cyclic schema gives a finite example (the cycle is cut at the second visit)', () => {
    const c = only(importDoc(generatedSpec(3)));
    const body = JSON.parse(req(c, 'op1').body.text ?? '');
    assert.deepEqual(body, { name: 'string', children: [] });
  });

  it('deep and wide schemas are bounded (depth 8, 2000 values) and fast', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) deep = { type: 'object', properties: { [`l${40 - i}`]: deep } };
    const wide: Record<string, unknown> = { type: 'object', properties: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}`, { type: 'object', properties: Object.fromEntries(Array.from({ length: 60 }, (_, j) => [`q${j}`, { type: 'integer' }])) }])) };
    const doc = {
      openapi: '3.0.3',
      info: { title: 'Bounds', version: '1' },
      paths: {
        '/deep': { post: { summary: 'deep', requestBody: { content: { 'application/json': { schema: deep } } } } },
        '/wide': { post: { summary: 'wide', requestBody: { content: { 'application/json': { schema: wide } } } } },
      },
    };
    const start = performance.now();
    const c = only(importDoc(doc, 'json'));
    assert.ok(performance.now() - start < 2000);
    let v: unknown = JSON.parse(req(c, 'deep').body.text ?? '');
    let depth = 0;
    while (v && typeof v === 'object' && Object.keys(v).length > 0) {
      v = Object.values(v as object)[0];
      depth++;
    }
    assert.equal(depth, 8);
    const wideText = req(c, 'wide').body.text ?? '';
    const values = (wideText.match(/: 0/g) ?? []).length;
    assert.ok(values > 1000 && values < 2000, `${values} values`);
  });

  it('every security scheme kind; variables in the base environment; what Insomnia cannot hold is dropped with why', () => {
    const op = (security: unknown[]) => ({ security, responses: {} });
    const doc = {
      openapi: '3.0.3',
      info: { title: 'Security', version: '1' },
      servers: [{ url: '/relative' }],
      paths: {
        '/basic': { get: op([{ basicAuth: [] }]) },
        '/bearer': { get: op([{ bearer: [] }]) },
        '/digest': { get: op([{ digest: [] }]) },
        '/query-key': { get: op([{ 'query-key': [] }]) },
        '/cookie-key': { get: op([{ cookieKey: [] }]) },
        '/code': { get: op([{ oauth: ['read'] }, { basicAuth: [] }]) },
        '/password': { get: op([{ oauthPassword: [] }]) },
        '/oidc': { get: op([{ oidc: [] }]) },
        '/mtls': { get: op([{ mtls: [] }]) },
        '/both': { get: op([{ bearer: [], 'query-key': [] }]) },
        '/optional': { get: op([{}, { bearer: [] }]) },
        '/missing': { get: op([{ nope: [] }]) },
      },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          digest: { type: 'http', scheme: 'digest' },
          'query-key': { type: 'apiKey', in: 'query', name: 'key' },
          cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid' },
          oauth: {
            type: 'oauth2',
            flows: {
              clientCredentials: { tokenUrl: 'https://auth.test/token', scopes: { read: '', write: '' } },
              authorizationCode: { authorizationUrl: 'https://auth.test/authorize', tokenUrl: 'https://auth.test/token', refreshUrl: 'https://auth.test/refresh', scopes: { read: '' } },
            },
          },
          oauthPassword: { type: 'oauth2', flows: { password: { tokenUrl: 'https://auth.test/token', scopes: { a: '', b: '' } } } },
          oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://auth.test/.well-known/openid-configuration' },
          mtls: { type: 'mutualTLS' },
        },
      },
    };
    const result = importDoc(doc);
    const c = only(result);
    const auth = (p: string) => requestsOf(c).find((r) => r.url === `{{ _.base_url }}${p}`)!.authentication;
    assert.deepEqual(auth('/basic'), { type: 'basic', username: '{{ _.username }}', password: '{{ _.password }}' });
    assert.deepEqual(auth('/bearer'), { type: 'bearer', token: '{{ _.token }}', prefix: '' });
    assert.deepEqual(auth('/digest'), { type: 'digest', username: '{{ _.username }}', password: '{{ _.password }}' });
    assert.deepEqual(auth('/query-key'), { type: 'apikey', key: 'key', value: '{{ _.query_key }}', addTo: 'queryParams' });
    assert.deepEqual(auth('/cookie-key'), { type: 'apikey', key: 'sid', value: '{{ _.cookieKey }}', addTo: 'cookie' });
    assert.deepEqual(auth('/code'), {
      type: 'oauth2',
      grantType: 'authorization_code',
      clientId: '{{ _.client_id }}',
      scope: 'read',
      authorizationUrl: 'https://auth.test/authorize',
      accessTokenUrl: 'https://auth.test/token',
      clientSecret: '{{ _.client_secret }}',
      usePkce: false,
    });
    assert.deepEqual(auth('/password'), {
      type: 'oauth2',
      grantType: 'password',
      clientId: '{{ _.client_id }}',
      scope: 'a b',
      accessTokenUrl: 'https://auth.test/token',
      clientSecret: '{{ _.client_secret }}',
      username: '{{ _.username }}',
      password: '{{ _.password }}',
    });
    assert.deepEqual(auth('/oidc'), {});
    assert.deepEqual(auth('/mtls'), {});
    assert.deepEqual(auth('/both'), { type: 'bearer', token: '{{ _.token }}', prefix: '' });
    assert.deepEqual(auth('/optional'), {});
    assert.deepEqual(auth('/missing'), {});
    assert.deepEqual(Object.keys(c.baseEnvironment!.data).sort(), ['base_url', 'client_id', 'client_secret', 'cookieKey', 'password', 'query_key', 'token', 'username']);
    assert.equal(c.baseEnvironment!.data.base_url, '/relative');
    assert.ok(result.warnings.some((w) => /relative URL \(\/relative\)/.test(w)));
    const whats = result.dropped.map((d) => d.what);
    for (const w of [
      'security scheme "oidc" of type openIdConnect',
      'security scheme "mtls" of type mutualTLS',
      'other OAuth 2.0 flows of "oauth"',
      'refresh URL of OAuth 2.0 scheme "oauth"',
      'security schemes required together',
      'security scheme "nope" of GET /missing',
    ]) {
      assert.ok(whats.includes(w), `dropped: ${w} (have ${whats.join('; ')})`);
    }
    assert.equal(dropped(result, 'other security alternatives')?.count, 2);
    assert.match(dropped(result, 'security scheme "oidc" of type openIdConnect')?.why ?? '', /openid-configuration/);
  });

  it('bodies: examples maps, form, multipart with binary parts, XML with xml names, text, oneOf/allOf', () => {
    const body = (content: Record<string, unknown>) => ({ post: { requestBody: { content }, responses: {} } });
    const doc = {
      openapi: '3.0.3',
      info: { title: 'Bodies', version: '1' },
      paths: {
        '/examples': body({ 'application/json': { examples: { first: { $ref: '#/components/examples/One' }, second: { value: { n: 2 } } } } }),
        '/form': body({ 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { a: { type: 'string', example: 'x y' }, id: { type: 'integer', readOnly: true }, n: { type: 'integer' } } } } }),
        '/multipart': body({
          'multipart/form-data': {
            schema: { type: 'object', properties: { meta: { type: 'string' }, file: { type: 'string', format: 'binary' }, more: { type: 'array', items: { type: 'string', format: 'binary' } } } },
            encoding: { meta: { contentType: 'application/json' } },
          },
        }),
        '/xml': body({ 'application/xml': { schema: { $ref: '#/components/schemas/Pet' } } }),
        '/text': body({ 'text/plain': { example: 'hello' } }),
        '/vendor-json': body({ 'application/vnd.api+json': { schema: { oneOf: [{ $ref: '#/components/schemas/Cat' }, { type: 'string' }] } } }),
        '/allof': body({ 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/Cat' }, { type: 'object', properties: { extra: { type: 'string', format: 'date' } } }] } } }),
      },
      components: {
        examples: { One: { value: { n: 1 } } },
        schemas: {
          Cat: { type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'Tom' }, nullable: { type: ['string', 'null'], format: 'email' } } },
          Pet: {
            type: 'object',
            xml: { name: 'pet' },
            properties: {
              id: { type: 'integer', example: 7, xml: { attribute: true } },
              name: { type: 'string', example: 'Rex' },
              tags: { type: 'array', xml: { wrapped: true }, items: { type: 'string', example: 't', xml: { name: 'tag' } } },
            },
          },
        },
      },
    };
    const c = only(importDoc(doc));
    const byPath = (p: string) => requestsOf(c).find((r) => r.url === `{{ _.base_url }}${p}`)!;
    assert.equal(byPath('/examples').name, 'POST /examples');
    assert.deepEqual(JSON.parse(byPath('/examples').body.text ?? ''), { n: 1 });
    assert.deepEqual(byPath('/form').body, { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'a', value: 'x y' }, { name: 'n', value: '0' }] });
    assert.deepEqual(byPath('/multipart').body, {
      mimeType: 'multipart/form-data',
      params: [{ name: 'meta', value: 'string' }, { name: 'file', value: '', type: 'file', fileName: '' }, { name: 'more', value: '', type: 'file', fileName: '' }],
    });
    assert.deepEqual(byPath('/multipart').headers, []);
    assert.equal(byPath('/xml').body.text, ['<?xml version="1.0" encoding="UTF-8"?>', '<pet id="7">', '  <name>Rex</name>', '  <tags>', '    <tag>t</tag>', '  </tags>', '</pet>'].join('\n'));
    assert.deepEqual(byPath('/text').body, { mimeType: 'text/plain', text: 'hello' });
    assert.deepEqual(byPath('/text').headers, [{ name: 'Content-Type', value: 'text/plain' }]);
    assert.deepEqual(JSON.parse(byPath('/vendor-json').body.text ?? ''), { name: 'Tom', nullable: 'user@example.com' });
    assert.equal(byPath('/vendor-json').body.mimeType, 'application/vnd.api+json');
    assert.deepEqual(JSON.parse(byPath('/allof').body.text ?? ''), { name: 'Tom', nullable: 'user@example.com', extra: '2024-01-01' });
  });

  it('dropped with why: cookie parameters, callbacks, webhooks, links, external and broken $refs, operation servers; a non-segment path parameter', () => {
    const doc = {
      openapi: '3.1.0',
      info: { title: 'Dropped', version: '1' },
      servers: [{ url: 'https://x.test' }],
      webhooks: { newPet: { post: { responses: {} } }, oldPet: { post: { responses: {} } } },
      paths: {
        '/files/{name}.json': {
          get: {
            parameters: [
              { name: 'name', in: 'path', required: true, schema: { type: 'string', example: 'report' } },
              { name: 'session', in: 'cookie', schema: { type: 'string' } },
              { name: 'Accept', in: 'header', schema: { type: 'string' } },
              { name: 'X-Trace', in: 'header', required: true, example: 'abc' },
              { name: 'ids', in: 'query', required: true, example: [3, 4] },
              { name: 'pipes', in: 'query', required: true, style: 'pipeDelimited', example: [3, 4] },
              { $ref: 'other.yaml#/components/parameters/Shared' },
              { $ref: '#/components/parameters/Missing' },
            ],
            callbacks: { onDone: { '{$request.body#/url}': { post: { responses: {} } } } },
            servers: [{ url: 'https://files.test' }],
            responses: { '200': { description: 'ok', links: { self: { operationId: 'x' }, parent: { operationId: 'y' } } } },
          },
        },
      },
    };
    const result = importDoc(doc);
    const c = only(result);
    const [r] = requestsOf(c);
    assert.equal(r.url, '{{ _.base_url }}/files/{{ _.name }}.json');
    assert.deepEqual(r.pathParameters, []);
    assert.equal(c.baseEnvironment!.data.name, 'report');
    assert.deepEqual(r.headers, [{ name: 'X-Trace', value: 'abc' }]);
    // an exploded array (the default form style) repeats the name; other styles get one joined value
    assert.deepEqual(r.parameters, [{ name: 'ids', value: '3' }, { name: 'ids', value: '4' }, { name: 'pipes', value: '3|4' }]);
    assert.ok(result.warnings.some((w) => w.startsWith('GET /files/{name}.json: {name} is not a whole path segment')));
    const d = (what: string) => {
      const line = dropped(result, what);
      assert.ok(line, `dropped: ${what} (have ${result.dropped.map((x) => x.what).join('; ')})`);
      assert.ok(line.why.length > 10, `why of ${what}`);
      return line;
    };
    d('cookie parameters');
    d('header parameter Accept');
    d('callbacks');
    assert.equal(d('webhooks').count, 2);
    assert.equal(d('response links').count, 2);
    d('external $ref other.yaml#/components/parameters/Shared');
    d('unresolved $ref #/components/parameters/Missing');
    d('servers of GET /files/{name}.json');
  });

  it('Swagger 2.0: basePath, consumes, a body parameter, formData files, oauth2 accessCode, apiKey in query', () => {
    const doc = {
      swagger: '2.0',
      info: { title: 'Old', version: '1' },
      host: 'old.test:8443',
      basePath: '/v2/',
      schemes: ['https'],
      consumes: ['application/xml', 'application/json'],
      securityDefinitions: {
        code: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://old.test/auth', tokenUrl: 'https://old.test/token', scopes: { read: '' } },
        key: { type: 'apiKey', in: 'query', name: 'api_key' },
      },
      security: [{ key: [] }],
      paths: {
        '/pets/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, type: 'integer', 'x-example': 42 }],
          put: { parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/Pet' } }], security: [{ code: ['read'] }], responses: {} },
          delete: { security: [], responses: {} },
          post: {
            consumes: ['multipart/form-data'],
            parameters: [
              { name: 'photo', in: 'formData', type: 'file', required: true },
              { name: 'note', in: 'formData', type: 'string', default: 'hi' },
            ],
            responses: {},
          },
          get: {
            parameters: [
              { name: 'tags', in: 'query', type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
              { name: 'ids', in: 'query', type: 'array', collectionFormat: 'multi', required: true, 'x-example': [1, 2] },
              { name: 'csv', in: 'query', type: 'array', required: true, 'x-example': [1, 2] },
              { name: 'Authorization', in: 'header', type: 'string', required: true, default: 'Token x' },
            ],
            responses: {},
          },
        },
      },
      definitions: { Pet: { type: 'object', properties: { name: { type: 'string', example: 'Rex' } } } },
    };
    const result = importDoc(doc, 'json');
    assert.equal(result.format, 'swagger');
    const c = only(result);
    // the variable is named after the scheme (two schemes may send the same parameter name with different secrets)
    assert.deepEqual(c.baseEnvironment!.data, { base_url: 'https://old.test:8443/v2', client_id: '', client_secret: '', key: '' });
    const put = requestsOf(c).find((r) => r.method === 'PUT')!;
    assert.equal(put.url, '{{ _.base_url }}/pets/:id');
    assert.deepEqual(put.pathParameters, [{ name: 'id', value: '42' }]);
    assert.deepEqual(put.body, { mimeType: 'application/json', text: '{\n  "name": "Rex"\n}' });
    assert.deepEqual(put.authentication, {
      type: 'oauth2',
      grantType: 'authorization_code',
      clientId: '{{ _.client_id }}',
      scope: 'read',
      authorizationUrl: 'https://old.test/auth',
      accessTokenUrl: 'https://old.test/token',
      clientSecret: '{{ _.client_secret }}',
      usePkce: false,
    });
    const post = requestsOf(c).find((r) => r.method === 'POST')!;
    assert.deepEqual(post.body, { mimeType: 'multipart/form-data', params: [{ name: 'photo', value: '', type: 'file', fileName: '' }, { name: 'note', value: 'hi', disabled: true }] });
    assert.deepEqual(post.authentication, { type: 'apikey', key: 'api_key', value: '{{ _.key }}', addTo: 'queryParams' });
    // `security: []` on an operation: no auth, whatever the document-wide security says
    assert.deepEqual(requestsOf(c).find((r) => r.method === 'DELETE')!.authentication, {});
    const get = requestsOf(c).find((r) => r.method === 'GET')!;
    assert.deepEqual(get.parameters, [
      { name: 'tags', value: 'a', disabled: true },
      { name: 'ids', value: '1' },
      { name: 'ids', value: '2' },
      { name: 'csv', value: '1,2' },
    ]);
    // Swagger 2.0 has no rule that ignores an Authorization header parameter (OpenAPI 3 has)
    assert.deepEqual(get.headers, [{ name: 'Authorization', value: 'Token x' }]);
  });
});

describe('importOpenApi: an imported request sent to the loopback echo server', function () {
  this.timeout(30000);
  after(() => closeConnections());

  it('base_url from the chosen sub-environment, the path parameter, query, header, JSON body and basic auth arrive', async () => {
    const server = await startTestServer();
    try {
      const doc = {
        openapi: '3.0.3',
        info: { title: 'Echo', version: '1' },
        servers: [{ url: 'https://wrong.invalid' }, { url: `${server.httpUrl}/{prefix}`, description: 'Local', variables: { prefix: { default: 'echo' } } }],
        security: [{ basic: [] }],
        paths: {
          '/users/{userId}': {
            post: {
              summary: 'Create',
              parameters: [
                { name: 'userId', in: 'path', required: true, schema: { type: 'string', example: 'u 1' } },
                { name: 'verbose', in: 'query', required: true, schema: { type: 'boolean', default: true } },
                { name: 'X-Request-Id', in: 'header', required: true, example: 'r-1' },
              ],
              requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', example: 'Ann' } } } } } },
              responses: {},
            },
          },
        },
        components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' } } },
      };
      const c = only(importDoc(doc));
      c.baseEnvironment!.data.username = 'ann';
      c.baseEnvironment!.data.password = 'secret';
      const [r] = requestsOf(c);
      const local = c.baseEnvironment!.subEnvironments.find((s) => s.name === 'Local')!;
      const rendered = await renderRequest(r, c, buildRenderContext(c, r.id, local.id));
      const res = await sendRequest(rendered, { followRedirects: true, rejectUnauthorized: true });
      const echo = JSON.parse(res.body.toString('utf8')) as { method: string; url: string; headers: Record<string, string>; body: string };
      assert.equal(echo.method, 'POST');
      assert.equal(echo.url, '/echo/users/u%201?verbose=true');
      assert.equal(echo.headers['x-request-id'], 'r-1');
      assert.equal(echo.headers['content-type'], 'application/json');
      assert.equal(echo.headers.authorization, `Basic ${Buffer.from('ann:secret').toString('base64')}`);
      assert.deepEqual(JSON.parse(echo.body), { name: 'Ann' });
    } finally {
      await server.close();
    }
  });
});

describe('importOpenApi: malformed input writes nothing', () => {
  it('broken YAML and JSON: an ImportError with the line and column', () => {
    const yamlErr = throwsImport(() => importText('openapi: 3.0.0\ninfo:\n  title: [unclosed\npaths: {}\n'), /Invalid YAML at line \d+, column \d+/);
    assert.equal(typeof yamlErr.line, 'number');
    assert.equal(typeof yamlErr.column, 'number');
    const jsonErr = throwsImport(() => importText('{\n  "openapi": "3.0.0",\n  "paths": {,}\n}'), /Invalid JSON at line 3, column 13/);
    assert.deepEqual([jsonErr.line, jsonErr.column], [2, 12]);
  });

  it('unsupported versions and a malformed paths are clear errors', () => {
    throwsImport(() => importText('openapi: 4.0.0\ninfo: {title: x}\npaths: {}\n'), /Unsupported OpenAPI version 4\.0\.0: expected 3\.0 or 3\.1/);
    throwsImport(() => importText('{"swaggerVersion": "1.2", "apis": []}'), /Unsupported Swagger version 1\.2/);
    throwsImport(() => importText('openapi: 3.0.0\ninfo: {title: x}\npaths: [a, b]\n'), /`paths` must be a map/);
    throwsImport(() => importOpenApi({ text: '', document: { info: {} } }), /Not an OpenAPI document/);
    throwsImport(() => importOpenApi({ text: '', document: 'openapi' }), /Not an OpenAPI document/);
  });

  it('openApiKind tells the versions apart', () => {
    assert.equal(openApiKind({ openapi: '3.1.0' }), 'openapi');
    assert.equal(openApiKind({ openapi: '3.0.4' }), 'openapi');
    assert.equal(openApiKind({ swagger: '2.0' }), 'swagger');
    assert.equal(openApiKind({ openapi: 3.1 }), 'openapi');
    assert.equal(openApiKind({ swagger: 2 }), 'swagger');
    assert.equal(openApiKind({ openapi: '2.0' }), undefined);
    assert.equal(openApiKind({ openapi: '30.1' }), undefined);
    assert.equal(openApiKind({ swagger: '1.2' }), undefined);
    assert.equal(openApiKind([]), undefined);
  });

  it('a newer 3.x minor version is read as 3.1, with a warning', () => {
    const result = importText('openapi: 3.2.0\ninfo: {title: Next}\npaths:\n  /a:\n    get: {}\n');
    assert.equal(requestsOf(only(result)).length, 1);
    assert.ok(result.warnings.some((w) => /OpenAPI 3\.2\.0 is newer than 3\.1/.test(w)));
  });

  it('a spec without paths or servers imports to an empty collection with a warning', () => {
    const result = importDoc({ openapi: '3.1.0', info: { title: 'Nothing', version: '1' } });
    const c = only(result);
    assert.deepEqual(c.children, []);
    assert.equal(c.baseEnvironment!.data.base_url, 'http://localhost');
    assert.ok(result.warnings.some((w) => /names no server/.test(w)));
  });
});
