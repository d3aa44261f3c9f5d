// A random history of an Insomnia legacy folder (every kind of change Insomnia or a hand edit makes), seeded: the
// refDiff tests and \`hammock diff\`'s hold the fast diffs to loading both sides whole on it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { dump } from 'js-yaml';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Doc = Record<string, unknown> & { _id: string; type: string; parentId: string | null };
interface Stored {
  doc: Doc;
  /** file name when not `<_id>.yml`. */
  fileName?: string;
  broken?: boolean;
}

/** A legacy folder as documents, mutated at random: every kind of change Insomnia (or a hand edit) makes. */
export class LegacyHistory {
  readonly docs = new Map<string, Stored>();
  private n = 0;
  constructor(readonly rand: () => number, readonly wrk: string) {
    this.put({ _id: wrk, type: 'Workspace', parentId: null, modified: 1, created: 1, name: `Gen ${wrk}`, description: '', scope: 'collection' });
    const base = `env_base_${wrk}`;
    this.put({ _id: base, type: 'Environment', parentId: wrk, modified: 1, created: 1, name: 'Base Environment', data: { a: '1' }, metaSortKey: 1 });
    this.put({ _id: `env_sub_${wrk}`, type: 'Environment', parentId: base, modified: 1, created: 1, name: 'Dev', data: { a: '2' }, metaSortKey: 1 });
    for (let i = 0; i < 4; i++) this.addFolder();
    for (let i = 0; i < 12; i++) this.addRequest();
  }
  private put(doc: Doc): void {
    this.docs.set(doc._id, { doc });
  }
  private pick<T>(list: readonly T[]): T | undefined {
    return list.length ? list[Math.floor(this.rand() * list.length)] : undefined;
  }
  private ofType(type: string): Stored[] {
    return [...this.docs.values()].filter((s) => s.doc.type === type);
  }
  private parents(): string[] {
    return [this.wrk, ...this.ofType('RequestGroup').map((s) => s.doc._id)];
  }
  private sortKey(): number {
    // few distinct values, so ties (ordered by id) happen
    return Math.floor(this.rand() * 6) * 100;
  }
  addFolder(): void {
    const id = `fld_${this.wrk.slice(4)}_${this.n++}`;
    this.put({ _id: id, type: 'RequestGroup', parentId: this.pick(this.parents())!, modified: 1, created: 1, name: `F${this.n}`, description: '', environment: {}, metaSortKey: this.sortKey() });
  }
  addRequest(): void {
    const id = `req_${this.wrk.slice(4)}_${this.n++}`;
    this.put({
      _id: id, type: 'Request', parentId: this.pick(this.parents())!, modified: 1, created: 1, url: `https://x.test/${id}`, name: `R${this.n}`,
      description: '', method: 'GET', body: {}, parameters: [], headers: [{ name: 'X-A', value: 'a' }], authentication: {}, metaSortKey: this.sortKey(),
    });
  }
  private descendants(id: string): Set<string> {
    const out = new Set<string>([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of this.docs.values()) {
        if (s.doc.parentId && out.has(s.doc.parentId) && !out.has(s.doc._id) && s.doc.type !== 'Environment') {
          out.add(s.doc._id);
          grew = true;
        }
      }
    }
    return out;
  }
  mutate(): string {
    const items = [...this.ofType('Request'), ...this.ofType('RequestGroup')];
    const req = this.pick(this.ofType('Request'));
    const item = this.pick(items);
    const r = this.rand();
    if (r < 0.14 && req) {
      req.doc = { ...req.doc, url: `${req.doc.url as string}/v2`, modified: 5 };
      return 'url';
    } else if (r < 0.22 && req) {
      req.doc = { ...req.doc, headers: [{ name: 'X-A', value: String(this.rand()) }, { name: 'X-B', value: 'b' }] };
      return 'headers';
    } else if (r < 0.32) {
      this.addRequest();
      return 'add request';
    } else if (r < 0.38) {
      this.addFolder();
      return 'add folder';
    } else if (r < 0.45 && req) {
      this.docs.delete(req.doc._id);
      return 'delete request';
    } else if (r < 0.5 && item && item.doc.type === 'RequestGroup') {
      for (const id of this.descendants(item.doc._id)) this.docs.delete(id);
      return 'delete folder with contents';
    } else if (r < 0.54 && item && item.doc.type === 'RequestGroup') {
      this.docs.delete(item.doc._id); // its children become orphans
      return 'delete folder alone';
    } else if (r < 0.64 && item) {
      const inside = this.descendants(item.doc._id);
      const target = this.pick(this.parents().filter((p) => !inside.has(p)));
      if (target) item.doc = { ...item.doc, parentId: target };
      return 'move';
    } else if (r < 0.74 && item) {
      item.doc = { ...item.doc, metaSortKey: this.sortKey() };
      return 'reorder';
    } else if (r < 0.78 && item) {
      item.doc = { ...item.doc, name: `${item.doc.name as string}!` };
      return 'rename';
    } else if (r < 0.82) {
      const env = this.pick(this.ofType('Environment'))!;
      env.doc = { ...env.doc, data: { a: String(this.rand()) } };
      return 'environment';
    } else if (r < 0.85) {
      const base = `env_base_${this.wrk}`;
      this.put({ _id: `env_${this.n++}`, type: 'Environment', parentId: base, modified: 1, created: 1, name: `E${this.n}`, data: {}, metaSortKey: this.n });
      // (distinct sort keys: environments of equal keys come in the order files are read, in both loaders)
      return 'add sub-environment';
    } else if (r < 0.88 && item) {
      item.doc = { ...item.doc, modified: Math.floor(this.rand() * 1e6) };
      return 'stamp only';
    } else if (r < 0.9 && item) {
      item.fileName = item.fileName ? undefined : `renamed_${item.doc._id}.yml`;
      return 'file name';
    } else if (r < 0.93 && item && item.doc.type === 'RequestGroup') {
      item.broken = !item.broken;
      return 'broken file';
    } else if (r < 0.96) {
      const orphanParent = `fld_ghost_${this.n++}`;
      this.put({
        _id: `req_orphan_${this.n++}`, type: 'Request', parentId: orphanParent, modified: 1, created: 1, url: 'https://x.test/o', name: 'Orphan',
        description: '', method: 'GET', body: {}, parameters: [], headers: [], authentication: {}, metaSortKey: 0,
      });
      if (this.rand() < 0.5) {
        // the parent comes later: the orphan is adopted
        this.put({ _id: orphanParent, type: 'RequestGroup', parentId: this.wrk, modified: 1, created: 1, name: 'Adopter', description: '', environment: {}, metaSortKey: 0 });
      }
      return 'orphan';
    }
    const w = this.docs.get(this.wrk)!;
    w.doc = { ...w.doc, name: `${w.doc.name as string}+` };
    return 'workspace';
  }
  write(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    for (const s of this.docs.values()) {
      const folder = path.join(dir, s.doc.type);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, s.fileName ?? `${s.doc._id}.yml`), s.broken ? `_id: ${s.doc._id}\n  bad: [\n` : dump(s.doc));
    }
  }
}

