// Is there Insomnia data here? The cheap question Hammock asks before it reads anything (services/workGate.ts): given
// candidate files (from VS Code's file search, off the extension host), the first one that makes a collection. A
// file inside a `.insomnia` folder does at once; a `.yaml`/`.yml` file does when its first line names an Insomnia v5
// type, read from its first 4 KiB (scan.ts's test). Files the store would never read (node_modules, dot-folders other than `.insomnia`,
// `hammock.exclude`) do not count. Pure: no 'vscode'.
import { closeSync, openSync, readSync } from 'node:fs';
import { LEGACY_FOLDER_NAME } from './formats/legacy';
import { v5TypeOfText } from './formats/v5';
import { compileExcludes, isSkippedFolderName, isYamlFileName } from './scan';
import { nextTurn } from '../util/nextTurn';

export type ProbeHit = { readonly kind: 'legacy' | 'v5'; readonly file: string };

export interface ProbeResult {
  /** the first file that makes a collection, if any. */
  readonly hit?: ProbeHit;
  /** YAML files whose head was read. */
  readonly read: number;
  /** time spent reading and testing, in slices of at most `sliceMs` (the event loop's share of the probe). */
  readonly busyMs: number;
}

export interface ProbeOptions {
  /** `hammock.exclude`, as `LoadOptions.exclude`. */
  readonly exclude?: readonly string[];
  /** stops the probe: it resolves with what it found so far (nothing). */
  readonly signal?: AbortSignal;
  /** longest stretch of synchronous reading before yielding to the event loop, in ms (default 8). */
  readonly sliceMs?: number;
  /** reads a file's first bytes (default: 4 KiB from disk); undefined for a file that cannot be read. */
  readonly readHead?: (file: string) => string | undefined;
}

const HEAD_BYTES = 4096;
const head = Buffer.allocUnsafe(HEAD_BYTES);

/** What a path relative to its workspace root can be for the probe: in a legacy folder, a YAML file to read, or nothing. */
export function probeKind(relPath: string, excluded: (name: string, relPath: string) => boolean): 'legacy' | 'yaml' | undefined {
  const segments = relPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!;
    if (excluded(name, segments.slice(0, i + 1).join('/'))) return undefined;
    if (i === segments.length - 1) break;
    if (name === LEGACY_FOLDER_NAME) return 'legacy';
    if (isSkippedFolderName(name)) return undefined;
  }
  return isYamlFileName(segments[segments.length - 1] ?? '') ? 'yaml' : undefined;
}

/**
 * The first of `files` (each with its path relative to its workspace root) that makes a collection. Legacy paths
 * decide without a read; YAML files are read in order, synchronously (on 2 cores several times cheaper than
 * fs.promises for thousands of small reads, as scan.ts reads), in slices of at most `sliceMs` between which the
 * event loop runs.
 */
export async function findInsomniaFile(
  files: readonly { readonly file: string; readonly relPath: string }[],
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const sliceMs = options.sliceMs ?? 8;
  const readHead = options.readHead ?? readFileHead;
  let busyMs = 0;
  let read = 0;
  let sliceStart = performance.now();
  const excluded = compileExcludes(options.exclude ?? []);
  const yaml: string[] = [];
  for (const { file, relPath } of files) {
    const kind = probeKind(relPath, excluded);
    if (kind === 'legacy') return { hit: { kind, file }, read, busyMs: busyMs + performance.now() - sliceStart };
    if (kind === 'yaml') yaml.push(file);
  }
  for (const file of yaml) {
    if (performance.now() - sliceStart >= sliceMs) {
      busyMs += performance.now() - sliceStart;
      await nextTurn();
      sliceStart = performance.now();
    }
    if (options.signal?.aborted) break;
    read++;
    const text = readHead(file);
    if (text !== undefined && v5TypeOfText(text) !== undefined) return { hit: { kind: 'v5', file }, read, busyMs: busyMs + performance.now() - sliceStart };
  }
  return { read, busyMs: busyMs + performance.now() - sliceStart };
}

/** The first 4 KiB of a file as text, or undefined when it cannot be read. */
export function readFileHead(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const bytesRead = readSync(fd, head, 0, HEAD_BYTES, 0);
    return head.toString('utf8', 0, bytesRead);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
