// Housekeeping as git keeps a repository: after a commit, a fetch, a pull or a merge, git runs `git gc --auto`,
// which packs loose objects and joins packs once there are too many (gc.auto, 6,700 loose objects, counted as git
// counts them from objects/17; gc.autoPackLimit, 50 packs). isomorphic-git never does: every fetch that brings
// objects leaves one more pack and every commit more loose objects, and each object lookup (Hammock's, and the git
// command line's on the same repository) looks through every pack. So after such an operation, when git's own
// thresholds are passed, Hammock asks the user's git for `git gc --auto --quiet` (it decides again, detaches and
// runs in the background as it does after `git fetch`). Without the user's git (none installed, or
// hammock.git.useSystemGit set to `never`) nothing is run. Pure: no 'vscode'.

import { promises as fsp } from 'fs';
import * as path from 'path';
import { GitConfig } from './plumbing/gitConfig';
import { realGitPath } from './plumbing/gitFs';

const DEFAULT_GC_AUTO = 6700;
const DEFAULT_PACK_LIMIT = 50;

function intOf(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // git's integers may end in k, m or g
  const m = /^\s*(-?\d+)\s*([kmg]?)\s*$/i.exec(value);
  if (!m) return fallback;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * scale;
}

/**
 * Whether `git gc --auto` would find work in the repository of `gitdir` (builtin/gc.c need_to_gc: too many loose
 * objects, estimated from objects/17, or too many packs without a .keep), under its config. False when gc.auto is 0
 * or below, or maintenance.auto is false.
 */
export async function housekeepingDue(gitdir: string, config: GitConfig = GitConfig.load(gitdir)): Promise<boolean> {
  const gcAuto = intOf(config.string('gc.auto'), DEFAULT_GC_AUTO);
  if (gcAuto <= 0 || !config.bool('maintenance.auto', true)) return false;
  const objects = realGitPath(path.join(gitdir, 'objects'));
  // too_many_loose_objects: the objects in the folder 17, against the threshold spread over the 256 folders
  const perFolder = Math.ceil(gcAuto / 256);
  const loose = await fsp.readdir(path.join(objects, '17')).catch(() => [] as string[]);
  if (loose.filter((n) => /^[0-9a-f]{38}$/.test(n)).length > perFolder) return true;
  // too_many_packs: more packs without a .keep file than gc.autoPackLimit (0 or below: never)
  const packLimit = intOf(config.string('gc.autoPackLimit'), DEFAULT_PACK_LIMIT);
  if (packLimit <= 0) return false;
  const names = await fsp.readdir(path.join(objects, 'pack')).catch(() => [] as string[]);
  const keep = new Set(names.filter((n) => n.endsWith('.keep')).map((n) => n.slice(0, -5)));
  const packs = names.filter((n) => n.endsWith('.pack') && !keep.has(n.slice(0, -5))).length;
  return packs > packLimit;
}

/** Runs the user's git in `cwd`; resolves with its exit code (rejects when there is no git). */
export type RunUserGit = (args: string[], cwd: string) => Promise<{ code: number | null; stderr: string }>;

/**
 * One repository's housekeeping: `after()` once an operation that adds objects has finished. At most one `git gc`
 * at a time; a failure is logged, never shown (git says the same on its next gc, and nothing is lost).
 */
export class Housekeeping {
  private running: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly gitdir: string,
    private readonly run: RunUserGit | undefined,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Resolves when the housekeeping running now (if any) has finished. */
  get idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Starts `git gc --auto` when git's thresholds are passed; resolves when it has finished (or was not needed). */
  after(): Promise<void> {
    const run = this.run;
    if (!run || this.running) return this.running ?? Promise.resolve();
    const job = (async () => {
      try {
        if (!(await housekeepingDue(this.gitdir))) return;
        this.log('too many loose objects or packs: git gc --auto');
        const r = await run(['gc', '--auto', '--quiet'], this.dir);
        if (r.code !== 0) this.log(`git gc --auto failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`);
      } catch (err) {
        this.log(`git gc --auto not run: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    this.running = job.finally(() => (this.running = undefined));
    return this.running;
  }
}
