// The collections of a repository as they are at a git ref, read from git's objects without touching the working
// tree: the ref's tree is walked (plumbing/objects.ts), only `.insomnia/**` files and `.yaml`/`.yml` files whose first
// line names a v5 type are read, and they are parsed in memory by the format readers. File paths in the model are
// `dir`-joined, so they compare with `loadWorkspace(dir)`'s. No 'vscode' import.

import * as path from 'node:path';
import { isogit } from './isogit';
import type { Collection, Problem, WorkspaceSnapshot } from '../collections/model';
import { assembleLegacyCollections, isLegacyDataFile, LEGACY_FOLDER_NAME, legacyEntry, parseLegacyFile, type LegacyEntry } from '../collections/formats/legacy';
import { parseV5File, v5TypeOfText } from '../collections/formats/v5';
import { compareCollections, isSkippedFolderName, isYamlFileName } from '../collections/scan';
import { gitFs } from './plumbing/gitFs';
import { MODE_TREE, readCommitTree, readObjectData, readRawTree } from './plumbing/objects';
import { Slicer } from '../collections/slicer';

const GITLINK = 0o160000;

export class UnknownRefError extends Error {
  constructor(readonly ref: string) {
    super(`unknown revision: ${ref}`);
    this.name = 'UnknownRefError';
  }
}

/**
 * A commit oid for a branch, tag, remote-tracking ref, `HEAD` (`@`), or a full or abbreviated oid, optionally followed
 * by git's parent steps: `~N`/`~` (first parent N times), `^N`/`^` (the N-th parent; `^0` the commit itself) and
 * `^{}`/`^{commit}` (the commit a tag names), as `HEAD^2`, `@~1`, `v1^{}`. Reflog (`@{1}`) and other forms are unknown.
 */
export async function resolveCommit(dir: string, ref: string, gitdir = path.join(dir, '.git')): Promise<string> {
  const m = /^(.*?)((?:\^\{(?:commit)?\}|~\d*|\^\d*)*)$/.exec(ref);
  const name = m?.[1] === '@' ? 'HEAD' : m?.[1];
  if (!m || !name) throw new UnknownRefError(ref);
  let oid = await resolveBase(dir, name, gitdir);
  for (const step of m[2].match(/\^\{(?:commit)?\}|~\d*|\^\d*/g) ?? []) {
    if (step.startsWith('^{')) continue; // resolveBase has peeled it to a commit
    const n = step.length === 1 ? 1 : Number(step.slice(1));
    if (step[0] === '^') {
      if (n === 0) continue;
      oid = await parentOf(dir, gitdir, oid, n - 1, ref);
    } else {
      for (let i = 0; i < n; i++) oid = await parentOf(dir, gitdir, oid, 0, ref);
    }
  }
  return oid;
}

/** The `index`-th parent of a commit (0: the first); an UnknownRefError for `ref` when it has none (a root commit, a shallow clone's edge). */
async function parentOf(dir: string, gitdir: string, oid: string, index: number, ref: string): Promise<string> {
  const commit = await isogit().readCommit({ fs: gitFs, dir, gitdir, oid }).then((c) => c.commit, () => undefined);
  const parent = commit?.parent[index];
  if (!parent) throw new UnknownRefError(ref);
  return parent;
}

async function resolveBase(dir: string, ref: string, gitdir: string): Promise<string> {
  let oid: string | undefined;
  try {
    oid = await isogit().resolveRef({ fs: gitFs, dir, gitdir, ref });
  } catch {
    if (/^[0-9a-f]{4,40}$/i.test(ref)) {
      try {
        oid = await isogit().expandOid({ fs: gitFs, dir, gitdir, oid: ref.toLowerCase() });
      } catch {
        oid = undefined;
      }
    }
  }
  if (!oid) throw new UnknownRefError(ref);
  try {
    // peels annotated tags; fails when the oid is no commit
    const { oid: commit } = await isogit().readCommit({ fs: gitFs, dir, gitdir, oid: await peel(dir, gitdir, oid) });
    return commit;
  } catch {
    throw new UnknownRefError(ref);
  }
}

async function peel(dir: string, gitdir: string, oid: string): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const o = await isogit().readObject({ fs: gitFs, dir, gitdir, oid, format: 'parsed' });
    if (o.type !== 'tag') return oid;
    oid = (o.object as { object: string }).object;
  }
  return oid;
}

/**
 * Loads every collection under `dir` as it is in `ref`'s tree. Throws `UnknownRefError` for a ref git does not know.
 * The objects are read with Hammock's own pack reader (plumbing/objects.ts: native zlib, one pack index lookup per
 * object), not isomorphic-git's walk, which listed the pack folder and tried the loose file of every object: 3.0-3.7 s
 * of CPU instead of 0.6-1.4 s for a 10,000-request repository. The walk yields to the event loop every ~10 ms (the History
 * view loads a root commit whole in the extension host).
 */
export async function loadWorkspaceAtRef(dir: string, ref: string, gitdir = path.join(dir, '.git')): Promise<WorkspaceSnapshot> {
  const root = path.resolve(dir);
  const commit = await resolveCommit(root, ref, gitdir);
  const legacy = new Map<string, { entries: LegacyEntry[]; problems: Problem[] }>();
  const collections: Collection[] = [];
  const problems: Problem[] = [];
  const decoder = new TextDecoder('utf-8');
  // the pack reader and its parsed indexes, for this load
  const cache = {};
  const slicer = new Slicer(undefined);
  const text = async (oid: string) => decoder.decode((await readObjectData(gitdir, cache, oid)).data);

  const visit = async (tree: string, parents: readonly string[]): Promise<void> => {
    for (const entry of await readRawTree(gitdir, cache, tree)) {
      if (slicer.overdue()) await slicer.yield();
      const segments = [...parents, entry.name];
      const name = entry.name;
      const insomniaAt = segments.indexOf(LEGACY_FOLDER_NAME);
      if (entry.mode === MODE_TREE) {
        // inside a `.insomnia` folder only `<Type>/` folders hold data files
        if (insomniaAt >= 0 ? segments.length <= insomniaAt + 2 : !isSkippedFolderName(name)) await visit(entry.oid, segments);
        continue;
      }
      // a submodule's commit is no file
      if (entry.mode === GITLINK) continue;
      const file = path.join(root, ...segments);
      if (insomniaAt >= 0) {
        // `<...>/.insomnia/<Type>/<file>`
        if (segments.length !== insomniaAt + 3 || !isLegacyDataFile(name)) continue;
        const folderDir = path.join(root, ...segments.slice(0, insomniaAt + 1));
        let group = legacy.get(folderDir);
        if (!group) legacy.set(folderDir, (group = { entries: [], problems: [] }));
        const parsed = parseLegacyFile(file, segments[insomniaAt + 1], await text(entry.oid));
        if ('document' in parsed) group.entries.push(legacyEntry(parsed.document));
        else group.problems.push(parsed.problem);
        continue;
      }
      if (!isYamlFileName(name)) continue;
      const content = await text(entry.oid);
      if (!v5TypeOfText(content)) continue;
      const result = parseV5File(file, content);
      if (result.collection) collections.push(result.collection);
      problems.push(...result.problems);
    }
  };
  await visit(await readCommitTree(gitdir, cache, commit), []);
  for (const [folderDir, group] of legacy) {
    const result = assembleLegacyCollections(folderDir, group.entries, group.problems);
    collections.push(...result.collections);
    problems.push(...result.problems);
  }
  collections.sort(compareCollections);
  return { root, collections, problems };
}
