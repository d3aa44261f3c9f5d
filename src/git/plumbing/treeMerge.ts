// A three-way merge of trees and commits that completes what `git merge` (merge-ort) completes and stops where it
// stops, so a pull or a Merge in Editor in Hammock gives the tree git would give:
//  - per path: taken from the side that changed it; both changed alike, taken; both changed differently, file
//    contents merged line by line (lineMerge.ts, git's algorithm), executable bits merged, a submodule both sides
//    moved fast-forwarded when one commit contains the other; otherwise a conflict (content, add/add,
//    modify/delete, symlinks, distinct types);
//  - renames (renames.ts, git's detection, 50% similarity): a file one side renamed and the other edited is
//    merged at the new name; renamed on both sides alike, merged; renamed differently (rename/rename), renamed
//    and deleted (rename/delete), renamed onto a file the other side added (rename/add): conflicts, as git reports
//    them; a file the other side added inside a directory one side renamed as a whole is moved along and reported
//    (git's `merge.directoryRenames=conflict`, its default);
//  - several merge bases (a criss-cross history): they are merged first, oldest first, into a virtual merge base
//    ("Temporary merge branch 1/2", conflict markers two longer per level, kept in the virtual base), as git's
//    recursive merge does; that base is then used.
// Nothing is written: blobs and trees are made in an MergeObjects; the caller persists what it keeps. The tree of a
// merge with conflicts is what git puts in the working tree (markers, the surviving side of a modify/delete); the
// conflicts carry the index stages git records.
// Checked against `git merge-tree` on seeded random histories (test/unit/git/treeMerge.test.ts). Known differences
// (reported as conflicts, never merged wrongly): a file against a directory at one path, and a file against a
// symlink or submodule, are conflicts at that path where git also renames the two sides to `path~<branch>`; two
// sources renamed to one name keep git's conflict but not its exact index stages.

// Pure: the repository is reached through MergeObjects (objects.ts's MergeObjects) and the options, so that this
// module, lineMerge, renames and mergeBases make a bundle of their own (dist/gitMerge.js, loaded on the first merge).
import type { TreeItem } from './objects';
import { mergeLines } from './lineMerge';
import { CommitGraph, mergeBases, type CommitReader } from './mergeBases';
import { detectRenames, type RenameFile } from './renames';

const MODE_TREE = 0o040000;

/** The objects a merge reads, and makes in memory (objects.ts's MergeObjects). */
export interface MergeObjects extends CommitReader {
  readTree(oid: string): Promise<TreeItem[]>;
  readBlob(oid: string): Promise<Buffer>;
  /** the tree of a commit. */
  commitTree(oid: string): Promise<string>;
  addBlob(data: Buffer): string;
  addTree(items: TreeItem[]): string;
}

export interface Version {
  oid: string;
  mode: number;
}

/** The index stages of a conflicted path: base (1), ours (2), theirs (3); null where git records none. */
export type Stages = [Version | null, Version | null, Version | null];

export interface MergeConflict {
  path: string;
  stages: Stages;
  /** git's kind of conflict: content, add/add, modify/delete, rename/delete, rename/rename, file location, ... */
  reason: string;
  message: string;
}

export interface MergeLabels {
  ours: string;
  theirs: string;
}

/**
 * A second chance for a file git's line merge leaves in conflict (Hammock's field-level merge of collection
 * files): the merged content, or undefined to keep the conflict. Called only for the final merge, never while
 * building a virtual merge base.
 */
export type ContentResolver = (path: string, base: Buffer | null, ours: Buffer, theirs: Buffer) => Buffer | undefined;

export interface TreeMergeOptions {
  labels: MergeLabels;
  resolveContent?: ContentResolver;
  /**
   * The commit a submodule both sides moved takes, when its repository is at hand and one commit contains the
   * other (git fast-forwards it); undefined: a conflict.
   */
  fastForwardSubmodule?: (path: string, base: string, ours: string, theirs: string) => Promise<string | undefined>;
}

export interface TreeMergeResult {
  /** the merged tree (with conflict markers where there are conflicts). */
  tree: string;
  /** no conflict at all (there can be one that leaves no path in conflict: see messages). */
  clean: boolean;
  conflicts: MergeConflict[];
  /** git's messages: `Auto-merging ...`, `CONFLICT (...): ...`. */
  messages: string[];
  /** files whose line merge conflicted and `resolveContent` resolved, sorted. */
  resolved: string[];
  /** renames the merge followed. */
  renames: { side: 'ours' | 'theirs'; from: string; to: string }[];
}

export interface CommitMergeResult extends TreeMergeResult {
  /** the merge bases (newest first). */
  bases: string[];
}

interface Change {
  before: Version | null;
  after: Version | null;
}

interface Entry {
  base: Version | null;
  ours: Version | null;
  theirs: Version | null;
  /** the path of each side's version (they differ for renames). */
  pathnames: [string, string, string];
  /** decided already (renames): result, and the conflict if any. */
  decided?: { result: Version | null; conflict?: Omit<MergeConflict, 'path'> };
}

const isTree = (mode: number): boolean => mode === MODE_TREE;
const same = (a: Version | null, b: Version | null): boolean => (a === null ? b === null : b !== null && a.oid === b.oid && a.mode === b.mode);
const typeOf = (v: Version): number => v.mode & 0o170000;
const REGULAR = 0o100000;
const GITLINK = 0o160000;
const dirname = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** File-level differences between two trees (null: empty), descending only into subtrees that differ. */
async function diffFiles(objects: MergeObjects, a: string | null, b: string | null, prefix: string, out: Map<string, Change>): Promise<void> {
  if (a === b) return;
  const ea = new Map((a ? await objects.readTree(a) : []).map((e) => [e.name, e]));
  const eb = new Map((b ? await objects.readTree(b) : []).map((e) => [e.name, e]));
  for (const name of new Set([...ea.keys(), ...eb.keys()])) {
    const x = ea.get(name);
    const y = eb.get(name);
    const p = prefix ? `${prefix}/${name}` : name;
    const xt = x && isTree(x.mode) ? x.oid : null;
    const yt = y && isTree(y.mode) ? y.oid : null;
    if (xt || yt) await diffFiles(objects, xt, yt, p, out);
    const xf = x && !isTree(x.mode) ? { oid: x.oid, mode: x.mode } : null;
    const yf = y && !isTree(y.mode) ? { oid: y.oid, mode: y.mode } : null;
    if ((xf || yf) && !same(xf, yf)) out.set(p, { before: xf, after: yf });
  }
}

/** The files that differ between two trees of `objects` (null: empty), sorted by path. */
export async function diffObjectTrees(objects: MergeObjects, a: string | null, b: string | null): Promise<{ path: string; before: Version | null; after: Version | null }[]> {
  const out = new Map<string, Change>();
  await diffFiles(objects, a, b, '', out);
  return [...out].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([path, c]) => ({ path, before: c.before, after: c.after }));
}

/** Whether `tree` has directory `dir` (for telling which ones a side removed). */
async function hasDir(objects: MergeObjects, tree: string, dir: string): Promise<boolean> {
  let oid = tree;
  for (const part of dir.split('/')) {
    const e = (await objects.readTree(oid)).find((i) => i.name === part);
    if (!e || !isTree(e.mode)) return false;
    oid = e.oid;
  }
  return true;
}

/** `tree` with the files of `edits` set (or removed, null); directories left empty dropped. */
async function applyEdits(objects: MergeObjects, tree: string | null, edits: Map<string, Version | null>): Promise<string> {
  const nested = new Map<string, Map<string, Version | null>>();
  const here = new Map<string, Version | null>();
  for (const [p, v] of edits) {
    const slash = p.indexOf('/');
    if (slash < 0) here.set(p, v);
    else {
      const head = p.slice(0, slash);
      const sub = nested.get(head) ?? new Map<string, Version | null>();
      sub.set(p.slice(slash + 1), v);
      nested.set(head, sub);
    }
  }
  const items = new Map<string, TreeItem>((tree ? await objects.readTree(tree) : []).map((e) => [e.name, e]));
  for (const name of new Set([...nested.keys(), ...here.keys()])) {
    const old = items.get(name);
    let next: TreeItem | undefined = old;
    const sub = nested.get(name);
    if (sub) {
      const t = await applyEdits(objects, old && isTree(old.mode) ? old.oid : null, sub);
      const dir = (await objects.readTree(t)).length ? { name, mode: MODE_TREE, oid: t } : undefined;
      // a file where the directory goes stays only while the directory is empty
      next = dir ?? (old && !isTree(old.mode) ? old : undefined);
    }
    if (here.has(name)) {
      const v = here.get(name)!;
      if (v) {
        if (!(next && isTree(next.mode))) next = { name, mode: v.mode, oid: v.oid }; // a non-empty directory wins (a conflict)
      } else if (next && !isTree(next.mode)) next = undefined;
    }
    if (next) items.set(name, next);
    else items.delete(name);
  }
  return objects.addTree([...items.values()]);
}

/** The oid of the directory `dir` in `tree`, or null. */
async function subtreeAt(objects: MergeObjects, tree: string, dir: string): Promise<string | null> {
  let oid = tree;
  for (const part of dir.split('/')) {
    const e = (await objects.readTree(oid)).find((x) => x.name === part);
    if (!e || !isTree(e.mode)) return null;
    oid = e.oid;
  }
  return oid;
}

/** What `tree` has at `p`: a file, a directory ('dir'; also a file where a directory of the path would be), or null. */
async function versionAt(objects: MergeObjects, tree: string, p: string): Promise<Version | 'dir' | null> {
  let oid = tree;
  const parts = p.split('/');
  for (let i = 0; i < parts.length; i++) {
    const e = (await objects.readTree(oid)).find((x) => x.name === parts[i]);
    if (!e) return null;
    if (i === parts.length - 1) return isTree(e.mode) ? 'dir' : { oid: e.oid, mode: e.mode };
    if (!isTree(e.mode)) return 'dir';
    oid = e.oid;
  }
  return null;
}

/** One merge of three trees at one level of a recursive merge. */
class TreeMerge {
  /** a conflict that leaves no path in conflict (git's "implicit dir rename" collision). */
  unclean = false;
  readonly conflicts: MergeConflict[] = [];
  readonly messages: string[] = [];
  readonly resolved: string[] = [];
  readonly renames: TreeMergeResult['renames'] = [];

  constructor(
    private readonly objects: MergeObjects,
    private readonly options: TreeMergeOptions,
    private readonly labels: MergeLabels,
    /** 0: the merge asked for; 1, 2, ...: building a virtual merge base. */
    private readonly depth: number,
  ) {}

  private conflict(p: string, stages: Stages, reason: string, message: string): void {
    this.conflicts.push({ path: p, stages, reason, message });
    this.messages.push(message);
  }

  /** Merges two versions of a file (same type) with a base, as git's handle_content_merge. */
  private async mergeContent(p: string, base: Version | null, ours: Version, theirs: Version, pathnames: [string, string, string], extraMarker: number): Promise<{ result: Version; clean: boolean; binary?: boolean }> {
    let clean = true;
    let mode: number;
    if (ours.mode === theirs.mode || (base && ours.mode === base.mode)) mode = theirs.mode;
    else {
      mode = ours.mode;
      clean = !!base && theirs.mode === base.mode;
    }
    if (ours.oid === theirs.oid || (base && ours.oid === base.oid)) return { result: { oid: theirs.oid, mode }, clean };
    if (base && theirs.oid === base.oid) return { result: { oid: ours.oid, mode }, clean };
    const type = typeOf(ours);
    if (type === REGULAR) {
      const twoWay = !base || typeOf(base) !== type;
      const [b, o, t] = await Promise.all([twoWay ? Promise.resolve(Buffer.alloc(0)) : this.objects.readBlob(base!.oid), this.objects.readBlob(ours.oid), this.objects.readBlob(theirs.oid)]);
      const named = pathnames[0] === pathnames[1] && pathnames[1] === pathnames[2];
      const merged = mergeLines(b, o, t, {
        oursLabel: named ? this.labels.ours : `${this.labels.ours}:${pathnames[1]}`,
        theirsLabel: named ? this.labels.theirs : `${this.labels.theirs}:${pathnames[2]}`,
        markerSize: 7 + extraMarker,
        virtualAncestor: this.depth > 0,
      });
      this.messages.push(`Auto-merging ${p}`);
      if (merged.conflicts > 0 && this.depth === 0 && !merged.binary && this.options.resolveContent) {
        const text = this.options.resolveContent(p, twoWay ? null : b, o, t);
        if (text) {
          this.resolved.push(p);
          return { result: { oid: this.objects.addBlob(text), mode }, clean };
        }
      }
      return { result: { oid: this.objects.addBlob(merged.result), mode }, clean: clean && merged.conflicts === 0, binary: merged.binary };
    }
    if (type === GITLINK) {
      const ff = base ? await this.fastForwardSubmodule(pathnames[0], base.oid, ours.oid, theirs.oid) : undefined;
      return ff ? { result: { oid: ff, mode }, clean } : { result: { oid: ours.oid, mode }, clean: false };
    }
    // symlinks (and anything else): no content merge
    if (this.depth > 0 && base) return { result: base, clean: false };
    return { result: { oid: ours.oid, mode }, clean: false };
  }

  private async fastForwardSubmodule(p: string, base: string, ours: string, theirs: string): Promise<string | undefined> {
    return this.options.fastForwardSubmodule?.(p, base, ours, theirs).catch(() => undefined);
  }

  async run(baseTree: string | null, oursTree: string, theirsTree: string): Promise<string> {
    const objects = this.objects;
    const changesO = new Map<string, Change>();
    const changesT = new Map<string, Change>();
    await Promise.all([diffFiles(objects, baseTree, oursTree, '', changesO), diffFiles(objects, baseTree, theirsTree, '', changesT)]);
    const B = (p: string): Version | null => (changesO.get(p) ?? changesT.get(p))?.before ?? null;
    const O = (p: string): Version | null => (changesO.has(p) ? changesO.get(p)!.after : B(p));
    const T = (p: string): Version | null => (changesT.has(p) ? changesT.get(p)!.after : B(p));
    const entries = new Map<string, Entry>();
    for (const p of new Set([...changesO.keys(), ...changesT.keys()])) entries.set(p, { base: B(p), ours: O(p), theirs: T(p), pathnames: [p, p, p] });

    // renames on each side: sources it deleted, destinations it added
    // a directory the other side left exactly as in the base is taken from this side as a whole: git does not
    // look inside it, so the files this side deleted there are no rename sources (it matters when several
    // deleted files are identical: which one a rename came from)
    const untouchedDirs = new Map<string, boolean>();
    const untouchedByOther = async (p: string, otherTree: string): Promise<boolean> => {
      if (!baseTree) return false;
      for (let d = dirname(p); d !== ''; d = dirname(d)) {
        const key = `${otherTree}:${d}`;
        if (!untouchedDirs.has(key)) {
          const [b, o] = await Promise.all([subtreeAt(objects, baseTree, d), subtreeAt(objects, otherTree, d)]);
          untouchedDirs.set(key, b !== null && b === o);
        }
        if (untouchedDirs.get(key)) return true;
      }
      return false;
    };
    const renameSide = async (mine: Map<string, Change>, other: (p: string) => Version | null, otherChanges: Map<string, Change>): Promise<Map<string, string>> => {
      const sources: RenameFile[] = [];
      const dests: RenameFile[] = [];
      const otherTree = mine === changesO ? theirsTree : oursTree;
      for (const [p, c] of mine) {
        if (c.before && !c.after) {
          if (!(await untouchedByOther(p, otherTree))) sources.push({ path: p, ...c.before });
        } else if (!c.before && c.after) dests.push({ path: p, ...c.after });
      }
      if (!sources.length || !dests.length) return new Map();
      // where a source went matters when the other side changed it, or added files beside it in a directory this side removed
      const removedDirs = new Map<string, boolean>();
      const dirRemoved = async (d: string): Promise<boolean> => {
        if (!removedDirs.has(d)) removedDirs.set(d, d !== '' && !(await hasDir(objects, mine === changesO ? oursTree : theirsTree, d)));
        return removedDirs.get(d)!;
      };
      const addedByOther = new Set<string>();
      for (const [p, c] of otherChanges) if (!c.before && c.after) addedByOther.add(dirname(p));
      const relevantSet = new Set<string>();
      for (const s of sources) {
        if (!same(other(s.path), s)) relevantSet.add(s.path);
        else if (addedByOther.has(dirname(s.path)) && (await dirRemoved(dirname(s.path)))) relevantSet.add(s.path);
      }
      return detectRenames(sources, dests, (oid) => objects.readBlob(oid), (p) => relevantSet.has(p));
    };
    const renamesO = await renameSide(changesO, T, changesT);
    const renamesT = await renameSide(changesT, O, changesO);
    const handledT = new Set<string>();
    const depth = this.depth;
    // where each rename put the file on its side (before a directory rename of the other side moves it along)
    const origO = new Map(renamesO);
    const origT = new Map(renamesT);
    const dirs = depth === 0 ? await this.directoryRenames(entries, renamesO, renamesT, changesO, changesT, baseTree, oursTree, theirsTree) : undefined;
    const oAt = (src: string): Version => O(origO.get(src)!)!;
    const tAt = (src: string): Version => T(origT.get(src)!)!;

    for (const [src, dst] of [...renamesO].sort()) {
      this.renames.push({ side: 'ours', from: src, to: dst });
      const base = B(src);
      const tDst = renamesT.get(src);
      entries.set(src, { base, ours: null, theirs: null, pathnames: [src, src, src] });
      if (tDst !== undefined) {
        handledT.add(src);
        this.renames.push({ side: 'theirs', from: src, to: tDst });
        if (tDst === dst) {
          entries.set(dst, { base, ours: oAt(src), theirs: tAt(src), pathnames: [src, dst, dst] });
          continue;
        }
        // rename/rename: both names kept, with the merged content; the old name only as the base stage
        const ours = oAt(src);
        const theirs = tAt(src);
        let merged: Version = ours;
        let mergedTheirs: Version = theirs;
        if (base && typeOf(ours) === typeOf(theirs)) {
          const m = await this.mergeContent(dst, base, ours, theirs, [src, dst, tDst], 1 + 2 * depth);
          merged = m.result;
          mergedTheirs = m.binary ? theirs : m.result;
        }
        const message = `CONFLICT (rename/rename): ${src} renamed to ${dst} in ${this.labels.ours} and to ${tDst} in ${this.labels.theirs}.`;
        entries.set(src, { base, ours: null, theirs: null, pathnames: [src, src, src], decided: { result: null, conflict: { stages: [base, null, null], reason: 'rename/rename', message } } });
        entries.set(dst, { base: null, ours, theirs: null, pathnames: [src, dst, dst], decided: { result: merged, conflict: { stages: [null, ours, null], reason: 'rename/rename', message } } });
        entries.set(tDst, { base: null, ours: null, theirs, pathnames: [src, tDst, tDst], decided: { result: mergedTheirs, conflict: { stages: [null, null, theirs], reason: 'rename/rename', message } } });
        continue;
      }
      const tSrc = T(src);
      const ours = oAt(src);
      if (tSrc === null) {
        const message = `CONFLICT (rename/delete): ${src} renamed to ${dst} in ${this.labels.ours}, but deleted in ${this.labels.theirs}.`;
        entries.set(dst, { base, ours, theirs: null, pathnames: [src, dst, src], decided: { result: depth > 0 ? base : ours, conflict: { stages: [base, ours, null], reason: 'rename/delete', message } } });
        continue;
      }
      entries.set(dst, { base, ours, theirs: tSrc, pathnames: [src, dst, src], decided: undefined });
      const added = changesT.get(dst);
      if (added && !added.before && added.after) {
        // rename/add: the renamed file (merged with theirs' edits) against the file theirs added there
        const r = same(base, tSrc) ? { result: ours, clean: true } : await this.mergeContent(dst, base, ours, tSrc, [src, dst, src], 0);
        const collide = await this.mergeContent(dst, null, r.result, added.after, [dst, dst, dst], 0);
        const message = `CONFLICT (add/add): Merge conflict in ${dst}`;
        entries.set(dst, { base: null, ours: r.result, theirs: added.after, pathnames: [dst, dst, dst], decided: { result: collide.result, conflict: collide.clean ? undefined : { stages: [null, r.result, added.after], reason: 'add/add', message } } });
      }
    }
    for (const [src, dst] of [...renamesT].sort()) {
      if (handledT.has(src)) continue;
      this.renames.push({ side: 'theirs', from: src, to: dst });
      const base = B(src);
      const oSrc = O(src);
      const theirs = tAt(src);
      entries.set(src, { base, ours: null, theirs: null, pathnames: [src, src, src] });
      if ([...renamesO.values()].includes(dst)) {
        // rename/rename onto one name from two sources: an add/add of the two results
        const fromO = [...renamesO].find(([, d]) => d === dst)![0];
        const message = `CONFLICT (add/add): Merge conflict in ${dst} (${fromO} and ${src} renamed to it)`;
        const ours = oAt(fromO);
        const m = typeOf(ours) === typeOf(theirs) ? await this.mergeContent(dst, null, ours, theirs, [dst, dst, dst], 0) : { result: ours, clean: false };
        entries.set(dst, { base: null, ours, theirs, pathnames: [dst, dst, dst], decided: { result: m.result, conflict: { stages: [null, ours, theirs], reason: 'add/add', message } } });
        continue;
      }
      if (oSrc === null) {
        const message = `CONFLICT (rename/delete): ${src} renamed to ${dst} in ${this.labels.theirs}, but deleted in ${this.labels.ours}.`;
        entries.set(dst, { base, ours: null, theirs, pathnames: [src, src, dst], decided: { result: depth > 0 ? base : theirs, conflict: { stages: [base, null, theirs], reason: 'rename/delete', message } } });
        continue;
      }
      const added = changesO.get(dst);
      if (added && !added.before && added.after) {
        const r = same(base, oSrc) ? { result: theirs, clean: true } : await this.mergeContent(dst, base, oSrc, theirs, [src, src, dst], 0);
        const collide = await this.mergeContent(dst, null, added.after, r.result, [dst, dst, dst], 0);
        const message = `CONFLICT (add/add): Merge conflict in ${dst}`;
        entries.set(dst, { base: null, ours: added.after, theirs: r.result, pathnames: [dst, dst, dst], decided: { result: collide.result, conflict: collide.clean ? undefined : { stages: [null, added.after, r.result], reason: 'add/add', message } } });
        continue;
      }
      entries.set(dst, { base, ours: oSrc, theirs, pathnames: [src, src, dst] });
    }

    if (dirs) await dirs.finish();

    // every path: its result, and what differs from ours
    const edits = new Map<string, Version | null>();
    for (const p of [...entries.keys()].sort()) {
      const e = entries.get(p)!;
      const { result, conflict } = e.decided ?? (await this.resolve(p, e));
      if (conflict) this.conflict(p, conflict.stages, conflict.reason, conflict.message);
      if (!same(result, O(p))) edits.set(p, result);
    }
    return applyEdits(objects, oursTree, edits);
  }

  /**
   * A file added on one side inside a directory the other side renamed as a whole goes along to the new
   * directory, as a conflict for the user to confirm (git's default, merge.directoryRenames=conflict).
   */
  private async directoryRenames(
    entries: Map<string, Entry>,
    renamesO: Map<string, string>,
    renamesT: Map<string, string>,
    changesO: Map<string, Change>,
    changesT: Map<string, Change>,
    baseTree: string | null,
    oursTree: string,
    theirsTree: string,
  ): Promise<{ finish: () => Promise<void> }> {
    /** Paths a side added (new files, and files it renamed), which a directory rename of the other side moves. */
    const addedBy = (changes: Map<string, Change>, renames: Map<string, string>): string[] => {
      const renamedTo = new Set(renames.values());
      const out = [...renamedTo];
      for (const [p, c] of changes) if (!c.before && c.after && !renamedTo.has(p)) out.push(p);
      return out.sort();
    };
    /**
     * The directories a side renamed: removed on that side, with files the other side added under them (only
     * those matter), each to where most of its files went; a tie is git's "directory rename split".
     */
    const dirRenames = async (renames: Map<string, string>, tree: string, otherAdded: string[]): Promise<Map<string, string>> => {
      const counts = new Map<string, Map<string, number>>();
      const removed = new Map<string, boolean>();
      const isRemoved = async (d: string): Promise<boolean> => {
        if (!removed.has(d)) removed.set(d, d !== '' && !(await hasDir(this.objects, tree, d)));
        return removed.get(d)!;
      };
      const relevant = async (d: string): Promise<boolean> => (await isRemoved(d)) && otherAdded.some((p) => p.startsWith(d + '/'));
      for (const [from, to] of renames) {
        let od = dirname(from);
        let nd = dirname(to);
        // a/b/c/f -> x/b/c/f counts for a/b/c -> x/b/c, a/b -> x/b and a -> x (while the trailing names agree)
        while (od !== '' && (await relevant(od))) {
          if (od !== nd) {
            const c = counts.get(od) ?? new Map<string, number>();
            c.set(nd, (c.get(nd) ?? 0) + 1);
            counts.set(od, c);
          }
          const ob = od.slice(od.lastIndexOf('/') + 1);
          const nb = nd.slice(nd.lastIndexOf('/') + 1);
          if (ob !== nb || nd === '') break;
          od = dirname(od);
          nd = dirname(nd);
        }
      }
      const out = new Map<string, string>();
      for (const [od, c] of [...counts].sort()) {
        const best = Math.max(...c.values());
        const winners = [...c].filter(([, n]) => n === best);
        if (winners.length === 1) out.set(od, winners[0][0]);
        else {
          this.unclean = true;
          this.messages.push(`CONFLICT (directory rename split): Unclear where to rename ${od} to; it was renamed to multiple other directories, with no destination getting a majority of the files.`);
        }
      }
      return out;
    };
    /** Where `p` goes when its directory (or an ancestor) was renamed in `dirs`; undefined when it stays. */
    const relocation = async (p: string, dirs: Map<string, string>, addingTree: string): Promise<string | undefined> => {
      let d = dirname(p);
      let target: string | undefined;
      while (d !== '') {
        target = dirs.get(d);
        if (target !== undefined) break;
        d = dirname(d);
      }
      if (target === undefined) return undefined;
      const np = (target ? target + '/' : '') + p.slice(d.length + 1);
      // in the way: something the adding side has there, or a file all sides have that the merge keeps as is
      const [b, o, t] = await Promise.all([baseTree ? versionAt(this.objects, baseTree, np) : null, versionAt(this.objects, oursTree, np), versionAt(this.objects, theirsTree, np)]);
      const settled = b && o && t && b !== 'dir' && o !== 'dir' && t !== 'dir' && (same(o, t) || same(b, o) || same(b, t));
      if (settled || (await versionAt(this.objects, addingTree, np))) {
        this.unclean = true;
        this.messages.push(`CONFLICT (implicit dir rename): Existing file/dir at ${np} in the way of implicit directory rename(s) putting the following path(s) there: ${p}.`);
        return undefined;
      }
      return np;
    };
    const addedO = addedBy(changesO, renamesO);
    const addedT = addedBy(changesT, renamesT);
    const dirsO = await dirRenames(renamesO, oursTree, addedT);
    const dirsT = await dirRenames(renamesT, theirsTree, addedO);
    // files a side renamed into a directory the other side renamed: the rename goes on to the new directory
    const relocated: { path: string; from: string; side: 'ours' | 'theirs'; message: string }[] = [];
    for (const [renames, dirs, side, tree] of [
      [renamesT, dirsO, 'theirs', theirsTree],
      [renamesO, dirsT, 'ours', oursTree],
    ] as const) {
      for (const [src, dst] of [...renames]) {
        const np = dirs.size ? await relocation(dst, dirs, tree) : undefined;
        if (np === undefined) continue;
        renames.set(src, np);
        entries.set(dst, { base: null, ours: null, theirs: null, pathnames: [dst, dst, dst], decided: { result: null } });
        const sideLabel = side === 'theirs' ? this.labels.theirs : this.labels.ours;
        const renamedIn = side === 'theirs' ? this.labels.ours : this.labels.theirs;
        const message = `CONFLICT (file location): ${src} renamed to ${dst} in ${sideLabel}, inside a directory that was renamed in ${renamedIn}, suggesting it should perhaps be moved to ${np}.`;
        this.messages.push(message);
        relocated.push({ path: np, from: dst, side, message });
      }
    }
    const finish = async (): Promise<void> => {
      // a relocated rename is a conflict for the user to confirm, unless it is one anyway
      for (const r of relocated) {
        const e = entries.get(r.path);
        if (!e || e.decided?.conflict) continue;
        const decided = e.decided ?? (await this.resolve(r.path, e));
        entries.set(r.path, { ...e, decided: { result: decided.result, conflict: decided.conflict ?? { stages: [e.base, e.ours, e.theirs], reason: 'file location', message: r.message } } });
      }
      // files a side added inside a directory the other side renamed go along
      for (const [added, dirs, side, tree] of [
        [addedT, dirsO, 'theirs', theirsTree],
        [addedO, dirsT, 'ours', oursTree],
      ] as const) {
        if (!dirs.size) continue;
        for (const p of added) {
          const e = entries.get(p);
          if (!e || e.decided || e.base) continue;
          const version = side === 'theirs' ? e.theirs : e.ours;
          if (!version || (side === 'theirs' ? e.ours : e.theirs)) continue;
          const np = await relocation(p, dirs, tree);
          if (np === undefined) continue;
          const sideLabel = side === 'theirs' ? this.labels.theirs : this.labels.ours;
          const renamedIn = side === 'theirs' ? this.labels.ours : this.labels.theirs;
          const message = `CONFLICT (file location): ${p} added in ${sideLabel} inside a directory that was renamed in ${renamedIn}, suggesting it should perhaps be moved to ${np}.`;
          this.messages.push(message);
          entries.set(p, { base: null, ours: null, theirs: null, pathnames: [p, p, p], decided: { result: null } });
          const there = entries.get(np);
          const mine = there && !there.decided ? (side === 'theirs' ? there.ours : there.theirs) : null;
          if (mine && typeOf(mine) === typeOf(version)) {
            // the other side has a new file at that name too: an add/add
            const [ours, theirs] = side === 'theirs' ? [mine, version] : [version, mine];
            const m = await this.mergeContent(np, null, ours, theirs, [np, np, np], 0);
            entries.set(np, { base: null, ours, theirs, pathnames: [np, np, np], decided: { result: m.result, conflict: { stages: [null, ours, theirs], reason: 'add/add', message: `CONFLICT (add/add): Merge conflict in ${np}` } } });
            continue;
          }
          const stages: Stages = side === 'theirs' ? [null, null, version] : [null, version, null];
          entries.set(np, { base: null, ours: stages[1], theirs: stages[2], pathnames: [np, np, np], decided: { result: version, conflict: { stages, reason: 'file location', message } } });
        }
      }
    };
    return { finish };
  }

  /** One path's result as git decides it (the process_entry of merge-ort). */
  private async resolve(p: string, e: Entry): Promise<{ result: Version | null; conflict?: Omit<MergeConflict, 'path'> }> {
    const { base, ours, theirs } = e;
    if (same(ours, theirs)) return { result: ours };
    if (same(base, ours)) return { result: theirs };
    if (same(base, theirs)) return { result: ours };
    if (ours && theirs) {
      if (typeOf(ours) !== typeOf(theirs)) {
        const message = `CONFLICT (distinct types): ${p} had different types on each side.`;
        return { result: ours, conflict: { stages: [base, ours, theirs], reason: 'distinct types', message } };
      }
      const m = await this.mergeContent(p, base, ours, theirs, e.pathnames, 2 * this.depth);
      if (m.clean) return { result: m.result };
      const reason = typeOf(ours) === GITLINK ? 'submodule' : !base ? 'add/add' : m.binary ? 'binary' : 'content';
      const message = reason === 'submodule' ? `CONFLICT (submodule): Merge conflict in ${p}` : `CONFLICT (${reason === 'add/add' ? 'add/add' : 'content'}): Merge conflict in ${p}`;
      const baseStage = base && typeOf(base) === typeOf(ours) ? base : null;
      return { result: m.result, conflict: { stages: [baseStage, ours, theirs], reason, message } };
    }
    // modified on one side, deleted on the other
    const kept = (ours ?? theirs)!;
    const message = `CONFLICT (modify/delete): ${p} deleted in ${ours ? this.labels.theirs : this.labels.ours} and modified in ${ours ? this.labels.ours : this.labels.theirs}.`;
    return { result: this.depth > 0 ? base : kept, conflict: { stages: [base, ours, theirs], reason: 'modify/delete', message } };
  }
}

/** Merges `theirsTree` into `oursTree` with `baseTree` as the common ancestor (null: none). */
export async function mergeTrees(objects: MergeObjects, baseTree: string | null, oursTree: string, theirsTree: string, options: TreeMergeOptions, depth = 0, labels = options.labels): Promise<TreeMergeResult> {
  const m = new TreeMerge(objects, options, labels, depth);
  const tree = await m.run(baseTree, oursTree, theirsTree);
  const conflicts = m.conflicts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tree, clean: !conflicts.length && !m.unclean, conflicts, messages: m.messages, resolved: m.resolved.sort(), renames: m.renames };
}

/**
 * Merges commit `theirs` into `ours` as `git merge` does: with their merge base, or with a virtual one built by
 * merging several merge bases (criss-cross histories), recursively.
 */
export async function mergeCommits(objects: MergeObjects, ours: string, theirs: string, options: TreeMergeOptions, graph = new CommitGraph(objects)): Promise<CommitMergeResult> {
  const trees = new Map<string, string>();
  const treeOf = async (commit: string): Promise<string> => trees.get(commit) ?? objects.commitTree(commit);
  const merge = async (one: string, two: string, depth: number, labels: MergeLabels): Promise<CommitMergeResult> => {
    const bases = await mergeBases(graph, one, two);
    let baseTree: string | null = null;
    if (bases.length) {
      const ordered = [...bases].reverse(); // oldest first
      let merged = ordered[0];
      baseTree = await treeOf(merged);
      for (const next of ordered.slice(1)) {
        const inner = await merge(merged, next, depth + 1, { ours: 'Temporary merge branch 1', theirs: 'Temporary merge branch 2' });
        const virtual = graph.addVirtual([merged, next]);
        trees.set(virtual, inner.tree);
        merged = virtual;
        baseTree = inner.tree;
      }
    }
    const result = await mergeTrees(objects, baseTree, await treeOf(one), await treeOf(two), options, depth, labels);
    return { ...result, bases };
  };
  return merge(ours, theirs, 0, options.labels);
}
