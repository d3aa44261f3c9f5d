// Whether a commit holds Insomnia data: a `.insomnia/` folder (legacy Git Sync) or at least one YAML file whose
// first line declares an Insomnia v5 type (`type: collection.insomnia.rest/5.0`, `spec.insomnia.rest/5.0`, ...).
// Decided from git objects, before anything is checked out.

import { isogit } from './isogit';
import { listTree, treeOfCommit } from './treeDiff';
import { gitFs } from './plumbing/gitFs';

const V5_FIRST_LINE = /insomnia(\.rest)?\/5\.\d/;
const MAX_YAML_PROBES = 2000;

export function firstLine(content: Uint8Array): string {
  const end = Math.min(content.length, 512);
  const head = Buffer.from(content.buffer, content.byteOffset, end).toString('utf8');
  const nl = head.indexOf('\n');
  return (nl < 0 ? head : head.slice(0, nl)).replace(/^\uFEFF/, '');
}

export function isV5FirstLine(line: string): boolean {
  return V5_FIRST_LINE.test(line);
}

export interface InsomniaContent {
  legacy: boolean;
  /** v5 files found (paths). */
  v5Files: string[];
}

/** Looks for Insomnia data in a commit. */
export async function findInsomniaContent(gitdir: string, cache: object, commitOid: string): Promise<InsomniaContent> {
  const store = { gitdir, cache };
  const tree = await treeOfCommit(store, commitOid);
  const files = await listTree(store, tree);
  let legacy = false;
  const yamlFiles: { path: string; oid: string }[] = [];
  for (const [p, f] of files) {
    if (p.startsWith('.insomnia/')) legacy = true;
    else if (/\.ya?ml$/i.test(p)) yamlFiles.push({ path: p, oid: f.oid });
  }
  const v5Files: string[] = [];
  for (const f of yamlFiles.slice(0, MAX_YAML_PROBES)) {
    const { blob } = await isogit().readBlob({ fs: gitFs, gitdir, oid: f.oid, cache });
    if (isV5FirstLine(firstLine(blob))) v5Files.push(f.path);
  }
  return { legacy, v5Files };
}
