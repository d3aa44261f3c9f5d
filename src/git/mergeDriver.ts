// The field-level merge of Insomnia collection files as a second chance for git's merge: Hammock's merge
// (plumbing/treeMerge.ts) merges every file as git does (plumbing/lineMerge.ts, same bytes, same conflicts); when
// git's line merge conflicts on a collection file (a legacy `.insomnia/<Type>/<id>.yml` document or a v5 file),
// `CollectionMergeDriver.resolver` merges it again item by item and field by field against the common ancestor
// (src/collections/merge3.ts). Its result is used only when it is clean; otherwise the file keeps git's conflict,
// so a conflict is always reported, never resolved for the user. The driver remembers what it did, for the log and
// the conflict report.

import * as crypto from 'crypto';
import { writers } from '../collections/lazyWriters';
import type { FieldConflict } from '../collections/merge3';
import { isInsomniaPath } from '../collections/scan';
import { LEGACY_FOLDER_NAME } from '../collections/formats/legacy';
import { v5TypeInFirstLine, firstLine } from '../collections/formats/v5';
import { mergeEngine } from './lazyMerge';
import type { ContentResolver } from './plumbing/treeMerge';

export interface LineMergeResult {
  cleanMerge: boolean;
  mergedText: string;
}

/** git's line merge of three texts (as `git merge` does it), conflict markers labelled `ourName` / `theirName`. */
export function lineMerge(base: string, ours: string, theirs: string, ourName = 'ours', theirName = 'theirs'): LineMergeResult {
  const r = mergeEngine().mergeLines(Buffer.from(base, 'utf8'), Buffer.from(ours, 'utf8'), Buffer.from(theirs, 'utf8'), { oursLabel: ourName, theirsLabel: theirName });
  return { cleanMerge: r.conflicts === 0, mergedText: r.result.toString('utf8') };
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

/** The field-level merge for one merge, and what it did. */
export class CollectionMergeDriver {
  /** every collection file git's line merge conflicted on, by path. */
  readonly outcomes = new Map<string, FieldMergeOutcome>();

  /** files the line merge conflicted on and the field merge resolved, sorted. */
  get fieldMerged(): string[] {
    return [...this.outcomes.values()].filter((o) => o.resolved).map((o) => o.path).sort();
  }

  /** For mergeCommits' `resolveContent`: the field merge of a collection file git's line merge left in conflict. */
  readonly resolver: ContentResolver = (path, base, ours, theirs) => {
    const o = ours.toString('utf8');
    const t = theirs.toString('utf8');
    if (!isCollectionFile(path, o) && !isCollectionFile(path, t)) return undefined;
    let outcome: FieldMergeOutcome;
    let text: string | undefined;
    try {
      const field = writers().mergeCollectionText(path, base === null ? null : base.toString('utf8'), o, t);
      if (field.clean) {
        outcome = { path, resolved: true, conflicts: [] };
        text = field.text;
      } else outcome = { path, resolved: false, conflicts: field.conflicts, reason: field.reason };
    } catch (err) {
      outcome = { path, resolved: false, conflicts: [], reason: `field merge failed: ${(err as Error).message}` };
    }
    this.outcomes.set(path, outcome);
    return text === undefined ? undefined : Buffer.from(text, 'utf8');
  };
}
