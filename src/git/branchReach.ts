// The commit walks behind a branch deletion's question (ops/branchMerged.ts): whether a branch's commit is reachable
// from a reference (`git branch -d`'s test), and the commits reachable from it and from no other branch (what deleting
// it loses), as git's revision walk finds them. In the ref readers' bundle (refsEntry.ts). Pure: no 'vscode'.

import { readCommitSummary } from './plumbing/objects';
import { nextTurn } from '../util/nextTurn';

export interface LostCommit {
  oid: string;
  /** the first line of its message. */
  summary: string;
}

const UNINTERESTING = 1;
/** git's revision.c: how many more commits to walk once only uninteresting ones are left (clock skew). */
const SLOP = 5;

type Node = { id: string; parents: string[]; date: number; summary: string };
type Graph = (id: string) => Promise<Node>;

/**
 * The commits reachable from `tip` and from none of `others`, in the order `git log tip --not others` gives them:
 * revision.c's limit_list, a walk newest first (equal dates in the order queued) painting what the others reach,
 * until only commits they reach are left (and SLOP more, as git does).
 */
async function onlyFrom(graph: Graph, tip: string, others: string[]): Promise<string[]> {
  const flags = new Map<string, number>();
  const queue: Node[] = [];
  const push = async (id: string, flag: number): Promise<void> => {
    flags.set(id, flag);
    const node = await graph(id);
    // newest first, after the entries of the same date
    let i = queue.length;
    while (i > 0 && queue[i - 1].date < node.date) i--;
    queue.splice(i, 0, node);
  };
  for (const o of others) if (!flags.has(o)) await push(o, UNINTERESTING);
  if (flags.has(tip)) return [];
  await push(tip, 0);
  const order: string[] = [];
  for (let slop = SLOP; queue.length; ) {
    const node = queue.shift()!;
    if (flags.get(node.id)) {
      // its ancestors already walked are uninteresting too (revision.c mark_parents_uninteresting)
      const stack = [node.id];
      while (stack.length) {
        for (const p of (await graph(stack.pop()!)).parents) {
          const f = flags.get(p);
          if (f === undefined) await push(p, UNINTERESTING);
          else if (!f) {
            flags.set(p, UNINTERESTING);
            stack.push(p);
          }
        }
      }
    } else {
      order.push(node.id);
      for (const p of node.parents) if (!flags.has(p)) await push(p, 0);
    }
    if (!queue.some((q) => !flags.get(q.id))) {
      if (--slop <= 0) break;
    } else slop = SLOP;
  }
  return order.filter((id) => !flags.get(id));
}

/**
 * Whether `oid` is reachable from `reference` (null: nothing is), and the commits reachable from `oid` and from none
 * of `others` in `git log` order. Commits are read asynchronously, with a turn of the event loop every 8 ms or so.
 */
export async function branchReach(store: { gitdir: string; cache: object }, oid: string, reference: string | null, others: string[]): Promise<{ merged: boolean; lost: LostCommit[] }> {
  // commits as read (a shallow clone's boundary: no parents)
  const nodes = new Map<string, Node>();
  let turn = performance.now();
  const graph: Graph = async (id) => {
    let node = nodes.get(id);
    if (node) return node;
    if (performance.now() - turn >= 8) {
      await nextTurn();
      turn = performance.now();
    }
    node = await readCommitSummary(store.gitdir, store.cache, id).then(
      (c) => ({ id, ...c }),
      () => ({ id, parents: [], date: 0, summary: '' }),
    );
    nodes.set(id, node);
    return node;
  };
  // merged: nothing of the branch's history is missing from the reference's (`git log <branch> --not <reference>`)
  const merged = reference !== null && !(await onlyFrom(graph, oid, [reference])).length;
  const lost = (await onlyFrom(graph, oid, others)).map((id) => ({ oid: id, summary: nodes.get(id)!.summary }));
  return { merged, lost };
}
