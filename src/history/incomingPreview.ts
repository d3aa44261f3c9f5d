// The incoming preview: after a fetch, what pulling the upstream would add, change and delete in the collections
// (request-level, merge base to upstream), and whether the pull would go through (fast-forward, merge), conflict
// (which files, requests and fields) or be refused because of uncommitted changes (GitClient.previewPull). Reads
// git objects and the status only: nothing is written. No 'vscode' import.

import type { SnapshotDiff } from '../collections/diff';
import type { WorkspaceSnapshot } from '../collections/model';
import { describeConflictedItem, type ConflictReport } from '../git/conflictReport';
import type { GitClient, PullPreview } from '../git/gitClient';
import { GitErrorCode, isGitError } from '../git/gitError';
import { namedFile } from '../sync/errorPresentation';
import { newlyUnreadable, refChanges, type UnreadableFile } from './refChanges';

export type IncomingKind = 'upToDate' | 'fastForward' | 'merge' | 'conflict';

export interface IncomingPreview {
  readonly branch: string;
  /** `origin/main` */
  readonly upstream: string;
  /** our branch's commit (null before the first commit). */
  readonly ours: string | null;
  /** the upstream as last fetched. */
  readonly theirs: string;
  /** merge base of ours and theirs (null without one). */
  readonly base: string | null;
  /** commits the upstream has that the branch lacks, and the reverse. */
  readonly behind: number;
  readonly ahead: number;
  readonly kind: IncomingKind;
  /** the collections from the merge base to the upstream: what the pull brings in. */
  readonly diff: SnapshotDiff;
  readonly before: WorkspaceSnapshot;
  readonly after: WorkspaceSnapshot;
  /** kind `conflict`: the files, requests and fields both sides changed. */
  readonly conflict?: ConflictReport;
  /** files both sides changed that merge without a conflict. */
  readonly fieldMerged: readonly string[];
  /** uncommitted files the pull would overwrite: a pull refuses while this is not empty. */
  readonly blockedBy: readonly string[];
  /** what some of `blockedBy` hold (the requests a v5 file's edits touch), added by the host: GitErrorDetails.names. */
  readonly names?: Readonly<Record<string, string | undefined>>;
  /**
   * incoming files that cannot be read (malformed, conflict markers pushed) where the merge base could read them:
   * what they hold is left out of `diff` (not called removed); the pull brings them in as they are.
   */
  readonly unreadable: readonly UnreadableFile[];
}


/**
 * The preview of pulling the current branch's upstream as last fetched (no fetch here): GitClient.previewPull for the
 * verdict, the request-level diff from the merge base to the upstream for the changes. undefined when HEAD is
 * detached or the upstream was never fetched.
 */
export async function previewIncoming(client: GitClient): Promise<IncomingPreview | undefined> {
  const branch = await client.currentBranch();
  if (!branch) return undefined;
  let pull: PullPreview;
  try {
    pull = await client.previewPull();
  } catch (err) {
    // nothing fetched to compare with, or a merge to finish first: no preview
    if (isGitError(err, GitErrorCode.NoRemoteBranch) || isGitError(err, GitErrorCode.MergeInProgress)) return undefined;
    throw err;
  }
  const tracking = await client.tracking();
  const { ours, theirs } = pull;
  const head = { branch, upstream: pull.theirsLabel, ours, theirs, behind: tracking?.behind ?? 0, ahead: tracking?.ahead ?? 0 };
  if (pull.kind === 'upToDate') {
    const empty = (): WorkspaceSnapshot => ({ root: client.dir, collections: [], problems: [] });
    return { ...head, base: pull.base, kind: 'upToDate', diff: { collections: [] }, before: empty(), after: empty(), fieldMerged: [], blockedBy: [], unreadable: [] };
  }
  const changes = ours ? await refChanges(client.dir, ours, theirs, { mergeBase: true, gitdir: client.gitdir }) : await refChanges(client.dir, null, theirs, { gitdir: client.gitdir });
  return {
    ...head,
    base: pull.base,
    kind: pull.kind,
    diff: changes.diff,
    before: changes.before,
    after: changes.after,
    ...(pull.conflict ? { conflict: pull.conflict } : {}),
    fieldMerged: pull.fieldMerged,
    blockedBy: pull.blockedBy,
    unreadable: newlyUnreadable(changes.before, changes.after),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Text

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Counts of the incoming changes: `2 requests added, 1 request changed, 1 environment changed`. */
export function countChanges(diff: SnapshotDiff): string {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const c of diff.collections) {
    if (c.kind !== 'changed') add(`collection|${c.kind}`);
    for (const ch of c.changes) add(`${ch.entity}|${ch.kind}`);
  }
  const order = ['collection', 'folder', 'request', 'environment'];
  const kinds = ['added', 'changed', 'moved', 'removed'];
  const parts: string[] = [];
  for (const entity of order) {
    for (const kind of kinds) {
      const n = counts.get(`${entity}|${kind}`);
      if (n) parts.push(`${plural(n, entity)} ${kind}`);
    }
  }
  return parts.join(', ');
}

/** The conflicting requests and fields: `"Get user" (url, headers); .insomnia/Request/x.yml`. */
export function describeConflicts(report: ConflictReport): string {
  return report.files
    .map((f) => {
      const items = f.items.map((i) => describeConflictedItem(i, true));
      return items.length ? items.join(', ') : f.path;
    })
    .join('; ');
}

/** The files that block the pull, each with what it holds when known. */
export function blockedFiles(p: IncomingPreview): string {
  return p.blockedBy.map((f) => namedFile(f, p.names)).join(', ');
}

/** One paragraph for a notification. */
export function summarizeIncoming(p: IncomingPreview): string {
  if (p.kind === 'upToDate') return `${p.branch} is up to date with ${p.upstream}.`;
  const counted = countChanges(p.diff);
  const what = counted ? `${counted}` : 'no collection changes';
  let verdict: string;
  if (p.kind === 'conflict' && p.conflict) verdict = `Pulling would conflict in ${plural(p.conflict.count, 'file')}: ${describeConflicts(p.conflict)}.`;
  else if (p.kind === 'merge') verdict = `Pulling would merge (${plural(p.ahead, 'local commit')}), without conflicts${p.fieldMerged.length ? ` (${plural(p.fieldMerged.length, 'file')} changed on both sides merge)` : ''}.`;
  else verdict = 'Pulling would fast-forward.';
  const blocked = p.blockedBy.length ? ` Your uncommitted changes to ${blockedFiles(p)} block the pull: commit or discard them first.` : '';
  const n = p.unreadable.length;
  const unreadable = n ? ` ${plural(n, 'incoming file')} cannot be read (${p.unreadable.map((u) => `${u.file}, line ${u.line}: ${u.message}`).join('; ')}).` : '';
  return `${p.upstream} has ${plural(p.behind, 'new commit')}: ${what}.${unreadable} ${verdict}${blocked}`;
}

/** One line per incoming change (`~ request "A/Get users": url changed`), collections named when several. */
export function incomingLines(p: IncomingPreview): string[] {
  const lines: string[] = [];
  const several = p.diff.collections.length > 1;
  for (const c of p.diff.collections) {
    if (c.kind === 'added') lines.push(`+ collection "${c.name}" added`);
    else if (c.kind === 'removed') lines.push(`- collection "${c.name}" removed`);
    else for (const ch of c.changes) lines.push(several ? `${c.name}: ${ch.description}` : ch.description);
  }
  for (const u of p.unreadable) lines.push(`! ${u.file} cannot be read: what it holds is left out`);
  return lines;
}
