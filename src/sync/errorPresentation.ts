// How a GitError reaches the user, decided in one place: its severity ("nothing to do" is information,
// conflicts and rejections are warnings, blocking failures are errors with "Open Log"), the message (with the
// remote's own lines, the conflicted files and requests, the dirty files) and the actions offered. No 'vscode':
// the command layer shows the result and runs the chosen action.

import { describeConflictedItem, type ConflictReport } from '../git/conflictReport';
import { GitError, GitErrorCode } from '../git/gitError';
import type { BranchMergeState } from '../git/ops/branchMerged';

export type GitAction =
  | 'openLog'
  | 'pull'
  | 'forcePush'
  | 'pushToNewBranch'
  | 'mergeInEditor'
  | 'showConflicts'
  | 'showChanges'
  | 'useHttpsUrl'
  | 'setUpSync'
  | 'enterToken';

export interface Presentation {
  severity: 'information' | 'warning' | 'error';
  message: string;
  actions: { title: string; action: GitAction }[];
}

const MAX_FILES = 10;

/** A file with what it holds when it is known: `GET Find pets by status (.insomnia/Request/req_1.yml)`. */
export const namedFile = (f: string, names: Readonly<Record<string, string | undefined>> = {}): string => (names[f] ? `${names[f]} (${f})` : f);

/** The files, each with what it holds when it is known. */
function listFiles(files: readonly string[], names?: Readonly<Record<string, string>>): string {
  const shown = files.slice(0, MAX_FILES).map((f) => namedFile(f, names)).join(', ');
  return files.length > MAX_FILES ? `${shown}, and ${files.length - MAX_FILES} more` : shown;
}

/** One line per conflicted file: the file, then the requests and fields both sides changed, when known. */
export function conflictLines(err: GitError): string[] {
  const report = err.details.conflict;
  return report ? reportLines(report) : (err.details.files ?? []);
}

function reportLines(report: ConflictReport): string[] {
  return report.files.map((f) => fileLine(f.path, f.items));
}

function fileLine(file: string, items: ConflictReport['files'][number]['items'] = []): string {
  const named = items.map((i) => describeConflictedItem(i));
  return named.length ? `${file}: ${named.join('; ')}` : file;
}

/**
 * What Merge in Editor says when conflicts are left to resolve: the files, with their requests and fields when known;
 * the one it `opened` in the editor, and where the others are.
 */
export function mergeInEditorMessage(
  result: { readonly conflicts: readonly { readonly path: string }[]; readonly report?: ConflictReport },
  opened?: string,
): string {
  const files = [...new Set(result.conflicts.map((c) => c.path))];
  const named = files.map((file) => fileLine(file, result.report?.files.find((f) => f.path === file)?.items));
  const head = `${files.length} conflicted file${files.length === 1 ? '' : 's'} to resolve: ${named.join(', ')}.`;
  const finish = 'then commit to finish the merge (or Abort Merge).';
  if (opened === undefined || !files.includes(opened)) return `${head} Resolve, stage, ${finish}`;
  const others = files.length - 1;
  if (!others) return `${head} It is open in the editor: resolve it, stage it, ${finish}`;
  const where = others === 1 ? 'the other one is' : `the other ${others} are`;
  return `${head} ${opened} is open in the editor; ${where} waiting in Source Control's Merge Changes (Show Conflicts goes there). Resolve, stage, ${finish}`;
}

/** What a pull stopped on conflicts lets the user do next, in words (the notification's buttons do it). */
const PULL_CONFLICT_NEXT = 'Next: resolve them in the editor (Merge in Editor), or look at them first (Show Conflicts).';

export function presentGitError(err: GitError): Presentation {
  const openLog = { title: 'Open Log', action: 'openLog' as const };
  switch (err.code) {
    case GitErrorCode.NothingToPush:
    case GitErrorCode.NothingToCommit:
      return { severity: 'information', message: err.message, actions: [] };
    case GitErrorCode.PushRejectedNonFastForward:
      // (refused by the force push's lease: forcing again is refused again until the commits are fetched)
      return {
        severity: 'warning',
        message: err.message,
        actions: err.details.staleLease ? [{ title: 'Pull', action: 'pull' }] : [
          { title: 'Pull', action: 'pull' },
          { title: 'Force Push...', action: 'forcePush' },
        ],
      };
    case GitErrorCode.PushRejectedByRemote: {
      const lines = err.details.remoteLines ?? [];
      // (a push to several URLs: the message names the one that refused and where it went)
      const message = lines.length && !err.details.urls ? `The remote rejected the push:\n${lines.join('\n')}` : err.message;
      return { severity: 'error', message, actions: [{ title: 'Push to a New Branch...', action: 'pushToNewBranch' }, openLog] };
    }
    case GitErrorCode.Conflict: {
      const report = err.details.conflict;
      const count = report?.count ?? err.details.files?.length ?? 0;
      const head = report
        ? `Pulling ${report.theirs} into ${report.ours} conflicts in ${count} file${count === 1 ? '' : 's'}; nothing was changed.`
        : err.message.split('\n', 1)[0];
      return {
        severity: 'warning',
        message: `${head} ${PULL_CONFLICT_NEXT}\n${conflictLines(err).join('\n')}`,
        actions: [
          { title: 'Merge in Editor...', action: 'mergeInEditor' },
          { title: 'Show Conflicts', action: 'showConflicts' },
        ],
      };
    }
    // a ref update refused, nothing set back: what to do is in the message (prune, fetch again, the refspec)
    case GitErrorCode.RefNameConflict:
    case GitErrorCode.RefChanged:
    case GitErrorCode.FetchRejectedNonFastForward:
      return { severity: 'warning', message: err.message, actions: [openLog] };
    case GitErrorCode.UnresolvedConflicts:
      return { severity: 'warning', message: err.message, actions: [{ title: 'Show Conflicts', action: 'showConflicts' }] };
    case GitErrorCode.DirtyWorkingTree: {
      const files = err.details.files ?? [];
      const message = files.length
        ? `${err.message.split(':', 1)[0]}:\n${listFiles(files, err.details.names)}\nCommit or discard them first.`
        : err.message;
      return { severity: 'error', message, actions: [{ title: 'Show Changes', action: 'showChanges' }] };
    }
    case GitErrorCode.SshNotSupported:
    case GitErrorCode.InsecureRemote:
      return { severity: 'error', message: err.message, actions: err.details.httpsUrl ? [{ title: 'Use the HTTPS URL', action: 'useHttpsUrl' }] : [] };
    case GitErrorCode.NoRemote:
    case GitErrorCode.MissingAuthor:
      return { severity: 'error', message: err.message, actions: [{ title: 'Set Up Sync...', action: 'setUpSync' }] };
    case GitErrorCode.AuthRequired:
    case GitErrorCode.AuthFailed:
      // your git's ssh key, agent or credential helper was refused: a Hammock token would change nothing
      if (err.details.userGit) return { severity: 'error', message: err.message, actions: [openLog] };
      return { severity: 'error', message: err.message, actions: [{ title: 'Enter Token...', action: 'enterToken' }, openLog] };
    case GitErrorCode.Cancelled:
      return { severity: 'information', message: err.message, actions: [] };
    default:
      return { severity: 'error', message: err.message, actions: [openLog] };
  }
}

/** How many of the commits a branch deletion loses are named in its question. */
export const LOST_COMMITS_SHOWN = 5;

/**
 * The detail of the question before deleting a branch `git branch -d` refuses: what it is not merged into, and the
 * commits on no other branch that deleting it loses (how many, the first few as `abc1234 summary`), or that none is.
 */
export function unmergedDetail(state: BranchMergeState): string {
  const into = state.intoUpstream
    ? `Its upstream ${state.mergedInto} does not have all of its commits.`
    : state.mergedInto === 'HEAD'
      ? 'The current commit (HEAD) does not have all of its commits.'
      : `The current branch "${state.mergedInto}" does not have all of its commits.`;
  const n = state.lost.length;
  if (!n) return `${into} None would be lost: each of its commits is on another branch.`;
  const lines = state.lost.slice(0, LOST_COMMITS_SHOWN).map((c) => `${c.oid.slice(0, 7)} ${c.summary}`);
  if (n > LOST_COMMITS_SHOWN) lines.push(`...and ${n - LOST_COMMITS_SHOWN} more`);
  return `${into} ${n === 1 ? '1 commit is' : `${n} commits are`} on no other branch and would be lost:\n${lines.join('\n')}`;
}
