// The secret scan of what a commit would add: the Insomnia files whose index version differs from HEAD's, each read
// from git's objects (the index's blob and HEAD's), scanned, and only the secrets HEAD does not already hold in the
// same place reported. Shared by the commit check of the extension and `hammock check --secrets --staged` (the git
// pre-commit hook). Reads only the index and the objects, never the working tree. No 'vscode' import.

import * as path from 'node:path';
import { isogit } from './isogit';
import type { SecretFinding } from '../collections/secrets/secretScan';
import { isLegacyDataFile, LEGACY_FOLDER_NAME } from '../collections/formats/legacy';
import { isYamlFileName } from '../collections/scan';
import { Slicer } from '../collections/slicer';
import { gitFs } from './plumbing/gitFs';
import { resolveRepoLayout } from './plumbing/repoLayout';
import { diffTreeIndex, readIndexFile, resolveHead } from './status';
import { writers } from '../collections/lazyWriters';

export interface StagedSecretScan {
  /** the secrets the staged Insomnia files add (not in HEAD's version at the same place). */
  readonly findings: SecretFinding[];
  /** the staged Insomnia files scanned (repository-relative, `/`). */
  readonly files: string[];
}

/** Whether a repository-relative path can be an Insomnia file: a legacy data file, or YAML (v5 is told by its text). */
export function mayBeInsomniaFile(relPath: string): boolean {
  const segments = relPath.split('/');
  const at = segments.lastIndexOf(LEGACY_FOLDER_NAME);
  if (at >= 0) return at === segments.length - 3 && isLegacyDataFile(segments[segments.length - 1]);
  return isYamlFileName(segments[segments.length - 1]);
}

/** Scans the staged changes of the repository at `dir` (its working tree's root). */
export async function scanStagedSecrets(dir: string, options: { signal?: AbortSignal } = {}): Promise<StagedSecretScan> {
  const layout = resolveRepoLayout(dir);
  const index = await readIndexFile(layout.gitdir);
  if (!index) return { findings: [], files: [] };
  const cache = {};
  const head = await resolveHead(layout.gitdir);
  const headTree = head ? (await isogit().readCommit({ fs: gitFs, gitdir: layout.gitdir, oid: head, cache })).commit.tree : null;
  const changes = await diffTreeIndex(layout.gitdir, cache, headTree, index.entries.values());
  const slicer = new Slicer(options.signal);
  const decoder = new TextDecoder('utf-8');
  const read = async (oid: string | null): Promise<string | undefined> => {
    if (!oid) return undefined;
    const { blob } = await isogit().readBlob({ fs: gitFs, gitdir: layout.gitdir, oid, cache });
    return decoder.decode(blob);
  };
  const findings: SecretFinding[] = [];
  const files: string[] = [];
  for (const [rel, change] of [...changes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!change.index || !mayBeInsomniaFile(rel)) continue;
    const file = path.join(layout.dir, ...rel.split('/'));
    const staged = await read(change.index);
    if (staged === undefined) continue;
    const now = await writers().scanFileTextSliced(file, staged, slicer);
    if (now.length === 0 && !staged.includes('type:')) continue;
    files.push(rel);
    if (now.length === 0) continue;
    const before = await read(change.head);
    findings.push(...writers().newFindings(now, before === undefined ? [] : await writers().scanFileTextSliced(file, before, slicer)));
    if (slicer.overdue()) await slicer.yield();
  }
  return { findings, files };
}
