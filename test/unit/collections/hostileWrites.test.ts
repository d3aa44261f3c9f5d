// Hostile names and values through every write path, model-based (fast-check, seeded, bounded): random sequences of
// tree commands (new request and folder, rename, duplicate, move, delete), request field edits and environment edits
// whose strings are what breaks a YAML writer or a file system (YAML 1.1 booleans, numbers in every base, dates,
// `: `, ` #`, leading `-`/`*`/`&`/`!`, newlines and CRs, NUL, RTL marks, emoji, NFC against NFD, `__proto__`),
// run against the store on a legacy folder and a v5 file; then the collection is converted (legacy <-> v5),
// exported (v4, Postman) and imported again. After every step:
// - nothing is written outside the repository (a canary folder beside it stays as it was);
// - what was set reads back from the disk exactly (a name `yes` stays the string `yes`), and the store equals a
//   fresh load;
// - Insomnia's own readers (`hammock check --insomnia`) refuse nothing.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { main } from '../../../src/cli';
import { checkInsomniaFolder, checkV5Text, formatIssue } from '../../../src/collections/formats/conformance';
import { parseV5File } from '../../../src/collections/formats/v5';
import { mergeCollectionText } from '../../../src/collections/merge3';
import type { Collection, Environment, HttpRequest, Item } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { CollectionStore } from '../../../src/collections/store';
import { content } from './convert/modelCompare';
import { baseV5, edit } from './mergeSamples';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

/** Pieces of strings that break naive YAML writers, file systems and JavaScript objects. */
export const HOSTILE_ATOMS: readonly string[] = [
  'yes', 'no', 'on', 'off', 'y', 'N', 'true', 'False', 'null', 'Null', '~', '', '0x1F', '1e3', '0o17', '012', '1_000', '.inf', '-.5', '+1',
  '2024-01-01', '2001-12-14t21:59:43.10-05:00', '12:30:45', '- x', '* x', '& x', '! x', '!!str', '# x', '@x', '`x', '%x', '|', '>', '|-2',
  'a: b', 'a #b', 'k:', '---', '...', '[a]', '{a: b}', '"q"', "'q'", '\\', '\\n', '\n', '\r\n', '\r', '\t', ' lead', 'trail ', ' ',
  '\u200f', '\u202e', '\u{1F600}', '\u00e9', 'e\u0301', '\u0000', '\u2028', '\u0085', '\ufeff', '\u00a0', '{{ _.x }}', "{% now 'iso-8601' %}",
  '<<', '=', '?', ',', '../', '/', '..\\', 'C:\\x', 'CON', '__proto__', 'constructor', 'toString', '10', '\u0130', '\u017f',
];

/** A hostile string: a few atoms and random graphemes run together (never a lone surrogate: UTF-8 cannot hold one). */
export const hostileString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_ATOMS) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) }), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));

type Layout = 'legacy' | 'v5';

interface Real {
  readonly parent: string;
  readonly root: string;
  readonly store: CollectionStore;
}

function makeRepo(layout: Layout): Real {
  const parent = mkdtempSync(path.join(tmpdir(), `hammock-hostile-model-${layout}-`));
  const root = path.join(parent, 'repo');
  mkdirSync(root);
  mkdirSync(path.join(parent, 'canary'));
  writeFileSync(path.join(parent, 'canary', 'victim.yml'), 'original\n');
  if (layout === 'legacy') cpSync(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia'), path.join(root, '.insomnia'), { recursive: true });
  else cpSync(path.join(FIXTURES, 'v5/kong-example/my_collection.yaml'), path.join(root, 'my_collection.yaml'));
  return { parent, root, store: new CollectionStore([root]) };
}

/** Nothing outside the repository changed: the canary is as it was, and nothing else appeared beside the repository. */
function canaryUntouched(real: Real): void {
  assert.deepEqual(readdirSync(real.parent).sort(), ['canary', 'repo']);
  assert.deepEqual(readdirSync(path.join(real.parent, 'canary')), ['victim.yml']);
  assert.equal(readFileSync(path.join(real.parent, 'canary', 'victim.yml'), 'utf8'), 'original\n');
}

function insomniaReadsIt(root: string): void {
  const { issues } = checkInsomniaFolder(root);
  assert.deepEqual(issues.map((i) => `${path.relative(root, i.file)}:${i.line + 1}: ${formatIssue(i)}`), [], 'Insomnia refuses what was written');
}

function items(store: CollectionStore): { c: Collection; item: Item }[] {
  return store.collections.flatMap((c) => [...walkItems(c.children)].map((item) => ({ c, item })));
}

/** The item (or environment) with this id in a fresh load of the disk. */
async function reread(root: string, id: string): Promise<Item | Environment | undefined> {
  const { collections } = await loadWorkspace(root);
  for (const c of collections) {
    for (const i of walkItems(c.children)) if (i.id === id) return i;
    const base = c.baseEnvironment;
    if (base?.id === id) return base;
    const sub = base?.subEnvironments.find((e) => e.id === id);
    if (sub) return sub;
  }
  return undefined;
}

async function check(real: Real): Promise<void> {
  canaryUntouched(real);
  insomniaReadsIt(real.root);
  const fresh = await loadWorkspace(real.root);
  assert.deepEqual(content(real.store.collections), content(fresh.collections), 'the store equals a fresh load of the disk');
}

type Cmd = fc.AsyncCommand<object, Real>;

/** How many commands ran (a run of no commands proves nothing). */
let ran = 0;

const cmd = (name: string, run: (real: Real) => Promise<void>): Cmd => ({
  check: () => true,
  run: async (_m, real) => {
    ran++;
    await run(real);
    await check(real);
  },
  toString: () => name,
});

function commands(): fc.Arbitrary<Iterable<Cmd>> {
  return fc.commands(
    [
      fc.tuple(fc.nat(20), hostileString).map(([i, name]) => cmd(`rename(${i}, ${JSON.stringify(name)})`, async (real) => {
        const all = items(real.store);
        if (!all.length) return;
        const { c, item } = all[i % all.length];
        await real.store.apply(c, { kind: 'rename', id: item.id, name });
        assert.equal((await reread(real.root, item.id))?.name, name, 'the name reads back as written');
      })),
      fc.tuple(fc.nat(20), hostileString, hostileString, fc.boolean()).map(([i, name, url, folder]) => cmd(`create${folder ? 'Folder' : 'Request'}(${i}, ${JSON.stringify(name)}, ${JSON.stringify(url)})`, async (real) => {
        const c = real.store.collections[0];
        const folders = [...walkItems(c.children)].filter((x) => x.kind === 'folder');
        const parentId = folders.length && i % 2 ? folders[i % folders.length].id : c.id;
        const r = await real.store.apply(c, folder ? { kind: 'createFolder', parentId, name } : { kind: 'createRequest', parentId, name, method: 'POST', url });
        const back = await reread(real.root, r.createdId!);
        assert.equal(back?.name, name, 'the name reads back as written');
        if (!folder) assert.equal((back as HttpRequest).url, url, 'the URL reads back as written');
      })),
      fc.tuple(fc.nat(20), hostileString, hostileString).map(([i, a, b]) => cmd(`setRequestFields(${i}, ${JSON.stringify(a)}, ${JSON.stringify(b)})`, async (real) => {
        const all = items(real.store).filter((x) => x.item.kind === 'request');
        if (!all.length) return;
        const { c, item } = all[i % all.length];
        const fields = { description: a, body: { mimeType: 'text/plain', text: `${a}\n${b}` }, headers: [{ name: a, value: b }], parameters: [{ name: b, value: a }], scripts: { preRequest: b, afterResponse: a } };
        await real.store.apply(c, { kind: 'setRequestFields', id: item.id, fields });
        const back = (await reread(real.root, item.id)) as HttpRequest;
        assert.deepEqual(
          { description: back.description, text: back.body.text, headers: back.headers.map((h) => [h.name, h.value]), parameters: back.parameters.map((p) => [p.name, p.value]), scripts: back.scripts },
          { description: a, text: `${a}\n${b}`, headers: [[a, b]], parameters: [[b, a]], scripts: { preRequest: b, afterResponse: a } },
          'the fields read back as written',
        );
      })),
      fc.tuple(hostileString, hostileString, hostileString).map(([key, value, name]) => cmd(`setEnvironment(${JSON.stringify(key)}, ${JSON.stringify(value)}, ${JSON.stringify(name)})`, async (real) => {
        const c = real.store.collections[0];
        const base = c.baseEnvironment;
        if (!base) return;
        const data: Record<string, unknown> = {};
        for (const k of Object.keys(base.data)) Object.defineProperty(data, k, { value: base.data[k], enumerable: true, writable: true, configurable: true });
        Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
        await real.store.apply(c, { kind: 'setEnvironment', id: base.id, fields: { name, data } });
        const back = (await reread(real.root, base.id)) as Environment;
        assert.equal(back.name, name, 'the environment name reads back as written');
        assert.ok(Object.prototype.hasOwnProperty.call(back.data, key), `the variable ${JSON.stringify(key)} reads back`);
        assert.equal(back.data[key], value, 'the variable value reads back as written');
      })),
      fc.tuple(hostileString, hostileString).map(([name, value]) => cmd(`createEnvironment(${JSON.stringify(name)}, ${JSON.stringify(value)})`, async (real) => {
        const c = real.store.collections[0];
        const r = await real.store.apply(c, { kind: 'createEnvironment', name, data: { v: value } });
        const back = (await reread(real.root, r.createdId!)) as Environment;
        assert.equal(back.name, name);
        assert.equal(back.data.v, value);
      })),
      fc.nat(20).map((i) => cmd(`duplicate(${i})`, async (real) => {
        const all = items(real.store);
        if (!all.length) return;
        const { c, item } = all[i % all.length];
        const r = await real.store.apply(c, { kind: 'duplicate', id: item.id });
        assert.ok(r.createdId && (await reread(real.root, r.createdId)), 'the copy is there');
      })),
      fc.tuple(fc.nat(20), fc.nat(20)).map(([i, j]) => cmd(`move(${i}, ${j})`, async (real) => {
        const all = items(real.store);
        if (!all.length) return;
        const { c, item } = all[i % all.length];
        const containers = [c.id, ...[...walkItems(c.children)].filter((x) => x.kind === 'folder').map((x) => x.id)];
        try {
          await real.store.apply(c, { kind: 'move', id: item.id, parentId: containers[j % containers.length] });
        } catch (err) {
          if (!/into itself/.test((err as Error).message)) throw err;
        }
      })),
      fc.nat(20).map((i) => cmd(`delete(${i})`, async (real) => {
        const all = items(real.store);
        if (all.length < 2) return;
        const { c, item } = all[i % all.length];
        await real.store.apply(c, { kind: 'delete', id: item.id });
        assert.equal(await reread(real.root, item.id), undefined);
      })),
    ],
    { maxCommands: 15 },
  );
}

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/**
 * The names of a collection's items in tree order, with their URLs: what every format keeps (`unnamed`: what an
 * importer calls an item without a name, and the URL up to its query and fragment: a Postman request's query is its
 * parameters, it has no fragment; Hammock's Postman importer, as Postman, names an unnamed request "New Request").
 */
function names(c: Collection, unnamed = false): string[] {
  const name = (i: Item) => (unnamed && i.name === '' ? (i.kind === 'folder' ? 'New Folder' : 'New Request') : i.name);
  const url = (u: string) => (unnamed ? u.replace(/[?#][^]*$/, '') : u);
  return [...walkItems(c.children)].map((i) => (i.kind === 'request' ? `${i.kind} ${JSON.stringify(name(i))} ${JSON.stringify(url(i.url))}` : `${i.kind} ${JSON.stringify(name(i))}`));
}

/** Convert, export (v4, Postman) and import again: nothing outside, Insomnia reads all of it, names and URLs kept. */
async function throughEveryFormat(real: Real, layout: Layout): Promise<void> {
  const [before] = (await loadWorkspace(real.root)).collections;
  const r = await cli(['convert', '.', '--collection', before.id, '--to', layout === 'legacy' ? 'v5' : 'legacy', '--out', 'converted'], real.root);
  assert.equal(r.code, 0, r.stderr);
  canaryUntouched(real);
  insomniaReadsIt(real.root);
  const converted = (await loadWorkspace(path.join(real.root, 'converted'))).collections;
  assert.equal(converted.length, 1);
  assert.deepEqual(content(converted[0].children), content(before.children), 'the conversion keeps every item');
  assert.deepEqual(content(converted[0].baseEnvironment), content(before.baseEnvironment), 'the conversion keeps the environments');
  for (const [format, file] of [['v4', 'export.json'], ['postman', 'export.postman.json']] as const) {
    const out = path.join(real.parent, file);
    const e = await cli(['export', 'repo/converted', '--format', format, '--out', out], real.parent);
    assert.equal(e.code, 0, e.stderr);
    const into = path.join(real.root, `imported-${format}`);
    mkdirSync(into);
    for (const target of ['v5', 'legacy'] as const) {
      const dir = path.join(into, target);
      mkdirSync(dir);
      const i = await cli(['import', out, dir, '--format', target], real.parent);
      assert.equal(i.code, 0, i.stderr);
      insomniaReadsIt(dir);
      const [back] = (await loadWorkspace(dir)).collections;
      assert.deepEqual(names(back), names(before, format === 'postman'), `${format} export then ${target} import keeps names and URLs`);
    }
    rmSync(out);
  }
  canaryUntouched(real);
}

describe('hostile names and values through every write path, model-based (store, convert, export, import)', function () {
  this.timeout(240_000);
  for (const [layout, seed] of [['legacy', 6101], ['v5', 6202]] as const) {
    it(`reads back what was written, writes nothing outside, Insomnia refuses nothing: ${layout}`, async () => {
      ran = 0;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(commands(), async (cmds) => {
          const real = makeRepo(layout);
          runs++;
          try {
            await real.store.reload();
            await check(real);
            await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
            await throughEveryFormat(real, layout);
          } finally {
            real.store.dispose();
            rmSync(real.parent, { recursive: true, force: true });
          }
        }),
        { seed, numRuns: 40, interruptAfterTimeLimit: 60_000 },
      );
      assert.ok(runs >= 40 && ran >= 150, `${runs} runs, ${ran} commands`);
    });
  }
});

/** A shell word for `s`: single-quoted, a quote inside as `'\''`. */
const shellWord = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** An import file of each kind whose names, URLs, headers and bodies are hostile strings. */
function hostileImports(a: string, b: string): { file: string; text: string; names?: string[] }[] {
  const url = `http://h.test/${encodeURIComponent(b)}`;
  return [
    {
      file: 'hostile.postman_collection.json',
      text: JSON.stringify({
        info: { name: a, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [{ name: b, item: [{ name: a, request: { method: 'POST', url, header: [{ key: a, value: b }], body: { mode: 'raw', raw: b } } }] }],
        variable: [{ key: a, value: b }],
      }),
      names: [b, a],
    },
    {
      file: 'hostile.har',
      text: JSON.stringify({
        log: {
          version: '1.2',
          creator: { name: a, version: '1' },
          entries: [{ request: { method: 'POST', url, httpVersion: 'HTTP/1.1', headers: [{ name: `x-${encodeURIComponent(a)}`, value: b }], queryString: [], cookies: [], headersSize: -1, bodySize: -1, postData: { mimeType: 'text/plain', text: b } }, response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'text/plain' }, redirectURL: '', headersSize: -1, bodySize: -1 }, cache: {}, timings: { send: 0, wait: 0, receive: 0 }, startedDateTime: '2024-01-01T00:00:00Z', time: 0 }],
        },
      }),
    },
    { file: 'hostile.curl', text: `curl -X POST -H ${shellWord(`x-h: ${a}`)} --data-raw ${shellWord(b)} ${shellWord(url)}\n` },
    {
      file: 'hostile.openapi.json',
      text: JSON.stringify({ openapi: '3.0.0', info: { title: a, version: '1' }, servers: [{ url: 'http://h.test' }], paths: { '/p': { get: { summary: b, tags: [a], responses: { '200': { description: 'ok' } } } } } }),
    },
  ];
}

describe('hostile names and values through every importer (Postman, HAR, curl, OpenAPI), property-based', function () {
  this.timeout(120_000);
  it('writes only inside the repository, Insomnia reads every file, names kept (fast-check, seeded)', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, async (a, b) => {
        runs++;
        const real = makeRepo('v5');
        try {
          for (const input of hostileImports(a, b)) {
            const source = path.join(real.parent, input.file);
            writeFileSync(source, input.text);
            for (const format of ['v5', 'legacy'] as const) {
              const dir = path.join(real.root, `${input.file}-${format}`);
              mkdirSync(dir);
              const r = await cli(['import', source, dir, '--format', format], real.parent);
              assert.equal(r.code, 0, `${input.file} as ${format}: ${r.stderr}`);
              insomniaReadsIt(dir);
              const snapshot = await loadWorkspace(dir);
              assert.equal(snapshot.collections.length, 1, `${input.file} as ${format}`);
              const problems = [...snapshot.problems, ...snapshot.collections[0].problems].filter((p) => p.severity === 'error');
              assert.deepEqual(problems, [], `${input.file} as ${format}`);
              if (input.names) assert.deepEqual([...walkItems(snapshot.collections[0].children)].map((i) => i.name), input.names.map((n, i) => n || (i === 0 ? 'New Folder' : 'New Request')));
            }
            rmSync(source);
            canaryUntouched(real);
          }
        } finally {
          real.store.dispose();
          rmSync(real.parent, { recursive: true, force: true });
        }
      }),
      { seed: 6303, numRuns: 30, interruptAfterTimeLimit: 60_000 },
    );
    assert.ok(runs >= 30, `${runs} runs`);
  });
});

describe('hostile names and values through the field-level merge, property-based', () => {
  it('merges one side\'s hostile names with the other\'s hostile values into a file Insomnia reads, each kept (fast-check, seeded)', () => {
    const base = baseV5();
    const file = '/repo/demo.yaml';
    fc.assert(
      fc.property(hostileString, hostileString, hostileString, (a, b, key) => {
        const ours = edit(base, (e) => {
          e.set(['collection', 0, 'children', 0, 'name'], a);
          e.set(['collection', 1, 'name'], b);
          e.set(['environments', 'subEnvironments', 0, 'data', key], a);
        });
        const theirs = edit(base, (e) => {
          e.set(['collection', 0, 'children', 0, 'url'], b);
          e.set(['collection', 0, 'children', 0, 'headers'], [{ name: a, value: b }]);
          e.set(['collection', 2, 'name'], a);
          e.set(['environments', 'data', key], b);
        });
        const merged = mergeCollectionText(file, base, ours, theirs);
        assert.ok(merged.clean, JSON.stringify(merged));
        assert.deepEqual(checkV5Text(file, merged.text).map(formatIssue), [], 'Insomnia refuses the merged file');
        const { collection, problems } = parseV5File(file, merged.text);
        assert.deepEqual(problems, []);
        const byId = new Map([...walkItems(collection!.children)].map((i) => [i.id, i]));
        const r1 = byId.get('req_1') as HttpRequest;
        assert.deepEqual([r1.name, r1.url, r1.headers.map((h) => [h.name, h.value]), byId.get('req_3')!.name, byId.get('req_4')!.name], [a, b, [[a, b]], b, a]);
        const own = (o: Record<string, unknown>, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value;
        assert.equal(own(collection!.baseEnvironment!.data, key), b, 'theirs\' variable');
        assert.equal(own(collection!.baseEnvironment!.subEnvironments[0].data, key), a, 'ours\' variable');
      }),
      { seed: 6404, numRuns: 100 },
    );
  });
});

describe('a very large hostile body through the store', function () {
  this.timeout(120_000);
  for (const layout of ['legacy', 'v5'] as const) {
    it(`writes a 2 MB body of every hostile atom and reads it back exactly, Insomnia reads the file: ${layout}`, async () => {
      const real = makeRepo(layout);
      try {
        await real.store.reload();
        const c = real.store.collections[0];
        const r = await real.store.apply(c, { kind: 'createRequest', parentId: c.id, name: 'big', method: 'POST', url: 'http://h.test/' });
        let text = '';
        for (let i = 0; text.length < 2_000_000; i++) text += `${HOSTILE_ATOMS[i % HOSTILE_ATOMS.length]}${i % 7 === 0 ? '\n' : ' '}`;
        await real.store.apply(real.store.collections[0], { kind: 'setRequestFields', id: r.createdId!, fields: { body: { mimeType: 'text/plain', text } } });
        const back = (await reread(real.root, r.createdId!)) as HttpRequest;
        assert.ok(back.body.text === text, `the body reads back (${back.body.text?.length} of ${text.length} characters)`);
        await check(real);
      } finally {
        real.store.dispose();
        rmSync(real.parent, { recursive: true, force: true });
      }
    });
  }
});
