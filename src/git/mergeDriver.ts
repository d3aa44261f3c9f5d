// The merge driver Hammock hands to isomorphic-git's `git.merge({ mergeDriver })`: git's line merge first (diff3,
// exactly as isomorphic-git's own default driver, same conflict markers); when that conflicts on an Insomnia
// collection file (a legacy `.insomnia/<Type>/<id>.yml` document or a v5 file), a field-level merge with the
// common ancestor (src/collections/merge3.ts). Its result is used only when it is clean; otherwise the file keeps
// the line merge's conflict, so a conflict is always reported, never resolved for the user.
//
// isomorphic-git gives the driver the file's base name only; `prepareCollectionMerge` finds the full path again
// from the blob ids of ours and theirs (both-modified paths of the three trees, computed beforehand).

import * as crypto from 'crypto';
import type { MergeDriverCallback, MergeDriverParams } from 'isomorphic-git';
import { writers } from '../collections/lazyWriters';
import type { FieldConflict } from '../collections/merge3';
import { isInsomniaPath } from '../collections/scan';
import { LEGACY_FOLDER_NAME } from '../collections/formats/legacy';
import { v5TypeInFirstLine, firstLine } from '../collections/formats/v5';
import { diffTrees, type ObjectStore } from './treeDiff';

// diff3 is the line merge isomorphic-git itself uses (its dependency, same version): identical results and markers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const diff3Merge = require('diff3') as (a: string[], o: string[], b: string[]) => { ok?: string[]; conflict?: { a: string[]; o: string[]; b: string[] } }[];

const LINEBREAKS = /^.*(\r?\n|$)/gm;
const MARKER_SIZE = 7;

export interface LineMergeResult {
  cleanMerge: boolean;
  mergedText: string;
}

function formatConflictSide(lines: string[]): string {
  const text = lines.join('');
  return text && !text.endsWith('\n') ? `${text}\n` : text;
}

/** git's line merge as isomorphic-git 1.44 does it (its `mergeFile`): conflict markers `<<<<<<< ours` / `=======` / `>>>>>>> theirs`. */
export function lineMerge(base: string, ours: string, theirs: string, ourName = 'ours', theirName = 'theirs'): LineMergeResult {
  const o = ours.match(LINEBREAKS) ?? [];
  const b = base.match(LINEBREAKS) ?? [];
  const t = theirs.match(LINEBREAKS) ?? [];
  let mergedText = '';
  let cleanMerge = true;
  for (const item of diff3Merge(o, b, t)) {
    if (item.ok) mergedText += item.ok.join('');
    if (item.conflict) {
      cleanMerge = false;
      mergedText += `${'<'.repeat(MARKER_SIZE)} ${ourName}\n`;
      mergedText += formatConflictSide(item.conflict.a);
      mergedText += `${'='.repeat(MARKER_SIZE)}\n`;
      mergedText += formatConflictSide(item.conflict.b);
      mergedText += `${'>'.repeat(MARKER_SIZE)} ${theirName}\n`;
    }
  }
  return { cleanMerge, mergedText };
}

/** Whether a file (path relative to the repository, and its text on one side) is an Insomnia collection file. */
export function isCollectionFile(filepath: string, text: string): boolean {
  if (!isInsomniaPath(filepath)) return false;
  if (filepath.split('/').includes(LEGACY_FOLDER_NAME)) return /\.(ya?ml|json)$/i.test(filepath);
  return v5TypeInFirstLine(firstLine(text)) !== undefined;
}

/** What the driver did with one file whose line merge conflicted. */
export interface FieldMergeOutcome {
  path: string;
  /** true: the field merge resolved it (its text is in the merge); false: it stays a conflict. */
  resolved: boolean;
  /** the fields both sides changed differently (when not resolved and the file was understood). */
  conflicts: FieldConflict[];
  /** why the field merge did not apply (not Insomnia data, unreadable, ...). */
  reason?: string;
}

/** Blob id of a text as git would store it. */
export function blobOid(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return crypto.createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

const EMPTY_BLOB = blobOid('');

interface BothModified {
  path: string;
  baseAbsent: boolean;
}

/**
 * A merge driver for one merge, plus what it did. `paths` maps `baseOid:oursOid:theirsOid` to the file(s)
 * both sides changed (see `prepareCollectionMerge`); without an entry the driver only knows the base name.
 */
export class CollectionMergeDriver {
  /** files the line merge conflicted on and the field merge resolved, sorted. */
  get fieldMerged(): string[] {
    return [...this.outcomes.values()].filter((o) => o.resolved).map((o) => o.path).sort();
  }
  /** every file the line merge conflicted on, by path. */
  readonly outcomes = new Map<string, FieldMergeOutcome>();
  /** merged text by path, for every file the driver was asked about (clean or not). */
  readonly mergedTexts = new Map<string, string>();

  /** the name after `>>>>>>>` in conflict markers when the merge was given a commit id (git writes the ref's name). */
  theirsLabel: string | undefined;

  constructor(private readonly paths: Map<string, BothModified[]> = new Map()) {}

  readonly callback: MergeDriverCallback = (args: MergeDriverParams): LineMergeResult => this.merge(args);

  private locate(args: MergeDriverParams): BothModified {
    const [base, ours, theirs] = args.contents;
    const key = `${blobOid(base)}:${blobOid(ours)}:${blobOid(theirs)}`;
    const list = this.paths.get(key);
    const named = (p: BothModified): boolean => p.path === args.path || p.path.endsWith(`/${args.path}`);
    // files with identical contents on all three sides are each asked about once: take the next one not seen yet
    const hit = list?.find((p) => named(p) && !this.mergedTexts.has(p.path)) ?? list?.find(named);
    return hit ?? { path: args.path, baseAbsent: base === '' };
  }

  merge(args: MergeDriverParams): LineMergeResult {
    const ourName = args.branches[1];
    const theirName = this.theirsLabel ?? args.branches[2];
    const [base, ours, theirs] = args.contents;
    const where = this.locate(args);
    const line = lineMerge(base, ours, theirs, ourName, theirName);
    if (line.cleanMerge) {
      this.mergedTexts.set(where.path, line.mergedText);
      return line;
    }
    if (!isCollectionFile(where.path, ours) && !isCollectionFile(where.path, theirs)) {
      this.mergedTexts.set(where.path, line.mergedText);
      return line;
    }
    let outcome: FieldMergeOutcome;
    let result: LineMergeResult = line;
    try {
      const field = writers().mergeCollectionText(where.path, where.baseAbsent ? null : base, ours, theirs);
      if (field.clean) {
        outcome = { path: where.path, resolved: true, conflicts: [] };
        result = { cleanMerge: true, mergedText: field.text };
      } else {
        outcome = { path: where.path, resolved: false, conflicts: field.conflicts, reason: field.reason };
      }
    } catch (err) {
      outcome = { path: where.path, resolved: false, conflicts: [], reason: `field merge failed: ${(err as Error).message}` };
    }
    this.outcomes.set(where.path, outcome);
    this.mergedTexts.set(where.path, result.mergedText);
    return result;
  }
}

/**
 * A driver for merging `theirsTree` into `oursTree` with `baseTree` as the common ancestor (null: none): finds the
 * files both sides changed, so the driver knows each file's full path.
 */
export async function prepareCollectionMerge(store: ObjectStore, baseTree: string | null, oursTree: string, theirsTree: string): Promise<CollectionMergeDriver> {
  const [mine, yours] = await Promise.all([diffTrees(store, baseTree, oursTree), diffTrees(store, baseTree, theirsTree)]);
  const theirsByPath = new Map(yours.map((c) => [c.path, c]));
  const paths = new Map<string, BothModified[]>();
  for (const c of mine) {
    const t = theirsByPath.get(c.path);
    if (!t || !c.after || !t.after || c.after.oid === t.after.oid) continue;
    const key = `${c.before?.oid ?? EMPTY_BLOB}:${c.after.oid}:${t.after.oid}`;
    const list = paths.get(key) ?? [];
    list.push({ path: c.path, baseAbsent: !c.before });
    paths.set(key, list);
  }
  return new CollectionMergeDriver(paths);
}
