// Whether one commit descends from another, as git merge-base --is-ancestor says: for the merges (ops/merge.ts) and
// a fetch's refusal of a non-fast-forward (ops/transfer.ts, which runs in the transfer worker too). No 'vscode'.

import { promises as fsp } from 'fs';
import { readCommitParents } from './objects';
import { nextTurn } from '../../util/nextTurn';

/**
 * Whether commit `ancestor` is a proper ancestor of commit `oid`: isomorphic-git's isDescendent (depth -1: the whole
 * history, breadth first, not past a shallow commit) reading commits through the pack reader, which a fresh client
 * has not loaded either (isomorphic-git parses every pack index into a map and reads every pack it visits whole:
 * a history of fetched packs cost milliseconds per commit). The event loop gets a turn every 8 ms or so.
 */
export async function isAncestor(store: { gitdir: string; cache: object }, ancestor: string, oid: string): Promise<boolean> {
  if (oid === ancestor) return false;
  const shallow = new Set(
    (await fsp.readFile(`${store.gitdir}/shallow`, 'utf8').catch(() => ''))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  const queue = [oid];
  const visited = new Set<string>([oid]);
  let turn = performance.now();
  for (let i = 0; i < queue.length; i++) {
    if (performance.now() - turn >= 8) {
      await nextTurn();
      turn = performance.now();
    }
    const parents = await readCommitParents(store.gitdir, store.cache, queue[i]);
    if (parents.includes(ancestor)) return true;
    if (shallow.has(queue[i])) continue;
    for (const p of parents) {
      if (visited.has(p)) continue;
      visited.add(p);
      queue.push(p);
    }
  }
  return false;
}

