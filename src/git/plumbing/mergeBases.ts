// Merge bases as git finds them (`git merge-base --all`): walk down from both commits newest first, painting each
// commit with the side(s) it is reachable from; a commit reachable from both is a candidate, and its ancestors are
// not; then drop candidates that are ancestors of other candidates. Sorted newest first, as git returns them (a
// recursive merge then merges them oldest first). Virtual commits (a recursive merge's merged bases) take part
// with their parents and date 0, as in git.


export interface CommitNode {
  id: string;
  parents: string[];
  /** committer time (seconds); 0 for a virtual commit. */
  date: number;
}

const PARENT1 = 1;
const PARENT2 = 2;
const STALE = 4;
const RESULT = 8;

/** How commits are read: parents and committer time (seconds). */
export interface CommitReader {
  readCommitInfo(oid: string): Promise<{ parents: string[]; date: number }>;
}

/** Commits of a repository, plus virtual ones. */
export class CommitGraph {
  private readonly nodes = new Map<string, CommitNode>();
  private virtuals = 0;

  constructor(private readonly reader: CommitReader) {}

  async node(id: string): Promise<CommitNode> {
    const known = this.nodes.get(id);
    if (known) return known;
    let node: CommitNode;
    try {
      const { parents, date } = await this.reader.readCommitInfo(id);
      node = { id, parents, date };
    } catch {
      node = { id, parents: [], date: 0 }; // beyond a shallow clone's boundary
    }
    this.nodes.set(id, node);
    return node;
  }

  /** A commit that exists only for a merge: its parents, date 0. */
  addVirtual(parents: string[]): string {
    const id = `virtual:${++this.virtuals}`;
    this.nodes.set(id, { id, parents, date: 0 });
    return id;
  }
}

/** A priority queue of commits, newest first; equal dates in the order they were queued. */
class DateQueue {
  private readonly heap: { node: CommitNode; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  items(): CommitNode[] {
    return this.heap.map((h) => h.node);
  }

  private before(a: { node: CommitNode; seq: number }, b: { node: CommitNode; seq: number }): boolean {
    return a.node.date > b.node.date || (a.node.date === b.node.date && a.seq < b.seq);
  }

  push(node: CommitNode): void {
    const h = this.heap;
    h.push({ node, seq: this.seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  pop(): CommitNode | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top.node;
  }
}

/** Inserts keeping newest first; after the commits of the same date already there. */
function insertByDate(list: CommitNode[], node: CommitNode): void {
  let i = 0;
  while (i < list.length && list[i].date >= node.date) i++;
  list.splice(i, 0, node);
}

async function paintDownToCommon(graph: CommitGraph, one: string, twos: string[]): Promise<CommitNode[]> {
  const flags = new Map<string, number>();
  const queue = new DateQueue();
  const add = (id: string, f: number): void => void flags.set(id, (flags.get(id) ?? 0) | f);
  add(one, PARENT1);
  queue.push(await graph.node(one));
  for (const t of twos) {
    add(t, PARENT2);
    queue.push(await graph.node(t));
  }
  const result: CommitNode[] = [];
  while (queue.items().some((n) => !((flags.get(n.id) ?? 0) & STALE))) {
    const commit = queue.pop()!;
    let f = (flags.get(commit.id) ?? 0) & (PARENT1 | PARENT2 | STALE);
    if (f === (PARENT1 | PARENT2)) {
      if (!((flags.get(commit.id) ?? 0) & RESULT)) {
        add(commit.id, RESULT);
        insertByDate(result, commit);
      }
      f |= STALE; // the parents of a common commit are no better bases
    }
    for (const p of commit.parents) {
      if (((flags.get(p) ?? 0) & f) === f) continue;
      add(p, f);
      queue.push(await graph.node(p));
    }
  }
  return result.filter((n) => !((flags.get(n.id) ?? 0) & STALE));
}

/** Whether `ancestor` is reachable from `from` (both in the graph). */
async function reaches(graph: CommitGraph, from: string, ancestor: string): Promise<boolean> {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    const n = await graph.node(stack.pop()!);
    if (n.id === ancestor) return true;
    for (const p of n.parents) {
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(p);
    }
  }
  return false;
}

/** git's merge bases of two commits, newest first. */
export async function mergeBases(graph: CommitGraph, one: string, two: string): Promise<string[]> {
  if (one === two) return [one];
  const candidates = await paintDownToCommon(graph, one, [two]);
  if (candidates.length <= 1) return candidates.map((c) => c.id);
  const redundant = new Set<string>();
  for (const a of candidates) {
    for (const b of candidates) {
      if (a === b || redundant.has(a.id) || redundant.has(b.id)) continue;
      if (await reaches(graph, b.id, a.id)) redundant.add(a.id);
    }
  }
  const out: CommitNode[] = [];
  for (const c of candidates) if (!redundant.has(c.id)) insertByDate(out, c);
  return out.map((c) => c.id);
}
