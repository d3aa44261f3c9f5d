// A legacy folder assembled as its files come in (formats/legacy.ts's LegacyAssembly, fed by legacyReader.ts's
// DeliveredFiles as the read worker's batches land, in any order) gives exactly what assembling every file at once
// gives (scan.ts's assembleLegacyFolder): the same collections, items, children order, environments and problems,
// and the same models in the files' states. Differential and model-based (fast-check, seeded, bounded): random
// folders with malformed files, duplicate ids, orphans, parentId cycles, requests named as parents, two workspaces,
// wrong folders and file names, unknown types and files gone before they were read, cut into batches that arrive in
// a random order, each through the worker's packing and a structured clone.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import type { FileStamp, LegacyFileState } from '../../../src/collections/fileState';
import { legacyFileState, packStates, unpackStates } from '../../../src/collections/legacyFiles';
import { DeliveredFiles } from '../../../src/collections/legacyReader';
import { assembleLegacyFolder, finishLegacyAssembly } from '../../../src/collections/scan';
import { Slicer } from '../../../src/collections/slicer';

const DIR = path.join(path.sep, 'repo', '.insomnia');

const TYPES = ['Workspace', 'RequestGroup', 'Request', 'GrpcRequest', 'WebSocketRequest', 'Environment', 'ApiSpec', 'UnitTestSuite', 'UnitTest', 'MockServer', 'MockRoute', 'ProtoFile'] as const;
const IDS = ['wrk_a', 'wrk_b', 'fld_1', 'fld_2', 'fld_3', 'fld_4', 'req_1', 'req_2', 'req_3', 'req_4', 'req_5', 'req_6', 'env_1', 'env_2', 'env_3', 'spc_1', 'uts_1', 'ut_1', 'mock_1', 'mrt_1'];

interface FileSpec {
  readonly type: (typeof TYPES)[number];
  readonly id: string;
  readonly parentId: string;
  readonly sortKey: number;
  /** a type folder other than the type's own. */
  readonly wrongFolder: boolean;
  /** the file named after another id. */
  readonly name: string;
  readonly broken: boolean;
  /** gone before it was read (the worker posts no state). */
  readonly gone: boolean;
}

const FOLDERS = ['fld_1', 'fld_2', 'fld_3', 'fld_4'];
/** mostly folders and requests under folders and workspaces: trees, cycles and orphans; every other type too. */
const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  type: fc.oneof({ arbitrary: fc.constantFrom('RequestGroup', 'Request'), weight: 6 }, { arbitrary: fc.constant('Workspace'), weight: 1 }, { arbitrary: fc.constantFrom(...TYPES), weight: 3 }),
  id: fc.oneof({ arbitrary: fc.constantFrom(...FOLDERS), weight: 2 }, { arbitrary: fc.constantFrom(...IDS), weight: 3 }),
  parentId: fc.oneof({ arbitrary: fc.constantFrom(...FOLDERS, 'wrk_a'), weight: 4 }, { arbitrary: fc.constantFrom('', 'missing', ...IDS), weight: 1 }),
  sortKey: fc.integer({ min: -3, max: 3 }),
  wrongFolder: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  name: fc.constantFrom(...IDS),
  broken: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
  gone: fc.integer({ min: 0, max: 20 }).map((n) => n === 0),
});

function textOf(f: FileSpec, i: number): string {
  if (f.broken) return 'name: [unclosed\n_id: x\n';
  const lines = [`_id: ${f.id}`, `type: ${f.type}`, `parentId: ${f.parentId || 'null'}`, `name: ${f.type} ${i}`, `metaSortKey: ${f.sortKey}`, `created: ${1700000000000 + (i % 5)}`];
  if (f.type === 'Request') lines.push('method: GET', `url: https://example.test/${i}`, 'headers:', '  - name: Accept', '    value: text/plain');
  if (f.type === 'Environment') lines.push('data:', `  n: ${i}`);
  return lines.join('\n') + '\n';
}

/** The files of a folder as the listing gives them: by type folder, then name; one state each (null: gone). */
function folderOf(specs: readonly FileSpec[]): { files: string[]; folders: string[]; texts: (string | null)[] } {
  const byPath = new Map<string, { folder: string; text: string | null }>();
  specs.forEach((f, i) => {
    const folder = f.wrongFolder ? (f.type === 'Request' ? 'RequestGroup' : 'Request') : f.type;
    // each spec its own file: the name's id, and a suffix where it would repeat a path
    let file = path.join(DIR, folder, `${f.name}.yml`);
    for (let n = 2; byPath.has(file); n++) file = path.join(DIR, folder, `${f.name}-${n}.yml`);
    byPath.set(file, { folder, text: f.gone ? null : textOf(f, i) });
  });
  const sorted = [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { files: sorted.map(([f]) => f), folders: sorted.map(([, v]) => v.folder), texts: sorted.map(([, v]) => v.text) };
}

function statesOf(folder: ReturnType<typeof folderOf>): (LegacyFileState | null)[] {
  return folder.files.map((file, i) => {
    const text = folder.texts[i];
    const stamp: FileStamp = { size: text?.length ?? 0, mtimeMs: i, ctimeMs: i, ino: i + 1, dev: 1 };
    return text === null ? null : legacyFileState(file, folder.folders[i]!, text, stamp);
  });
}

/** The in-thread way: every state in a map, in the listing's order, assembled at once. */
async function allAtOnce(folder: ReturnType<typeof folderOf>) {
  const files = new Map<string, LegacyFileState>();
  statesOf(folder).forEach((s, i) => s && files.set(folder.files[i]!, s));
  return { files, result: await assembleLegacyFolder(DIR, files) };
}

/** The worker's way: batches of the listing, packed and cloned, taken in `order`, then finished. */
async function asBatchesLand(folder: ReturnType<typeof folderOf>, cuts: readonly number[], order: readonly number[]) {
  const all = statesOf(folder);
  const bounds = [0, ...[...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b).filter((c) => c > 0 && c < all.length), all.length];
  const batches: number[][] = [];
  for (let b = 0; b + 1 < bounds.length; b++) batches.push(Array.from({ length: bounds[b + 1]! - bounds[b]! }, (_, k) => bounds[b]! + k));
  const delivered = new DeliveredFiles(DIR);
  const taken = new Set<number>();
  const take = (b: number) => {
    if (taken.has(b)) return;
    taken.add(b);
    const indexes = batches[b]!;
    const files = indexes.map((i) => folder.files[i]!);
    const packed = structuredClone(packStates(files, indexes.map((i) => all[i])));
    delivered.take(indexes, files, unpackStates(files, packed));
  };
  for (const o of order) if (batches.length) take(o % batches.length);
  for (let b = 0; b < batches.length; b++) take(b);
  assert.equal(delivered.assembled, all.length, 'every file was taken into the assembly');
  const files = new Map<string, LegacyFileState>();
  delivered.stateAt.forEach((s, i) => s && files.set(delivered.fileAt[i]!, s));
  return { files, result: await finishLegacyAssembly(delivered.assembly, new Slicer(undefined, 1)), batches: batches.length };
}

describe('legacy assembly as the files come in', () => {
  it('equals assembling every file at once, whatever the folder and the batches\' order (model-based)', async () => {
    let multiBatch = 0;
    let cycles = 0;
    let problems = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fileSpec, { minLength: 0, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (specs, cuts, order) => {
          const folder = folderOf(specs);
          const expected = await allAtOnce(folder);
          const landed = await asBatchesLand(folder, cuts, order);
          if (landed.batches > 1) multiBatch++;
          if (expected.result.collections.some((c) => c.problems.some((p) => p.message.includes('cycle')))) cycles++;
          if (expected.result.problems.length || expected.result.collections.some((c) => c.problems.length)) problems++;
          assert.deepStrictEqual(landed.result, expected.result);
          assert.deepStrictEqual([...landed.files.keys()], [...expected.files.keys()]);
          assert.deepStrictEqual([...landed.files.values()], [...expected.files.values()]);
        },
      ),
      { seed: 1010, numRuns: 1000 },
    );
    if (process.env.SHOW_COUNTS) console.log({ multiBatch, cycles, problems });
    // the runs went where the differences would be
    assert.ok(multiBatch > 300, `batches out of order in ${multiBatch} runs`);
    assert.ok(cycles > 5, `parentId cycles in ${cycles} runs`);
    assert.ok(problems > 300, `problems in ${problems} runs`);
  });

  it('links a folder\'s children that came before it and after it in the listing\'s order, then sorts them as at once', async () => {
    // a folder with children before it in the listing (Request/) and after it (a request filed in RequestGroup/)
    const spec = (type: FileSpec['type'], id: string, parentId: string, sortKey: number, wrongFolder = false): FileSpec => ({ type, id, parentId, sortKey, wrongFolder, name: id, broken: false, gone: false });
    const folder = folderOf([spec('Workspace', 'wrk_a', '', 0), spec('Request', 'req_1', 'fld_1', 2), spec('RequestGroup', 'fld_1', 'wrk_a', 0), spec('Request', 'req_4', 'fld_1', 1, true), spec('Request', 'req_2', 'fld_1', 0)]);
    assert.deepEqual(folder.files.map((f) => path.basename(f)), ['req_1.yml', 'req_2.yml', 'fld_1.yml', 'req_4.yml', 'wrk_a.yml']);
    const expected = await allAtOnce(folder);
    // batches [req_1 req_2] [fld_1 req_4] [wrk_a]: the requests wait for their folder, the workspace for the rest
    const landed = await asBatchesLand(folder, [2, 4], [0, 2, 1]);
    assert.equal(landed.batches, 3);
    assert.deepStrictEqual(landed.result, expected.result);
    const top = landed.result.collections[0]!.children;
    assert.deepEqual(top.map((i) => i.id), ['fld_1']);
    assert.deepEqual(top[0]!.kind === 'folder' && top[0].children.map((i) => i.id), ['req_2', 'req_4', 'req_1']);
  });
});
