// Insomnia's own v5 reader, transcribed: the zod schemas Insomnia parses every v5 file with before it imports it. A file
// this schema refuses is refused whole by Insomnia ("Failed to parse yaml file to Insomnia schema ..."), so every file
// Hammock writes must pass it (see conformance.ts, which runs the migrations first, as Insomnia does).
//
// Source: Kong/insomnia, packages/insomnia/src/common/import-v5-parser.ts (Apache-2.0):
// - develop @ 574af72e5f858dc5dc5b77439c54cbf3705dba4b (schema 5.2: every collection item has a `type`, a zod
//   discriminant, and its `meta.id` must start with its model's prefix), the one schemas/insomnia.schema.5.2.json
//   is generated from;
// - develop @ 0310d84dbd616f894f63add6f9861a2506599869 (schema 5.1, Insomnia 12.x-13.x: items told apart by an
//   untagged union, a folder by `method`, `url`, `parameters` and `pathParameters` being absent).
// Everything but the collection items is the same in both; where 0310d84 takes the environment schema from
// `insomnia-data` (not published), 574af72e's inline EnvironmentSchema is used for both.
// Transcribed shape for shape, field for field, in the source's order (zod's output keeps it), on the zod Insomnia
// runs: `zod/v4` of zod 3.25.76 (Insomnia's package-lock; zod 4.x reads a `z.undefined()` key that is absent as an
// error, which would refuse every folder), so the rules and the error texts are Insomnia's. Do not "improve" a rule
// here: a change belongs to Insomnia first.
// Used by the command line (`hammock check --insomnia`) and the tests only, never by the extension bundle.

import { z } from 'zod/v4';
import { ITEM_MODELS } from '../ids';

const M = ITEM_MODELS;

// Basic literal types that can appear in JSON data
const LiteralSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const KeyLiteralSchema = z.union([z.string(), z.number()]);

type Literal = z.infer<typeof LiteralSchema>;
type Json = Literal | { [key: string]: Json } | Json[];

// Recursive JSON schema that can handle nested objects and arrays
const JsonSchema: z.ZodType<Json> = z.lazy(() => z.union([LiteralSchema, z.array(JsonSchema), z.record(KeyLiteralSchema, JsonSchema)]));

const MetaSchema = z.object({
  id: z.string(),
  created: z.number().optional(),
  modified: z.number().optional(),
  isPrivate: z.boolean().optional(),
  description: z.string().optional(),
  sortKey: z.number().optional(),
});

const MetaGroupSchema = z.object({
  id: z.string(),
  created: z.number().optional(),
  modified: z.number().optional(),
  isPrivate: z.boolean().optional(),
  sortKey: z.number().optional(),
  description: z.string().optional(),
});

const HeadersSchema = z.array(
  z.object({
    name: z.string(),
    value: z.string(),
    description: z.string().optional(),
    disabled: z.boolean().optional(),
  }),
);

const CACertificateSchema = z.object({
  path: z.string().optional().default(''),
  disabled: z.boolean().default(false),
  meta: MetaSchema.optional(),
});

const CookieSchema = z.object({
  id: z
    .string()
    .optional()
    .default(() => crypto.randomUUID()),
  key: z.string().optional().default(''),
  value: z.string().optional().default(''),
  expires: z.preprocess((val) => {
    // Handle 'Infinity' string
    if (val === 'Infinity') return null;
    // If it's already a Date, check if it's valid
    if (val instanceof Date) return Number.isNaN(val.getTime()) ? null : val;
    // Let other values pass through to z.coerce.date()
    return val;
  }, z.coerce.date().nullable().default(null)),
  domain: z.string().optional().default(''),
  path: z.string().optional().default('/'),
  secure: z.boolean().optional().default(false),
  httpOnly: z.boolean().optional().default(false),
  extensions: z.array(JsonSchema).optional(),
  creation: z.coerce.date().optional(),
  creationIndex: z.number().optional(),
  hostOnly: z.boolean().optional(),
  pathIsDefault: z.boolean().optional(),
  lastAccessed: z.coerce.date().optional(),
});

const CookieJarSchema = z.object({
  name: z.string().optional().default(''),
  meta: MetaSchema.optional(),
  cookies: z.array(CookieSchema).optional(),
});

const EnvironmentSchema = z.object({
  name: z.string().optional(),
  meta: MetaSchema.optional(),
  data: JsonSchema.optional(),
  color: z.string().optional().nullable(),
  subEnvironments: z
    .array(
      z.object({
        name: z.string(),
        meta: MetaSchema.optional(),
        data: JsonSchema.optional(),
        dataPropertyOrder: JsonSchema.optional(),
        color: z.string().optional().nullable(),
      }),
    )
    .optional(),
  dataPropertyOrder: JsonSchema.optional(),
});

const MockRouteSchema = z.object({
  name: z.string().optional(),
  meta: MetaSchema.optional(),
  body: z.string().optional(),
  headers: z
    .array(
      z.object({
        name: z.string(),
        value: z.string(),
        description: z.string().optional(),
        disabled: z.boolean().optional(),
      }),
    )
    .optional(),
  method: z.string().optional(),
  mimeType: z.string().optional(),
  statusCode: z.number().optional().default(200),
  statusText: z.string().optional(),
});

const AuthenticationSchema = z.union([
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('basic'),
      useISO88591: z.boolean().optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      disabled: z.boolean().optional(),
    }),
    z.object({
      type: z.literal('apikey'),
      key: z.string().optional(),
      value: z.string().optional(),
      disabled: z.boolean().optional(),
      addTo: z.string().optional(),
    }),
    z.object({
      type: z.literal('oauth2'),
      disabled: z.boolean().optional(),
      grantType: z.enum(['authorization_code', 'client_credentials', 'implicit', 'password', 'refresh_token', 'mcp_auth_flow']),
      accessTokenUrl: z.string().optional(),
      authorizationUrl: z.string().optional(),
      clientId: z.string().optional(),
      clientSecret: z.string().optional(),
      audience: z.string().optional(),
      scope: z.string().optional(),
      resource: z.string().optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      redirectUrl: z.string().optional(),
      useDefaultBrowser: z.boolean().optional(),
      credentialsInBody: z.boolean().optional(),
      state: z.string().optional(),
      code: z.string().optional(),
      accessToken: z.string().optional(),
      refreshToken: z.string().optional(),
      tokenPrefix: z.string().optional(),
      usePkce: z.boolean().optional(),
      pkceMethod: z.string().optional(),
      responseType: z.enum(['code', 'token', 'none', 'id_token', 'id_token token']).optional(),
      origin: z.string().optional(),
    }),
    z.object({
      type: z.literal('hawk'),
      id: z.string().optional(),
      key: z.string().optional(),
      ext: z.string().optional(),
      validatePayload: z.boolean().optional(),
      algorithm: z.enum(['sha1', 'sha256']),
      disabled: z.boolean().optional(),
    }),
    z.object({
      type: z.literal('oauth1'),
      disabled: z.boolean().optional(),
      signatureMethod: z.enum(['HMAC-SHA1', 'RSA-SHA1', 'HMAC-SHA256', 'PLAINTEXT']).optional(),
      consumerKey: z.string().optional(),
      tokenKey: z.string().optional(),
      tokenSecret: z.string().optional(),
      privateKey: z.string().optional(),
      version: z.string().optional(),
      nonce: z.string().optional(),
      timestamp: z.string().optional(),
      callback: z.string().optional(),
      realm: z.string().optional(),
      verifier: z.string().optional(),
      includeBodyHash: z.boolean().optional(),
    }),
    z.object({
      type: z.literal('digest'),
      disabled: z.boolean().optional(),
      username: z.string().optional(),
      password: z.string().optional(),
    }),
    z.object({
      type: z.literal('ntlm'),
      disabled: z.boolean().optional(),
      username: z.string().optional(),
      password: z.string().optional(),
    }),
    z.object({
      type: z.literal('bearer'),
      disabled: z.boolean().optional(),
      token: z.string().optional(),
      prefix: z.string().optional(),
    }),
    z.object({
      type: z.literal('iam'),
      disabled: z.boolean().optional(),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      sessionToken: z.string().optional(),
      region: z.string().optional(),
      service: z.string().optional(),
    }),
    z.object({
      type: z.literal('netrc'),
      disabled: z.boolean().optional(),
    }),
    z.object({
      type: z.literal('asap'),
      disabled: z.boolean().optional(),
      issuer: z.string().optional(),
      subject: z.string().optional(),
      audience: z.string().optional(),
      addintionalClaims: z.string().optional(), // sic, as in Insomnia
      privateKey: z.string().optional(),
      keyId: z.string().optional(),
    }),
    z.object({
      type: z.literal('none'),
      disabled: z.boolean().optional(),
    }),
    z.object({
      type: z.literal('singleToken'),
      disabled: z.boolean().optional(),
      token: z.string().optional(),
    }),
  ]),
  z.object({}),
]);

const ScriptsSchema = z.object({
  preRequest: z.string().optional(),
  afterResponse: z.string().optional(),
});

const RequestSettingsSchema = z.object({
  renderRequestBody: z.boolean().default(true),
  encodeUrl: z.boolean().default(true),
  followRedirects: z.enum(['global', 'on', 'off']).default('global'),
  cookies: z.object({
    send: z.boolean().default(false),
    store: z.boolean().default(false),
  }),
  rebuildPath: z.boolean().default(true),
});

const WebSocketRequestSettingsSchema = z.object({
  encodeUrl: z.boolean().optional().default(true),
  cookies: z.object({
    store: z.boolean().optional().default(true),
    send: z.boolean().optional().default(true),
  }),
  followRedirects: z.enum(['global', 'on', 'off']).optional().default('global'),
});

const SocketIORequestSettingsSchema = z.object({
  encodeUrl: z.boolean().optional().default(true),
  cookies: z.object({
    store: z.boolean().optional().default(true),
    send: z.boolean().optional().default(true),
  }),
  path: z.string().optional(),
});

const RequestPathParametersSchema = z.array(
  z.object({
    name: z.string().optional().default(''),
    value: z.string().optional().default(''),
  }),
);

const RequestParametersSchema = z.array(
  z.object({
    name: z.string().optional().default(''),
    value: z.string().optional().default(''),
    description: z.string().optional(),
    disabled: z.boolean().optional(),
    type: z.string().optional(),
    multiline: z.boolean().optional(),
  }),
);

const BodySchema = z
  .object({
    mimeType: z.string().optional().nullable(),
    text: z.string().optional(),
    fileName: z.string().optional(),
    params: z
      .array(
        z.object({
          name: z.string().default(''),
          value: z.string().optional(),
          description: z.string().optional(),
          disabled: z.boolean().optional(),
          multiline: z.union([z.boolean(), z.string()]).optional(),
          fileName: z.string().optional(),
          type: z.string().optional(),
        }),
      )
      .optional(),
  })
  .optional();

const DEFAULT_REQUEST_SETTINGS = {
  renderRequestBody: true,
  encodeUrl: true,
  followRedirects: 'global' as const,
  rebuildPath: true,
  cookies: { send: true, store: true },
};

const GRPC_METADATA = z
  .array(
    z.object({
      name: z.string().optional().default(''),
      value: z.string().optional().default(''),
      description: z.string().optional(),
      disabled: z.boolean().optional(),
    }),
  )
  .optional();

const REFLECTION_API = z.object({
  enabled: z.boolean().optional().default(false),
  url: z.string().optional().default(''),
  apiKey: z.string().optional().default(''),
  module: z.string().optional().default(''),
});

const SOCKET_IO_LISTENERS = z
  .object({
    id: z.string(),
    eventName: z.string().optional().default(''),
    desc: z.string().optional().default(''),
    isOpen: z.boolean().optional().default(false),
  })
  .array()
  .optional();

/** `meta` of a 5.2 item: its id starts with the model's prefix. */
const metaWithPrefix = (base: typeof MetaSchema | typeof MetaGroupSchema, prefix: string) =>
  base.extend({ id: z.string().startsWith(prefix) }).optional();

// ---------------------------------------------------------------------------------------------------------------
// collection items, schema 5.2 (develop @ 574af72e): a discriminated union on `type`

const GRPCRequestSchema52 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  meta: metaWithPrefix(MetaSchema, M.grpcRequest.prefix),
  type: z.literal(M.grpcRequest.type),
  body: z.object({ text: z.string().optional() }).optional(),
  metadata: GRPC_METADATA,
  protoFileId: z.string().optional().nullable(),
  protoMethodName: z.string().optional(),
  reflectionApi: REFLECTION_API,
});

const RequestGroupSchema52 = z.object({
  name: z.string().optional().default(''),
  type: z.literal(M.requestGroup.type),
  meta: metaWithPrefix(MetaGroupSchema, M.requestGroup.prefix),
  children: z.array(z.any()).optional(),
  scripts: ScriptsSchema.optional(),
  authentication: AuthenticationSchema.optional().nullable(),
  environment: JsonSchema.optional(),
  environmentPropertyOrder: JsonSchema.optional(),
  headers: HeadersSchema.optional(),
});

const RequestSchema52 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  type: z.literal(M.request.type),
  meta: metaWithPrefix(MetaSchema, M.request.prefix),
  method: z.string(),
  body: BodySchema,
  parameters: RequestParametersSchema.optional(),
  headers: HeadersSchema.optional(),
  authentication: AuthenticationSchema.optional(),
  scripts: ScriptsSchema.optional(),
  settings: RequestSettingsSchema.optional().default(DEFAULT_REQUEST_SETTINGS),
  pathParameters: RequestPathParametersSchema.optional().nullable(),
});

const WebsocketRequestSchema52 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  type: z.literal(M.webSocketRequest.type),
  meta: metaWithPrefix(MetaSchema, M.webSocketRequest.prefix),
  settings: WebSocketRequestSettingsSchema.optional().default({ encodeUrl: true, followRedirects: 'global', cookies: { send: true, store: true } }),
  authentication: AuthenticationSchema.optional(),
  headers: HeadersSchema.optional(),
  parameters: RequestParametersSchema.optional(),
  pathParameters: RequestPathParametersSchema.optional().nullable(),
});

const SocketIORequestSchema52 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  type: z.literal(M.socketIORequest.type),
  meta: metaWithPrefix(MetaSchema, M.socketIORequest.prefix),
  settings: SocketIORequestSettingsSchema.optional().default({ encodeUrl: true, cookies: { send: true, store: true } }),
  authentication: AuthenticationSchema.optional(),
  headers: HeadersSchema.optional(),
  parameters: RequestParametersSchema.optional(),
  pathParameters: RequestParametersSchema.optional(),
  eventListeners: SOCKET_IO_LISTENERS,
});

const RequestGroupWithChildrenSchema52 = RequestGroupSchema52.extend({
  children: z.lazy((): z.ZodType<unknown[]> => RequestCollectionSchema52 as unknown as z.ZodType<unknown[]>).optional(),
});

const RequestCollectionSchema52: z.ZodType<unknown[]> = z.array(
  z.discriminatedUnion('type', [GRPCRequestSchema52, RequestSchema52, WebsocketRequestSchema52, SocketIORequestSchema52, RequestGroupWithChildrenSchema52]),
);

// ---------------------------------------------------------------------------------------------------------------
// collection items, schema 5.1 (develop @ 0310d84d, Insomnia 12.x-13.x): an untagged union

const GRPCRequestSchema51 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  meta: MetaSchema.optional(),
  body: z.object({ text: z.string().optional() }).optional(),
  metadata: GRPC_METADATA,
  protoFileId: z.string().optional().nullable(),
  protoMethodName: z.string().optional(),
  reflectionApi: REFLECTION_API,
});

const RequestGroupSchema51 = z.object({
  name: z.string().optional().default(''),
  meta: MetaGroupSchema.optional(),
  children: z.array(z.any()).optional(),
  scripts: ScriptsSchema.optional(),
  authentication: AuthenticationSchema.optional().nullable(),
  environment: JsonSchema.optional(),
  environmentPropertyOrder: JsonSchema.optional(),
  headers: HeadersSchema.optional(),
});

const RequestSchema51 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  meta: MetaSchema.optional(),
  method: z.string(),
  body: BodySchema,
  parameters: RequestParametersSchema.optional(),
  headers: HeadersSchema.optional(),
  authentication: AuthenticationSchema.optional(),
  scripts: ScriptsSchema.optional(),
  settings: RequestSettingsSchema.optional().default(DEFAULT_REQUEST_SETTINGS),
  pathParameters: RequestPathParametersSchema.optional().nullable(),
});

const WebsocketRequestSchema51 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  meta: MetaSchema.extend({ id: z.string().startsWith('ws-req') }).optional(),
  settings: WebSocketRequestSettingsSchema.optional().default({ encodeUrl: true, followRedirects: 'global', cookies: { send: true, store: true } }),
  authentication: AuthenticationSchema.optional(),
  headers: HeadersSchema.optional(),
  parameters: RequestParametersSchema.optional(),
  pathParameters: RequestPathParametersSchema.optional().nullable(),
});

const SocketIORequestSchema51 = z.object({
  url: z.string().optional().default(''),
  name: z.string().optional().default(''),
  meta: MetaSchema.extend({ id: z.string().startsWith('socketio-req') }).optional(),
  settings: SocketIORequestSettingsSchema.optional().default({ encodeUrl: true, cookies: { send: true, store: true } }),
  authentication: AuthenticationSchema.optional(),
  headers: HeadersSchema.optional(),
  parameters: RequestParametersSchema.optional(),
  pathParameters: RequestParametersSchema.optional(),
  eventListeners: SOCKET_IO_LISTENERS,
});

const RequestGroupWithChildrenSchema51 = RequestGroupSchema51.extend({
  children: z.lazy((): z.ZodType<unknown[]> => RequestCollectionSchema51).optional(),
  // These undefined properties are added to differentiate between the different types of children in the union
  method: z.undefined(),
  url: z.undefined(),
  parameters: z.undefined(),
  pathParameters: z.undefined(),
});

const RequestCollectionSchema51: z.ZodType<unknown[]> = z
  .union([
    GRPCRequestSchema51.extend({ children: z.undefined(), method: z.undefined() }),
    RequestSchema51.extend({ children: z.undefined() }),
    WebsocketRequestSchema51.extend({ children: z.undefined(), method: z.undefined() }),
    SocketIORequestSchema51.extend({ children: z.undefined(), method: z.undefined() }),
    RequestGroupWithChildrenSchema51,
  ])
  .array();

/** The options of the 5.1 item union, in its order (for messages: which kind of item came closest). */
export const ITEM_UNION_51_OPTIONS = ['GrpcRequest', 'Request', 'WebSocketRequest', 'SocketIORequest', 'RequestGroup'] as const;

// ---------------------------------------------------------------------------------------------------------------
// the files

const TestSchema = z.object({
  name: z.string().optional().default(''),
  meta: MetaSchema.optional(),
  requestId: z.string().nullable().optional().default(null),
  code: z.string().optional().default(''),
});

const TestSuiteSchema = z.object({
  name: z.string().optional().default(''),
  meta: MetaSchema.optional(),
  tests: z.array(TestSchema).optional(),
});

const SpecSchema = z.union([
  z.object({ file: z.string(), meta: MetaSchema.optional() }),
  z.object({ contents: JsonSchema.optional(), meta: MetaSchema.optional() }),
]);

const McpRequestSchema = z.object({
  name: z.string().optional().default(''),
  url: z.string().optional().default(''),
  transportType: z.enum(['stdio', 'streamable-http']).optional().default('streamable-http'),
  headers: HeadersSchema.optional(),
  authentication: AuthenticationSchema.optional(),
  meta: MetaSchema.optional(),
  env: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().optional().default(''),
        value: z.string().optional().default(''),
        type: z.literal('str'),
        enabled: z.boolean().optional().default(true),
      }),
    )
    .optional(),
  roots: z
    .array(
      z.object({
        name: z.string().optional(),
        uri: z.string().optional().default(''),
      }),
    )
    .optional(),
});

function insomniaFileSchema(collection: z.ZodType<unknown[]>, schemaVersion: string) {
  return z.discriminatedUnion('type', [
    z.object({
      type: z.literal('collection.insomnia.rest/5.0'),
      schema_version: z.string().optional().default(schemaVersion),
      name: z.string().optional(),
      meta: MetaSchema.optional(),
      collection: collection.optional(),
      cookieJar: CookieJarSchema.optional(),
      environments: EnvironmentSchema.optional(),
      certificates: z.array(CACertificateSchema).optional(),
      testSuites: z.array(TestSuiteSchema).optional(),
      spec: SpecSchema.optional(),
    }),
    z.object({
      type: z.literal('spec.insomnia.rest/5.0'),
      schema_version: z.string().optional().default(schemaVersion),
      name: z.string().optional(),
      meta: MetaSchema.optional(),
      collection: collection.optional(),
      cookieJar: CookieJarSchema.optional(),
      environments: EnvironmentSchema.optional(),
      spec: SpecSchema.optional().default({ contents: {} }),
      testSuites: z.array(TestSuiteSchema).optional(),
      certificates: z.array(CACertificateSchema).optional(),
    }),
    z.object({
      type: z.literal('mock.insomnia.rest/5.0'),
      schema_version: z.string().optional().default(schemaVersion),
      name: z.string().optional(),
      meta: MetaSchema.optional(),
      server: z
        .object({
          meta: MetaSchema.optional(),
          url: z.string(),
          useInsomniaCloud: z.boolean().default(true),
        })
        .optional(),
      routes: z.array(MockRouteSchema).optional(),
    }),
    z.object({
      type: z.literal('environment.insomnia.rest/5.0'),
      schema_version: z.string().optional().default(schemaVersion),
      name: z.string().optional(),
      meta: MetaSchema.optional(),
      environments: EnvironmentSchema.optional(),
    }),
    z.object({
      // Does not follow the insomnia.rest pattern to prevent crashes in older versions when syncing this file: INS-1762
      type: z.literal('mcpClient.insomnia/5.0'),
      schema_version: z.string().optional().default(schemaVersion),
      name: z.string().optional(),
      meta: MetaSchema.optional(),
      mcpRequest: McpRequestSchema.optional(),
      environments: EnvironmentSchema.optional(),
    }),
  ]);
}

/** `InsomniaFileSchema` of the 5.2 reader (develop @ 574af72e). */
export const InsomniaFileSchema52 = insomniaFileSchema(RequestCollectionSchema52, '5.2');
/** `InsomniaFileSchema` of the 5.1 reader (Insomnia 12.x-13.x, develop @ 0310d84d). */
export const InsomniaFileSchema51 = insomniaFileSchema(RequestCollectionSchema51, '5.1');
