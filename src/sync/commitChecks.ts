// Checks a commit made in Hammock runs on its staged changes before it is written (the secret check is one): each may
// stop the commit, or change the staged files and let it go on. The git commands call `runCommitChecks` right after
// staging; nothing else of the commit flow knows about them.

/** What a check gets: the repository, a way to stage files again, and the commit command's options (tests preset answers). */
export interface CommitCheckContext {
  readonly root: string;
  /** stages these paths (relative to the repository, `/`) again, after the check changed them. */
  readonly restage: (paths: readonly string[]) => Promise<void>;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Resolves true to let the commit go on, false to stop it (nothing is committed). */
export type CommitCheck = (context: CommitCheckContext) => Promise<boolean>;

/** The checks, in order; the first that says no stops the commit. */
export async function runCommitChecks(checks: readonly CommitCheck[], context: CommitCheckContext): Promise<boolean> {
  for (const check of checks) if (!(await check(context))) return false;
  return true;
}
