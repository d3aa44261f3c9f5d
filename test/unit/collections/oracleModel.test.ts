// Insomnia's reader as the oracle of every write, model-based (fast-check, seeded, bounded): random sequences of every
// operation the editors, the tree and the paste write through the edit planner, on legacy folders and v5 files of each
// schema version, with the values those editors give (every auth type of the request editor with its fields, every
// body type with multipart files and multiline fields, partial settings, folder variables of any JSON, environment
// colours, private flags, variable orders with integer-like names, the `__insomnia_vault` key the editor keeps, a cURL
// command pasted into the URL field, moves before a sibling), plus a field-level merge of two such edits. After each
// step every Insomnia file of the repository is run through Insomnia's readers (formats/conformance.ts: the zod
// schemas 5.1 and 5.2 with their migrations, Insomnia 10's Git Sync rules); after each sequence the collection is
// converted to the other format and exported (v5, v4), and those are checked too.
// hostileWrites.test.ts runs hostile strings through fewer operations; conformanceSuite.test.ts each operation once.
// About 13 s in all (25 sequences of up to 12 steps a starting point; each stopped after 4 s on a busy machine).
// ORACLE_SEED=<n> ORACLE_RUNS=<n> run other or longer searches (seeds 100-500 at 60 runs passed when this was written).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Edit } from '../../../src/collections/edits';
import { planEditWith, planNewCollection } from '../../../src/collections/editPlanner';
import type { Authentication, Collection, Environment, KeyValue, RequestBody } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { writeChanges } from '../../../src/collections/store';
import { mergeCollectionText } from '../../../src/collections/merge3';
import { curlPasteFields } from '../../../src/collections/convert/curlPaste';
import { ImportError } from '../../../src/collections/convert/importTypes';
import { convertLegacyToV5, convertV5ToLegacy, readCollectionDocs, v5TextFromFiles } from '../../../src/collections/convert/convertFormat';
import { exportInsomniaV4FromDocs } from '../../../src/collections/convert/exportV4';
import { checkInsomniaFolder, checkV4Text, checkV5Text, formatIssue } from '../../../src/collections/formats/conformance';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const NOW = 1790000000000;

/** The cURL commands of the fixtures (one a line, comments above them). */
const CURL_COMMANDS = fs.readFileSync(path.join(FIXTURES, 'import/curl/commands.txt'), 'utf8').split('\n').filter((l) => l.startsWith('curl '));

/** The starting points: legacy folders (10.x fields with nulls; sorted keys), v5 files of schema 5.0 and 5.1, and a new 5.2 file. */
const STARTS: readonly { label: string; make: (root: string) => Promise<void> }[] = [
  { label: 'legacy kong-demo-with-tests', make: async (root) => fs.cpSync(path.join(FIXTURES, 'legacy/kong-demo-with-tests'), root, { recursive: true }) },
  { label: 'legacy inso-fixture-alphabetical', make: async (root) => fs.cpSync(path.join(FIXTURES, 'legacy/inso-fixture-alphabetical'), root, { recursive: true }) },
  { label: 'v5 5.0 everything.yaml', make: async (root) => fs.copyFileSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), path.join(root, 'everything.yaml')) },
  { label: 'v5 5.1 security_collection.yaml', make: async (root) => fs.copyFileSync(path.join(FIXTURES, 'v5/upstream-roundtrip/security_collection.yaml'), path.join(root, 'security_collection.yaml')) },
  { label: 'v5 5.2 new', make: async (root) => void (await writeChanges(planNewCollection({ format: 'v5', root, name: 'Fresh', now: NOW, schemaVersion: '5.2' }).changes)) },
];

// ---------------------------------------------------------------------------------------------------------------
// values the editors give

const text = fc.oneof(fc.constantFrom('', 'a', '{{ _.token }}', 'x: y', 'yes', '10', 'line\nline', "{% now 'iso-8601' %}"), fc.string({ maxLength: 8 }));
const bool = fc.boolean();
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

const keyValue: fc.Arbitrary<KeyValue> = fc.record({ name: text, value: text, disabled: maybe(bool), description: maybe(text) }, { requiredKeys: ['name', 'value'] });
const keyValues = fc.array(keyValue, { maxLength: 3 });

/** A multipart field as the editor's form table writes it: text (one line or several) or a file. */
const formParam: fc.Arbitrary<KeyValue> = fc.oneof(
  fc.record({ name: text, value: text, disabled: maybe(bool), multiline: maybe(bool) }, { requiredKeys: ['name', 'value'] }),
  fc.record({ name: text, value: fc.constant(''), type: fc.constant('file'), fileName: text, disabled: maybe(bool) }, { requiredKeys: ['name', 'value', 'type', 'fileName'] }),
);

/** A body of each type the request editor's body menu offers. */
const body: fc.Arbitrary<RequestBody> = fc.oneof(
  fc.constant({}),
  fc.record({ mimeType: fc.constantFrom('application/json', 'text/plain', 'application/xml', ''), text }),
  fc.record({ mimeType: fc.constant('application/graphql'), text: fc.constantFrom('', '{"query":"{ a }"}', '{"query":"query Q($n: Int) { a(n: $n) }","variables":{"n":1}}') }),
  fc.record({ mimeType: fc.constant('application/x-www-form-urlencoded'), params: keyValues }),
  fc.record({ mimeType: fc.constant('multipart/form-data'), params: fc.array(formParam, { maxLength: 3 }) }),
  fc.record({ mimeType: fc.constant('application/octet-stream'), fileName: text }),
);

/** An auth of each type the request editor offers, with any of its fields, enabled or not. */
const AUTH_FIELDS: Record<string, readonly [string, 'text' | 'bool' | readonly string[]][]> = {
  basic: [['username', 'text'], ['password', 'text'], ['useISO88591', 'bool']],
  bearer: [['token', 'text'], ['prefix', 'text']],
  apikey: [['key', 'text'], ['value', 'text'], ['addTo', ['header', 'queryParams', 'cookie']]],
  digest: [['username', 'text'], ['password', 'text']],
  oauth2: [['accessTokenUrl', 'text'], ['authorizationUrl', 'text'], ['clientId', 'text'], ['clientSecret', 'text'], ['usePkce', 'bool'], ['username', 'text'], ['password', 'text'], ['scope', 'text'], ['redirectUrl', 'text']],
  iam: [['accessKeyId', 'text'], ['secretAccessKey', 'text'], ['region', 'text'], ['service', 'text'], ['sessionToken', 'text']],
};
const authentication: fc.Arbitrary<Authentication> = fc.oneof(
  fc.constant({}),
  ...Object.entries(AUTH_FIELDS).map(([type, fields]) =>
    fc
      .tuple(
        maybe(fc.constant(true)),
        type === 'oauth2' ? fc.constantFrom('client_credentials', 'password', 'authorization_code') : fc.constant(undefined),
        fc.tuple(...fields.map(([, kind]) => maybe<unknown>(kind === 'text' ? text : kind === 'bool' ? bool : fc.constantFrom(...kind)))),
      )
      .map(([disabled, grantType, values]) => {
        const auth: Authentication = { type };
        if (disabled) auth.disabled = true;
        if (grantType) auth.grantType = grantType;
        fields.forEach(([key], i) => {
          if (values[i] !== undefined) auth[key] = values[i];
        });
        return auth;
      }),
  ),
);

const settings = fc.record(
  { renderRequestBody: bool, encodeUrl: bool, followRedirects: fc.constantFrom('global' as const, 'on' as const, 'off' as const), sendCookies: bool, storeCookies: bool, rebuildPath: bool },
  { requiredKeys: [] },
);

/** Any JSON an environment variable holds (the editor's JSON values: objects, lists, numbers, booleans, null). */
const jsonValue = fc.jsonValue({ maxDepth: 2 }).filter((v) => !Object.is(v, -0));
/** Variable names, integer-like ones included (an object puts those first: the order then says where they go). */
const varName = fc.oneof(fc.constantFrom('base_url', 'token', '10', '2024', 'a.b', 'x y', 'yes'), fc.string({ minLength: 1, maxLength: 6 }));
const variables = fc.array(fc.tuple(varName, jsonValue), { maxLength: 4 }).map((pairs) => {
  const seen = new Set<string>();
  return pairs.filter(([k]) => !seen.has(k) && seen.add(k) && k !== '__proto__');
});
const color = fc.constantFrom(null, '#7d69cb', '#dd2f2f', '#59a210');

function dataOf(pairs: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// the real side

interface Real {
  readonly root: string;
  readonly label: string;
  steps: string[];
}

async function load(root: string): Promise<Collection> {
  const { collections } = await loadWorkspace(root);
  assert.equal(collections.length, 1, 'one collection');
  return collections[0];
}

function insomniaReads(real: Real, after: string): void {
  const { issues } = checkInsomniaFolder(real.root);
  assert.deepEqual(
    issues.map((i) => `${path.relative(real.root, i.file)}:${i.line + 1}: ${formatIssue(i)}`),
    [],
    `${real.label}: Insomnia refuses the files after ${after} (steps: ${real.steps.join(' ; ')})`,
  );
}

async function apply(real: Real, c: Collection, edit: Edit): Promise<string | undefined> {
  let r;
  try {
    r = planEditWith(c, edit, { now: NOW, readText: (f) => fs.readFileSync(f, 'utf8') }, {});
  } catch (err) {
    // what the planner refuses (a folder into itself, a v5 spec that is not YAML) writes nothing
    if (/into itself|The spec is not valid YAML|The spec must be a YAML/.test((err as Error).message)) return undefined;
    throw err;
  }
  await writeChanges(r.changes);
  return r.createdId;
}

const envs = (c: Collection): Environment[] => (c.baseEnvironment ? [c.baseEnvironment, ...c.baseEnvironment.subEnvironments] : []);
const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

type Cmd = fc.AsyncCommand<object, Real>;
let ran = 0;

/** An edit the editors make: its name, and the edit on the current collection (undefined: nothing to do on this one). */
interface EditGen {
  readonly name: string;
  readonly edit: (c: Collection) => Edit | undefined;
}
const gen = (name: string, edit: (c: Collection) => Edit | undefined): EditGen => ({ name, edit });

const requests = (c: Collection) => [...walkItems(c.children)].filter((i) => i.kind === 'request');
const folders = (c: Collection) => [...walkItems(c.children)].filter((i) => i.kind === 'folder');
const holdsItems = (c: Collection) => c.scope === 'collection' || c.scope === 'design';

/** A shell word: single-quoted, a quote inside as `'\''`. */
const shellWord = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

/** A cURL command as one is pasted: the fixtures' real ones, or one made of the options the importer reads. */
const curlCommand: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...CURL_COMMANDS),
  fc
    .record({
      method: maybe(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH')),
      url: fc.constantFrom('https://api.example.test/v1/items?a=1&b=', 'http://localhost:8080', 'example.test/x/{{ _.id }}', "https://h.test/p?q='x'#frag"),
      headers: fc.array(fc.tuple(fc.constantFrom('Content-Type', 'Accept', 'X-Token', 'Authorization', 'Cookie'), text), { maxLength: 3 }),
      data: maybe(fc.tuple(fc.constantFrom('-d', '--data-raw', '--data-urlencode', '--data-binary'), text)),
      form: fc.array(fc.tuple(fc.constantFrom('f', 'file', 'a b'), fc.oneof(text, fc.constantFrom('@upload.txt', '@a.png;type=image/png'))), { maxLength: 2 }),
      user: maybe(fc.tuple(text, text)),
      follow: bool,
    })
    .map((r) => [
      'curl',
      ...(r.method ? ['-X', r.method] : []),
      shellWord(r.url),
      ...r.headers.flatMap(([k, v]) => ['-H', shellWord(`${k}: ${v}`)]),
      ...(r.data && !r.form.length ? [r.data[0], shellWord(r.data[1])] : []),
      ...r.form.flatMap(([k, v]) => ['-F', shellWord(`${k}=${v}`)]),
      ...(r.user ? ['-u', shellWord(`${r.user[0]}:${r.user[1]}`)] : []),
      ...(r.follow ? ['-L'] : []),
    ].join(' ')),
);

const SPEC = fc.constantFrom('', 'openapi: 3.0.0\ninfo:\n  title: T\n  version: "1"\npaths: {}\n', '{"openapi":"3.1.0","info":{"title":"J","version":"2"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}', 'not: [valid');

function edits(): fc.Arbitrary<EditGen> {
  const i = fc.nat(40);
  return fc.oneof(
    fc.tuple(i, text, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CUSTOM'), text).map(([n, name, method, url]) =>
      gen(`createRequest(${n})`, (c) => holdsItems(c) ? { kind: 'createRequest', parentId: n % 2 ? (pick(folders(c), n)?.id ?? c.id) : c.id, name, method, url } : undefined),
    ),
    fc.tuple(i, text).map(([n, name]) => gen(`createFolder(${n})`, (c) => holdsItems(c) ? { kind: 'createFolder', parentId: pick(folders(c), n)?.id ?? c.id, name } : undefined)),
    fc.tuple(i, text).map(([n, name]) => gen(`rename(${n}, ${JSON.stringify(name)})`, (c) => {
      const all = [...[...walkItems(c.children)].map((x) => x.id), ...envs(c).map((e) => e.id)];
      const id = pick(all, n);
      return id ? { kind: 'rename', id, name } : undefined;
    })),
    i.map((n) => gen(`duplicate(${n})`, (c) => {
      const all = [...[...walkItems(c.children)].map((x) => x.id), ...(c.baseEnvironment?.subEnvironments ?? []).map((e) => e.id)];
      const id = pick(all, n);
      return id ? { kind: 'duplicate', id } : undefined;
    })),
    i.map((n) => gen(`delete(${n})`, (c) => {
      const all = [...[...walkItems(c.children)].map((x) => x.id), ...(c.baseEnvironment?.subEnvironments ?? []).map((e) => e.id)];
      const id = all.length > 2 ? pick(all, n) : undefined;
      return id ? { kind: 'delete', id } : undefined;
    })),
    fc.tuple(i, i, i).map(([n, p, b]) => gen(`move(${n}, ${p}, ${b})`, (c) => {
      const item = pick([...walkItems(c.children)], n);
      if (!item) return undefined;
      const parentId = pick([c.id, ...folders(c).map((f) => f.id)], p)!;
      const siblings = parentId === c.id ? c.children : (folders(c).find((f) => f.id === parentId) as { children: { id: string }[] }).children;
      const before = b % 3 === 0 ? undefined : pick(siblings.filter((x) => x.id !== item.id), b)?.id;
      return { kind: 'move', id: item.id, parentId, before };
    })),
    fc
      .tuple(i, fc.record({ method: fc.constantFrom('GET', 'POST', 'put', 'PROPFIND'), url: text, parameters: keyValues, headers: keyValues, body, authentication, description: text, settings, scripts: fc.record({ preRequest: text, afterResponse: text }, { requiredKeys: [] }) }, { requiredKeys: [] }))
      .map(([n, fields]) => gen(`setRequestFields(${n}, ${JSON.stringify(fields)})`, (c) => {
        const r = pick(requests(c), n);
        return r ? { kind: 'setRequestFields', id: r.id, fields } : undefined;
      })),
    // a cURL command pasted into the request editor's URL field: the fields it gives, as the editor's one edit
    fc.tuple(i, curlCommand).map(([n, command]) => gen(`pasteCurl(${n}, ${JSON.stringify(command)})`, (c) => {
      const r = pick(requests(c), n);
      if (!r) return undefined;
      let fields;
      try {
        fields = curlPasteFields(command).fields;
      } catch (err) {
        if (err instanceof ImportError) return undefined; // not a command: pasted as text, nothing written
        throw err;
      }
      return { kind: 'setRequestFields', id: r.id, fields };
    })),
    fc.tuple(i, fc.record({ environment: variables, headers: keyValues, authentication, scripts: fc.record({ preRequest: text, afterResponse: text }, { requiredKeys: [] }) }, { requiredKeys: [] })).map(([n, f]) =>
      gen(`setFolderFields(${n}, ${JSON.stringify(f)})`, (c) => {
        const folder = pick(folders(c), n);
        if (!folder) return undefined;
        const { environment, ...rest } = f;
        return { kind: 'setFolderFields', id: folder.id, fields: { ...rest, ...(environment ? { environment: dataOf(environment), environmentOrder: environment.map(([k]) => k) } : {}) } };
      }),
    ),
    fc.tuple(text, variables, color).map(([name, vars, col]) => gen(`createEnvironment(${JSON.stringify([name, vars, col])})`, () => ({ kind: 'createEnvironment', name, data: dataOf(vars), color: col }))),
    // a private environment shared again: into the file with its own id, created time and sort key
    fc.tuple(text, variables, fc.integer({ min: -2e12, max: 2e12 }), fc.double({ min: -2e12, max: 2e12, noNaN: true })).map(([name, vars, created, sortKey]) =>
      gen(`shareEnvironment(${JSON.stringify([name, vars, created, sortKey])})`, () => ({ kind: 'createEnvironment', id: `env_${Math.abs(created).toString(16)}priv`, name, data: dataOf(vars), color: null, created: Math.abs(created), sortKey: Object.is(sortKey, -0) ? 0 : sortKey })),
    ),
    fc.tuple(i, fc.record({ name: text, variables, color, isPrivate: bool, vault: bool }, { requiredKeys: [] })).map(([n, f]) =>
      gen(`setEnvironment(${n}, ${JSON.stringify(f)})`, (c) => {
        const env = pick(envs(c), n);
        if (!env) return undefined;
        // as the environment editor writes it: the `__insomnia*` keys it does not show are kept, last
        const kept = Object.entries(env.data).filter(([k]) => k.startsWith('__insomnia'));
        if (f.vault && !kept.length) kept.push(['__insomnia_vault', { token: 'sealed' }]);
        const pairs = f.variables ? [...f.variables, ...kept] : undefined;
        return {
          kind: 'setEnvironment',
          id: env.id,
          fields: {
            ...(f.name !== undefined ? { name: f.name } : {}),
            ...(f.color !== undefined ? { color: f.color } : {}),
            ...(f.isPrivate !== undefined && env.id !== c.baseEnvironment?.id ? { isPrivate: f.isPrivate } : {}),
            ...(pairs ? { data: dataOf(pairs), order: pairs.map(([k]) => k) } : {}),
          },
        };
      }),
    ),
    fc.tuple(i, variables).map(([n, vars]) => gen(`setEnvironmentData(${n}, ${JSON.stringify(vars)})`, (c) => {
      const env = pick(envs(c), n);
      return env ? { kind: 'setEnvironmentData', id: env.id, data: dataOf(vars) } : undefined;
    })),
    fc.tuple(i, i).map(([n, b]) => gen(`moveEnvironment(${n}, ${b})`, (c) => {
      const subs = c.baseEnvironment?.subEnvironments ?? [];
      const env = pick(subs, n);
      return env ? { kind: 'moveEnvironment', id: env.id, before: b % 3 === 0 ? undefined : pick(subs.filter((x) => x.id !== env.id), b)?.id } : undefined;
    })),
    SPEC.map((contents) => gen(`setSpec(${JSON.stringify(contents)})`, (c) => (c.spec ? { kind: 'setSpec', contents } : undefined))),
  );
}

/** Every file of the repository, by path. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

function restore(root: string, files: Map<string, string>): void {
  for (const p of snapshot(root).keys()) if (!files.has(p)) fs.rmSync(p);
  for (const [p, t] of files) {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== t) fs.writeFileSync(p, t);
  }
}

async function applyGen(real: Real, g: EditGen): Promise<boolean> {
  const c = await load(real.root);
  const e = g.edit(c);
  if (!e) return false;
  await apply(real, c, e);
  return true;
}

const editCmd = (g: EditGen): Cmd => ({
  check: () => true,
  run: async (_m, real) => {
    if (!(await applyGen(real, g))) return;
    ran++;
    real.steps.push(g.name);
    insomniaReads(real, g.name);
  },
  toString: () => g.name,
});

/**
 * Two people's edits of the same starting files, merged field by field as git's merge driver does (merge3.ts): a file
 * one side changed is that side's, a file both changed is the field-level merge (refused: the merge is not made).
 */
const mergeCmd = (ours: EditGen, theirs: EditGen): Cmd => ({
  check: () => true,
  run: async (_m, real) => {
    const base = snapshot(real.root);
    const side = async (g: EditGen): Promise<Map<string, string> | undefined> => {
      restore(real.root, base);
      return (await applyGen(real, g)) ? snapshot(real.root) : undefined;
    };
    const o = await side(ours);
    const t = await side(theirs);
    restore(real.root, base);
    if (!o || !t) return;
    // a legacy document one side deletes (a folder, with the files of its items) while the other adds one under it is
    // git's tree merge, file by file, not the field-level merge: it leaves the new document under nothing, as the
    // git CLI does (Insomnia does not refuse it, it does not show it); the field-level merge is what is checked here
    const removes = (side: Map<string, string>) => [...base.keys()].some((p) => !side.has(p));
    const adds = (side: Map<string, string>) => [...side.keys()].some((p) => !base.has(p));
    if ((removes(o) && adds(t)) || (removes(t) && adds(o))) return;
    const merged = new Map(base);
    for (const p of new Set([...base.keys(), ...o.keys(), ...t.keys()])) {
      const [b, x, y] = [base.get(p), o.get(p), t.get(p)];
      if (x === y) {
        if (x === undefined) merged.delete(p);
        else merged.set(p, x);
      } else if (x === b || y === b) {
        const v = x === b ? y : x;
        if (v === undefined) merged.delete(p);
        else merged.set(p, v);
      } else if (x === undefined || y === undefined) {
        return; // deleted on one side, changed on the other: a conflict, nothing written
      } else {
        const m = mergeCollectionText(p, b ?? null, x, y);
        if (!m.clean) return;
        merged.set(p, m.text);
      }
    }
    ran++;
    const name = `merge(${ours.name}, ${theirs.name})`;
    real.steps.push(name);
    restore(real.root, merged);
    insomniaReads(real, name);
  },
  toString: () => `merge(${ours.name}, ${theirs.name})`,
});

function commands(): fc.Arbitrary<Iterable<Cmd>> {
  return fc.commands([edits().map(editCmd), edits().map(editCmd), edits().map(editCmd), fc.tuple(edits(), edits()).map(([a, b]) => mergeCmd(a, b))], { maxCommands: 12 });
}

/** The collection converted to the other format, and exported as v5 and v4: all of it is what Insomnia reads. */
async function convertAndExport(real: Real, out: string): Promise<void> {
  const c = await load(real.root);
  const other = path.join(out, 'converted');
  fs.mkdirSync(other, { recursive: true });
  const r = c.format === 'legacy' ? convertLegacyToV5(c.path, { root: other }) : convertV5ToLegacy(c.path, { root: other });
  await writeChanges(r.changes, r.scope);
  const converted = checkInsomniaFolder(other).issues.map(formatIssue);
  assert.deepEqual(converted, [], `${real.label} converted (steps: ${real.steps.join(' ; ')})`);
  assert.deepEqual(checkV5Text('export.yaml', v5TextFromFiles(c.format, c.path, c.id).text).map(formatIssue), [], `${real.label} exported as v5`);
  assert.deepEqual(checkV4Text('export.json', exportInsomniaV4FromDocs([readCollectionDocs(c.format, c.path, c.id).docs]).text).map(formatIssue), [], `${real.label} exported as v4`);
}

describe('Insomnia reads every file after every write, model-based (fast-check, seeded)', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-oracle-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  STARTS.forEach((start, s) => {
    it(`random sequences of edits, cURL pastes and merges: ${start.label}`, async () => {
      ran = 0;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(commands(), async (cmds) => {
          const root = path.join(tmp, `run-${runs++}`);
          fs.mkdirSync(root);
          await start.make(root);
          const real: Real = { root, label: start.label, steps: [] };
          insomniaReads(real, 'nothing');
          await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
          await convertAndExport(real, path.join(tmp, `out-${runs}`));
          fs.rmSync(root, { recursive: true, force: true });
        }),
        { seed: Number(process.env.ORACLE_SEED ?? 7100) + s, numRuns: Number(process.env.ORACLE_RUNS ?? 25), interruptAfterTimeLimit: 4_000 },
      );
      assert.ok(runs >= 5 && ran >= 20, `${runs} runs, ${ran} commands`);
    });
  });
});
