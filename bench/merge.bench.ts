// How many of git's line-merge conflicts on collection files the field-level merge removes (issue 5).
//
// Corpus (seeded, same seed same pairs): small generated collections (bench/generate.ts, as Insomnia writes them),
// as v5 files and as legacy `.insomnia/` documents. Each pair is one base text and two people's edits of it, made
// with Hammock's own minimal-diff writer (YamlEditor), each bumping the `modified` stamp as Insomnia does:
//   v5:     different fields of one request, different requests (anywhere), neighbouring requests (the end of one,
//           the start of the next), the same field to the same value, the same field to different values (a true
//           conflict), a delete against an edit of that request (a true conflict), a delete against an edit of
//           its neighbour, an addition on both sides at the end of one folder, a reorder (two siblings swapped)
//           against an edit of one of them, two different variables of the base environment, a move to another
//           folder against an edit of the moved request, a change of one header against an added header (not a true
//           conflict for a person, but a header list is one field to the field merge: it stays a conflict, by design);
//   legacy: different fields of one request, the same field to the same value, the same field to different
//           values (true), the header list changed on both sides (true), two variables of an environment.
// A pair is a TRUE conflict when both people changed the same field (or one deleted what the other changed) to
// different results; every other pair is not.
//
// For each pair: git's line merge (as `git merge` runs it: `lineMerge`, src/git/plumbing/lineMerge.ts) and, when it conflicts,
// the field merge (`mergeCollectionText`). Metrics:
//   merge_pairs                     pairs in the corpus
//   line_merge_conflicts            pairs the line merge conflicts on
//   line_merge_false_conflicts      of those, the pairs that are not true conflicts
//   field_merge_resolved            false conflicts the field merge resolves
//   false_conflicts_removed_pct     100 * field_merge_resolved / line_merge_false_conflicts
//   true_conflicts                  true conflicts in the corpus
//   true_conflicts_kept             true conflicts the field merge reports as conflicts (must equal true_conflicts)
//   field_merge_wrong               resolved merges whose result is not both sides' edits (must be 0)
//   field_merge_v5_3k_ms / line_merge_v5_3k_ms   one merge of the 3,000-request V5_3K file (two edits), median
// The module throws when a true conflict is resolved or a result is wrong.

import { isDeepStrictEqual } from 'node:util';
import * as YAML from 'yaml';
import { mergeCollectionText } from '../src/collections/merge3';
import { loadYaml } from '../src/collections/formats/fields';
import { YamlEditor, type YamlPath } from '../src/collections/yamlEdit';
import { lineMerge } from '../src/git/mergeDriver';
import { generateCollection, legacyFiles, Rng, V5_3K, v5Object, v5Text } from './generate';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';

export const targets: BenchTargets = { field_merge_wrong: 0 };

interface Pair {
  scenario: string;
  path: string;
  base: string;
  ours: string;
  theirs: string;
  trueConflict: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined => (isObj(v) && isObj(v.meta) && typeof v.meta.id === 'string' ? v.meta.id : undefined);

interface Loc {
  path: YamlPath;
  listPath: YamlPath;
  index: number;
  item: Obj;
}

/** Every request of a v5 document with its path, and the lists of id'd items. */
function requestsOf(doc: Obj): { requests: Loc[]; lists: YamlPath[] } {
  const requests: Loc[] = [];
  const lists: YamlPath[] = [];
  const walk = (list: unknown, listPath: YamlPath): void => {
    if (!Array.isArray(list)) return;
    lists.push(listPath);
    list.forEach((item, index) => {
      if (!isObj(item)) return;
      const p = [...listPath, index];
      if (Array.isArray(item.children)) walk(item.children, [...p, 'children']);
      else if (typeof item.method === 'string') requests.push({ path: p, listPath, index, item });
    });
  };
  walk(doc.collection, ['collection']);
  return { requests, lists };
}

function edit(text: string, fn: (e: YamlEditor) => void): string {
  const e = new YamlEditor(text);
  fn(e);
  return e.toString();
}

const stamp = (e: YamlEditor, p: YamlPath, at: number): void => {
  e.set([...p, 'meta', 'modified'], at);
};

function newRequest(rng: Rng, sortKey: number): Obj {
  return {
    url: `{{ _.base_url }}/v1/new/${rng.hex(6)}`,
    name: `New ${rng.hex(4)}`,
    meta: { id: rng.id('req'), created: 1800000000000, modified: 1800000000000, isPrivate: false, description: '', sortKey },
    method: 'GET',
    headers: [{ name: 'Accept', value: 'application/json' }],
    settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', cookies: { send: true, store: true }, rebuildPath: true },
  };
}

const V5_SCENARIOS = [
  'different_fields',
  'different_requests',
  'neighbouring_requests',
  'same_field_same_value',
  'same_field_different_values',
  'delete_against_edit',
  'delete_against_neighbour_edit',
  'added_on_both_sides',
  'reorder_against_edit',
  'different_environment_variables',
  'move_against_edit',
  'different_entries_of_one_header_list',
] as const;
const TRUE_V5 = new Set(['same_field_different_values', 'delete_against_edit']);

function v5Pair(rng: Rng, base: string, doc: Obj, scenario: (typeof V5_SCENARIOS)[number]): Pair | undefined {
  const { requests } = requestsOf(doc);
  const siblings = requests.filter((r, i) => i + 1 < requests.length && isDeepStrictEqual(requests[i + 1].listPath, r.listPath) && requests[i + 1].index === r.index + 1);
  const r = rng.pick(requests);
  const t1 = 1800000000001 + rng.int(1000);
  const t2 = 1800000000001 + rng.int(1000);
  const newUrl = (x: Obj): string => `${String(x.url)}/${rng.hex(4)}`;
  let ours = base;
  let theirs = base;
  switch (scenario) {
    case 'different_fields':
      ours = edit(base, (e) => (e.set([...r.path, 'url'], newUrl(r.item)), stamp(e, r.path, t1)));
      theirs = edit(base, (e) => (e.set([...r.path, 'method'], r.item.method === 'PATCH' ? 'PUT' : 'PATCH'), e.set([...r.path, 'name'], `${String(r.item.name)} v2`), stamp(e, r.path, t2)));
      break;
    case 'different_requests': {
      const others = requests.filter((x) => x !== r);
      const s = rng.pick(others);
      ours = edit(base, (e) => (e.set([...r.path, 'url'], newUrl(r.item)), stamp(e, r.path, t1)));
      theirs = edit(base, (e) => (e.set([...s.path, 'name'], `${String(s.item.name)} (renamed)`), stamp(e, s.path, t2)));
      break;
    }
    case 'neighbouring_requests': {
      if (!siblings.length) return undefined;
      const a = rng.pick(siblings);
      const b = requests[requests.indexOf(a) + 1];
      ours = edit(base, (e) => (e.set([...a.path, 'settings', 'rebuildPath'], false), stamp(e, a.path, t1)));
      theirs = edit(base, (e) => (e.set([...b.path, 'url'], newUrl(b.item)), stamp(e, b.path, t2)));
      break;
    }
    case 'same_field_same_value': {
      const url = newUrl(r.item);
      ours = edit(base, (e) => (e.set([...r.path, 'url'], url), stamp(e, r.path, t1)));
      theirs = edit(base, (e) => (e.set([...r.path, 'url'], url), stamp(e, r.path, t2)));
      break;
    }
    case 'same_field_different_values':
      ours = edit(base, (e) => (e.set([...r.path, 'url'], `${String(r.item.url)}/ours`), stamp(e, r.path, t1)));
      theirs = edit(base, (e) => (e.set([...r.path, 'url'], `${String(r.item.url)}/theirs`), stamp(e, r.path, t2)));
      break;
    case 'delete_against_edit':
      ours = edit(base, (e) => e.deleteSeqItem(r.path));
      theirs = edit(base, (e) => (e.set([...r.path, 'url'], newUrl(r.item)), stamp(e, r.path, t2)));
      break;
    case 'delete_against_neighbour_edit': {
      if (!siblings.length) return undefined;
      const a = rng.pick(siblings);
      const b = requests[requests.indexOf(a) + 1];
      ours = edit(base, (e) => e.deleteSeqItem(a.path));
      theirs = edit(base, (e) => (e.set([...b.path, 'url'], newUrl(b.item)), stamp(e, b.path, t2)));
      break;
    }
    case 'added_on_both_sides': {
      const sk = -1700000000000 + rng.int(1000);
      ours = edit(base, (e) => e.insertSeqItem(r.listPath, 'end', newRequest(rng, sk)));
      theirs = edit(base, (e) => e.insertSeqItem(r.listPath, 'end', newRequest(rng, sk + 1)));
      break;
    }
    case 'reorder_against_edit': {
      if (!siblings.length) return undefined;
      const a = rng.pick(siblings);
      const b = requests[requests.indexOf(a) + 1];
      const sa = (a.item.meta as Obj).sortKey;
      const sb = (b.item.meta as Obj).sortKey;
      // theirs drags b above a (Insomnia rewrites both sort keys and the list order)
      theirs = edit(base, (e) => {
        e.deleteSeqItem(b.path);
        e.insertSeqItem(a.listPath, a.index, { ...b.item, meta: { ...(b.item.meta as Obj), sortKey: sa, modified: t2 } });
        e.set([...a.path, 'meta', 'sortKey'], sb);
      });
      ours = edit(base, (e) => (e.set([...a.path, 'url'], newUrl(a.item)), stamp(e, a.path, t1)));
      break;
    }
    case 'move_against_edit': {
      // theirs drags r into another folder; ours edits r
      const { lists } = requestsOf(doc);
      const targets = lists.filter((l) => !isDeepStrictEqual(l, r.listPath));
      if (!targets.length) return undefined;
      const to = rng.pick(targets);
      theirs = edit(base, (e) => {
        e.deleteSeqItem(r.path);
        e.insertSeqItem(to, 'end', { ...r.item, meta: { ...(r.item.meta as Obj), modified: t2 } });
      });
      ours = edit(base, (e) => (e.set([...r.path, 'url'], newUrl(r.item)), stamp(e, r.path, t1)));
      break;
    }
    case 'different_entries_of_one_header_list': {
      // not a true conflict for a person (one changes a header, the other adds one), but a header list is one
      // field to the field merge: it stays a conflict by design
      const withHeaders = requests.filter((x) => Array.isArray(x.item.headers) && (x.item.headers as unknown[]).length > 0);
      if (!withHeaders.length) return undefined;
      const h = rng.pick(withHeaders);
      ours = edit(base, (e) => (e.set([...h.path, 'headers', 0, 'value'], `ours-${rng.hex(4)}`), stamp(e, h.path, t1)));
      theirs = edit(base, (e) => (e.insertSeqItem([...h.path, 'headers'], 'end', { name: 'X-Added', value: rng.hex(6) }), stamp(e, h.path, t2)));
      break;
    }
    case 'different_environment_variables': {
      const env = doc.environments as Obj | undefined;
      const data = isObj(env?.data) ? Object.keys(env!.data as Obj) : [];
      if (data.length < 2) return undefined;
      const i = rng.int(data.length - 1);
      ours = edit(base, (e) => (e.set(['environments', 'data', data[i]], `ours-${rng.hex(4)}`), e.set(['environments', 'meta', 'modified'], t1)));
      theirs = edit(base, (e) => (e.set(['environments', 'data', data[i + 1]], `theirs-${rng.hex(4)}`), e.set(['environments', 'meta', 'modified'], t2)));
      break;
    }
  }
  return { scenario: `v5/${scenario}`, path: 'collections/bench.yaml', base, ours, theirs, trueConflict: TRUE_V5.has(scenario) };
}

const LEGACY_SCENARIOS = ['different_fields', 'same_field_same_value', 'same_field_different_values', 'headers_both_sides', 'different_environment_variables'] as const;
const TRUE_LEGACY = new Set(['same_field_different_values', 'headers_both_sides']);

function legacyPair(rng: Rng, request: string, env: string, scenario: (typeof LEGACY_SCENARIOS)[number]): Pair | undefined {
  const doc = loadYaml(request) as Obj;
  const t1 = 1800000000001 + rng.int(1000);
  const t2 = 1800000000001 + rng.int(1000);
  let base = request;
  let ours = request;
  let theirs = request;
  switch (scenario) {
    case 'different_fields':
      ours = edit(base, (e) => (e.set(['url'], `${String(doc.url)}/${rng.hex(4)}`), e.set(['modified'], t1)));
      theirs = edit(base, (e) => (e.set(['name'], `${String(doc.name)} v2`), e.set(['modified'], t2)));
      break;
    case 'same_field_same_value': {
      const url = `${String(doc.url)}/${rng.hex(4)}`;
      ours = edit(base, (e) => (e.set(['url'], url), e.set(['modified'], t1)));
      theirs = edit(base, (e) => (e.set(['url'], url), e.set(['modified'], t2)));
      break;
    }
    case 'same_field_different_values':
      ours = edit(base, (e) => (e.set(['url'], `${String(doc.url)}/ours`), e.set(['modified'], t1)));
      theirs = edit(base, (e) => (e.set(['url'], `${String(doc.url)}/theirs`), e.set(['modified'], t2)));
      break;
    case 'headers_both_sides':
      ours = edit(base, (e) => (e.set(['headers'], [{ name: 'X-Ours', value: rng.hex(4) }]), e.set(['modified'], t1)));
      theirs = edit(base, (e) => (e.set(['headers'], [{ name: 'X-Theirs', value: rng.hex(4) }]), e.set(['modified'], t2)));
      break;
    case 'different_environment_variables': {
      const edoc = loadYaml(env) as Obj;
      const keys = isObj(edoc.data) ? Object.keys(edoc.data) : [];
      if (keys.length < 2) return undefined;
      const i = rng.int(keys.length - 1);
      base = env;
      ours = edit(env, (e) => (e.set(['data', keys[i]], `ours-${rng.hex(4)}`), e.set(['modified'], t1)));
      theirs = edit(env, (e) => (e.set(['data', keys[i + 1]], `theirs-${rng.hex(4)}`), e.set(['modified'], t2)));
      return { scenario: `legacy/${scenario}`, path: `.insomnia/Environment/${String(edoc._id)}.yml`, base, ours, theirs, trueConflict: false };
    }
  }
  return { scenario: `legacy/${scenario}`, path: `.insomnia/Request/${String(doc._id)}.yml`, base, ours, theirs, trueConflict: TRUE_LEGACY.has(scenario) };
}

/** The corpus: `perScenario` pairs of every scenario, from a few generated collections. */
export function generatePairs(seed: number, perScenario: number): Pair[] {
  const rng = new Rng(seed);
  const bases: { text: string; doc: Obj; requests: string[]; envs: string[] }[] = [];
  for (let i = 0; i < 8; i++) {
    const c = generateCollection({ requests: 12 + rng.int(30), folders: 2 + rng.int(4), environments: 3, seed: seed * 100 + i, maxDepth: 2 });
    const obj = v5Object(c);
    const files = legacyFiles(c);
    bases.push({
      text: YAML.stringify(obj),
      doc: loadYaml(YAML.stringify(obj)) as Obj,
      requests: files.filter((f) => f.path.startsWith('.insomnia/Request/')).map((f) => f.text),
      envs: files.filter((f) => f.path.startsWith('.insomnia/Environment/')).map((f) => f.text),
    });
  }
  const pairs: Pair[] = [];
  for (const scenario of V5_SCENARIOS) {
    for (let made = 0, tries = 0; made < perScenario && tries < perScenario * 5; tries++) {
      const b = rng.pick(bases);
      const p = v5Pair(rng, b.text, b.doc, scenario);
      if (p) (pairs.push(p), made++);
    }
  }
  for (const scenario of LEGACY_SCENARIOS) {
    for (let made = 0, tries = 0; made < perScenario && tries < perScenario * 5; tries++) {
      const b = rng.pick(bases);
      const p = legacyPair(rng, rng.pick(b.requests), rng.pick(b.envs), scenario);
      if (p) (pairs.push(p), made++);
    }
  }
  return pairs;
}

// ------------------------------------------------------------------------------------------------ checking results

/** Leaves of a document by item id and field path; lists of id'd items as `#ids` (order checked separately). */
function flatten(doc: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (v: unknown, key: string): void => {
    if (Array.isArray(v) && v.length > 0 && v.every((x) => idOf(x) !== undefined)) {
      out.set(`${key}#ids`, v.map((x) => idOf(x)!));
      for (const x of v) walk(x, idOf(x)!);
      return;
    }
    if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, `${key}/${k}`);
      return;
    }
    out.set(key, Array.isArray(v) ? JSON.stringify(v) : v);
  };
  walk(doc, '');
  return out;
}

/** Whether `merged` holds exactly both sides' edits (later `modified` stamp; additions, deletions, a one-sided reorder). */
export function mergeIsRight(base: string, ours: string, theirs: string, merged: string): boolean {
  const [b, o, t, m] = [base, ours, theirs, merged].map((x) => flatten(loadYaml(x)));
  const keys = new Set([...b.keys(), ...o.keys(), ...t.keys(), ...m.keys()]);
  for (const k of keys) {
    const bv = b.get(k);
    const ov = o.get(k);
    const tv = t.get(k);
    const mv = m.get(k);
    if (k.endsWith('#ids')) {
      const [bl, ol, tl, ml] = [bv, ov, tv, mv].map((x) => (x ?? []) as string[]);
      const expected = new Set([...ol, ...tl].filter((id) => (bl.includes(id) ? ol.includes(id) && tl.includes(id) : true)));
      if (!isDeepStrictEqual(new Set(ml), expected)) return false;
      const common = (l: string[]): string[] => l.filter((id) => bl.includes(id) && ol.includes(id) && tl.includes(id));
      const want = isDeepStrictEqual(common(ol), common(bl)) ? common(tl) : common(ol);
      if (!isDeepStrictEqual(common(ml), want)) return false;
      continue;
    }
    if (/\/modified$/.test(k) && typeof ov === 'number' && typeof tv === 'number') {
      if (mv !== (isDeepStrictEqual(bv, tv) ? ov : isDeepStrictEqual(bv, ov) ? tv : Math.max(ov, tv))) return false;
      continue;
    }
    const expected = !isDeepStrictEqual(ov, bv) ? ov : tv;
    // a leaf of an item that is gone from the merge is not expected (deleted on one side, unchanged on the other)
    if (mv === undefined && expected !== undefined) {
      const owner = k.split('/')[0];
      if (owner && !m.has(`${k.split('/')[0]}/meta/id`) && [...m.values()].every((x) => !(Array.isArray(x) && x.includes(owner)))) continue;
      return false;
    }
    if (!isDeepStrictEqual(mv, expected)) return false;
  }
  return true;
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const pairs = generatePairs(11, ctx.quick ? 6 : 20);
  let lineConflicts = 0;
  let falseConflicts = 0;
  let resolved = 0;
  let trueConflicts = 0;
  let trueKept = 0;
  let wrong = 0;
  const perScenario = new Map<string, { pairs: number; line: number; resolved: number }>();
  for (const p of pairs) {
    const s = perScenario.get(p.scenario) ?? { pairs: 0, line: 0, resolved: 0 };
    perScenario.set(p.scenario, s);
    s.pairs++;
    if (p.trueConflict) trueConflicts++;
    const line = lineMerge(p.base, p.ours, p.theirs, 'ours', 'theirs');
    const field = mergeCollectionText(p.path, p.base, p.ours, p.theirs);
    if (p.trueConflict) {
      if (field.clean) throw new Error(`${p.scenario}: a true conflict was resolved`);
      trueKept++;
    }
    if (!line.cleanMerge) {
      lineConflicts++;
      s.line++;
      if (!p.trueConflict) {
        falseConflicts++;
        if (field.clean) {
          resolved++;
          s.resolved++;
        }
      }
    }
    if (field.clean && !p.trueConflict && !mergeIsRight(p.base, p.ours, p.theirs, field.text)) {
      wrong++;
      ctx.log(`wrong merge: ${p.scenario}`);
    }
  }
  for (const [name, s] of perScenario) ctx.log(`${name}: ${s.pairs} pairs, line merge conflicts ${s.line}, field merge resolved ${s.resolved}`);
  ctx.log(`line merge conflicts: ${lineConflicts} (${falseConflicts} not true conflicts); field merge resolved ${resolved}; true conflicts ${trueConflicts}, kept ${trueKept}`);
  if (wrong) throw new Error(`${wrong} field merges gave a wrong result`);

  // one merge of a 3,000-request file: two people edit different requests
  const big = v5Text(V5_3K);
  const { requests } = requestsOf(loadYaml(big) as Obj);
  const [a, b] = [requests[10], requests[11]];
  const ours = edit(big, (e) => e.set([...a.path, 'url'], 'https://ours.example.com'));
  const theirs = edit(big, (e) => e.set([...b.path, 'url'], 'https://theirs.example.com'));
  const time = (fn: () => unknown): number => {
    const samples: number[] = [];
    // a few rounds only: one round of a 4 MB file takes seconds
    const rounds = ctx.quick ? 1 : 3;
    for (let i = 0; i < rounds + 1; i++) {
      const t0 = performance.now();
      fn();
      if (i > 0) samples.push(performance.now() - t0);
    }
    samples.sort((x, y) => x - y);
    return samples[samples.length >> 1];
  };
  const fieldMs = time(() => {
    if (!mergeCollectionText('big.yaml', big, ours, theirs).clean) throw new Error('the 3k merge did not merge');
  });
  const lineMs = time(() => lineMerge(big, ours, theirs));

  return {
    merge_pairs: pairs.length,
    line_merge_conflicts: lineConflicts,
    line_merge_false_conflicts: falseConflicts,
    field_merge_resolved: resolved,
    false_conflicts_removed_pct: falseConflicts ? (100 * resolved) / falseConflicts : 0,
    true_conflicts: trueConflicts,
    true_conflicts_kept: trueKept,
    field_merge_wrong: wrong,
    field_merge_v5_3k_ms: fieldMs,
    line_merge_v5_3k_ms: lineMs,
  };
}
