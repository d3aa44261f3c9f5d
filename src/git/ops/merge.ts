// The merge the pulls share: pull (ops/pull.ts), its preview (ops/previewPull.ts) and Merge in Editor
// (ops/mergeInEditor.ts) merge the upstream into the current branch as `git merge` does, with the field-level merge
// as a second chance for collection files, and describe a conflict by file, request and field. No 'vscode' import.

import type { FieldConflict } from '../../collections/merge3';
import { describeConflict, describeConflictedItem, type ConflictedFile, type ConflictedItem, type ConflictReport } from '../conflictReport';
import { GitError, GitErrorCode } from '../gitError';
import { isogit } from '../isogit';
import { mergeEngine } from '../lazyMerge';
import { CollectionMergeDriver } from '../mergeDriver';
import { resolveConfig } from '../lazyIdentity';
import { mergeCommitMessage, type MergeSource } from '../mergeMessage';
import { fetchUrlOf } from '../remoteUrl';
import { ObjectLayer } from '../plumbing/objects';
import { fastForwardSubmodule } from '../plumbing/submoduleMerge';
import type { CommitMergeResult, MergeConflict } from '../plumbing/treeMerge';
import { conflictKind as conflictKindOf } from '../status';
import type { CoreContext, RemoteContext } from './context';

export { isAncestor } from '../plumbing/ancestry';

/**
 * Merges commit `theirs` into `ours` as `git merge` does (renames followed, several merge bases merged into a
 * virtual one), with the field-level merge as a second chance for collection files git's line merge leaves in
 * conflict. Nothing is written: the result's objects are in `objects` until persisted.
 */
export async function mergeUpstream(
  { core }: CoreContext,
  ours: string,
  theirs: string,
  oursLabel: string,
  theirsLabel: string,
  /** what the conflict markers name our side (`HEAD`, as `git merge` writes, where markers reach the files) */
  oursMarker = oursLabel,
): Promise<{ objects: ObjectLayer; result: CommitMergeResult; driver: CollectionMergeDriver }> {
  const objects = new ObjectLayer(core.gitdir, core.cache);
  const engine = mergeEngine();
  const graph = new engine.CommitGraph(objects);
  if (!(await engine.mergeBases(graph, ours, theirs)).length) {
    throw new GitError(
      GitErrorCode.UnrelatedHistories,
      `${theirsLabel} and ${oursLabel} have no commit in common: their histories are unrelated, and git refuses to merge them too; nothing was changed. (Was this folder's repository created before it was linked to that remote? Clone the remote instead, or merge once with \`git pull --allow-unrelated-histories\`.)`,
      { ref: theirsLabel },
    );
  }
  const driver = new CollectionMergeDriver();
  const result = await engine.mergeCommits(
    objects,
    ours,
    theirs,
    {
      labels: { ours: oursMarker, theirs: theirsLabel },
      resolveContent: driver.resolver,
      fastForwardSubmodule: (p, base, o, t) => fastForwardSubmodule(core.dir, core.commondir, p, base, o, t),
    },
    graph,
  );
  for (const r of result.renames) core.log(`merge: ${r.from} renamed to ${r.to} in ${r.side === 'ours' ? oursLabel : theirsLabel}`);
  return { objects, result, driver };
}

/**
 * The message git writes merging `<remote>/<remoteBranch>` into `branch`: as `git pull` does (`pull`: "Merge branch
 * 'main' of <url>") or `git merge @{upstream}` (`remoteTracking`), with merge.suppressDest read as git reads it.
 */
export async function mergeMessage(c: RemoteContext, kind: MergeSource['kind'], branch: string, remote: string, remoteBranch: string): Promise<string> {
  const config = await resolveConfig({ env: c.options.configEnv ?? process.env, gitdir: c.core.gitdir, commondir: c.core.commondir });
  const suppressDest = config.getAll('merge.suppressDest').filter((v): v is string => v !== null);
  const configured = kind === 'pull' ? await c.client.getRemoteUrl(remote) : undefined;
  // git pull names the URL its fetch used: url.<base>.insteadOf applied
  const url = configured === undefined ? undefined : fetchUrlOf(configured, config.entries);
  return mergeCommitMessage({ kind, remote, remoteBranch, url }, branch, suppressDest);
}

/** The Conflict error a pull stops with: the files, requests and fields in its message and its report. */
export async function conflictError(ctx: CoreContext, result: CommitMergeResult, oursLabel: string, theirsLabel: string, driver: CollectionMergeDriver): Promise<GitError> {
  const report = await buildConflictReport(ctx, result, oursLabel, theirsLabel, driver);
  const names = report.files.map((f) => {
    const items = f.items.map((i) => describeConflictedItem(i));
    return items.length ? `${f.path}: ${items.join('; ')}` : f.path;
  });
  // git's own words for conflicts that name no file (a directory renamed to several places, a file in the way)
  const pathless = report.count ? [] : result.messages.filter((m) => m.startsWith('CONFLICT'));
  return new GitError(
    GitErrorCode.Conflict,
    `Pulling ${theirsLabel} into ${oursLabel} conflicts${report.count ? ` in ${report.count} file${report.count === 1 ? '' : 's'}` : ''}; nothing was changed.\n${[...names, ...pathless].join('\n')}`,
    { conflict: report, files: report.files.map((f) => f.path) },
  );
}

/** The files, requests and fields a merge conflicts on, from its index stages. */
export async function buildConflictReport(
  { core }: CoreContext,
  result: CommitMergeResult,
  oursLabel: string,
  theirsLabel: string,
  driver?: CollectionMergeDriver,
): Promise<ConflictReport> {
  const read = async (v: { oid: string } | null): Promise<string | null> => {
    if (!v) return null;
    try {
      const { blob } = await isogit().readBlob({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, oid: v.oid, cache: core.cache });
      return Buffer.from(blob).toString('utf8');
    } catch {
      return null; // a submodule's commit, or a blob only the merge made
    }
  };
  const byPath = new Map<string, MergeConflict>();
  for (const c of result.conflicts) if (!byPath.has(c.path)) byPath.set(c.path, c);
  const files: ConflictedFile[] = [];
  for (const [p, c] of [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [b, o, t] = await Promise.all(c.stages.map((v) => read(v)));
    const mask = (c.stages[0] ? 2 : 0) | (c.stages[1] ? 4 : 0) | (c.stages[2] ? 8 : 0);
    files.push({ path: p, kind: conflictKindOf(mask), items: conflictItems(p, b, o, t, driver?.outcomes.get(p)?.conflicts) });
  }
  return { count: files.length, files, ours: oursLabel, theirs: theirsLabel };
}

/** One log line per collection file the field-level merge looked at: resolved, or still in conflict and why. */
export function logFieldMerge({ core }: CoreContext, driver: CollectionMergeDriver): void {
  for (const o of [...driver.outcomes.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (o.resolved) core.log(`merge: ${o.path}: line merge conflicted, field-level merge resolved it`);
    else core.log(`merge: ${o.path}: still in conflict${o.conflicts.length ? ` (${o.conflicts.map((c) => `${c.itemName ?? c.itemId ?? 'file'}: ${c.field}`).join('; ')})` : o.reason ? ` (${o.reason})` : ''}`);
  }
}

/**
 * The report's items for one conflicted file: the field-level merge's own findings (nested fields: `body.text`,
 * `headers`) when it understood the file, else the top-level comparison of describeConflict.
 */
function conflictItems(p: string, base: string | null, ours: string | null, theirs: string | null, fieldConflicts: FieldConflict[] | undefined): ConflictedItem[] {
  const described = describeConflict(p, base, ours, theirs);
  if (!fieldConflicts?.length) return described;
  const byId = new Map<string, ConflictedItem>();
  for (const c of fieldConflicts) {
    const id = c.itemId ?? '';
    const known = described.find((d) => d.id === id);
    const item = byId.get(id) ?? { id, name: c.itemName ?? known?.name, type: known?.type, fields: [] };
    if (!item.fields.includes(c.field)) item.fields.push(c.field);
    byId.set(id, item);
  }
  return [...byId.values()].map((i) => ({ ...i, fields: i.fields.sort() }));
}
