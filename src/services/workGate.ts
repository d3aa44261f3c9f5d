// Hammock works only where there is work. VS Code activates it in every window once start-up has finished
// (`onStartupFinished`; at once where a workspace folder holds a `.insomnia` folder), and activation itself is cheap:
// commands and views are registered, nothing is read. The work (reading the collections, watching their files, git)
// starts when this gate opens, for the first of these reasons:
//   - a workspace folder holds a `.insomnia` folder (one stat per folder);
//   - a Hammock view is visible, or a Hammock command runs (registerCommand.ts tells the gate);
//   - the start-up probe finds an Insomnia file: VS Code's file search lists the `.yaml`/`.yml` files (ripgrep, in
//     the search process, not on the extension host; at most MAX_FILES, at most PROBE_TIMEOUT_MS, cancelled when the
//     gate opens otherwise or Hammock stops), then their first 4 KiB are read, in slices of at most 8 ms, until one
//     names an Insomnia v5 type or lies in a `.insomnia` folder (collections/probe.ts);
//   - later, a YAML file whose first line is an Insomnia type is opened, created or changed, or a `.insomnia` folder
//     appears (the extension's one file watcher tells), or a workspace folder is added that holds one.
// In a repository without Insomnia data the gate stays shut: Hammock costs the window its activation and one probe.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LEGACY_FOLDER_NAME } from '../collections/formats/legacy';
import { findInsomniaFile, probeKind, readFileHead, type ProbeHit } from '../collections/probe';
import { compileExcludes } from '../collections/scan';
import { v5TypeOfText } from '../collections/formats/v5';

/** YAML files the start-up probe reads at most; past that it gives up (a view or command still opens the gate). */
export const MAX_FILES = 5000;
export const PROBE_TIMEOUT_MS = 15_000;
/** YAML files read from one batch of changed paths at most. */
const MAX_READS_PER_BATCH = 200;

export interface ProbeStats {
  /** wall time of the probe, file search included. */
  readonly wallMs: number;
  /** of that, waiting for VS Code's file search (ripgrep, in another process). */
  readonly searchMs: number;
  /** the probe's own time on the extension host's thread: taking the search's list, reading and testing heads. */
  readonly hostMs: number;
  /** files the file search listed. */
  readonly files: number;
  /** of those, YAML files whose first 4 KiB were read. */
  readonly read: number;
  /** what it found, if anything. */
  readonly hit?: ProbeHit;
  /** it stopped early: the gate opened otherwise, Hammock stopped, or the time ran out. */
  readonly cancelled: boolean;
}

export interface WorkGateOptions {
  /** the workspace folders on disk. */
  readonly roots: () => readonly string[];
  /** `hammock.exclude`. */
  readonly exclude: () => readonly string[];
  /** the views whose visibility opens the gate. */
  readonly views: readonly vscode.TreeView<unknown>[];
  /** paths that changed under the roots (the extension's one file watcher): a new Insomnia file opens the gate. */
  readonly changes: vscode.Event<readonly string[]>;
  readonly log: vscode.LogOutputChannel;
}

export class WorkGate implements vscode.Disposable {
  private resolveOpened!: (reason: string) => void;
  /** resolves, with the reason, when the gate opens. */
  readonly opened: Promise<string> = new Promise((r) => (this.resolveOpened = r));
  private openReason: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private probing: vscode.CancellationTokenSource | undefined;
  private looking: Promise<void>;
  private readonly folderChecks = new Set<Promise<void>>();
  private lastProbe: ProbeStats | undefined;

  constructor(private readonly options: WorkGateOptions) {
    for (const view of options.views) {
      this.disposables.push(view.onDidChangeVisibility((e) => {
        if (e.visible) this.open(`the ${view.title ?? 'Hammock'} view is shown`);
      }));
    }
    this.disposables.push(
      options.changes((paths) => {
        // a burst (a checkout of thousands of files) costs at most MAX_READS_PER_BATCH small reads
        let reads = 0;
        for (const p of paths) if (!this.isOpen && this.checkFile(p) && ++reads >= MAX_READS_PER_BATCH) break;
      }),
      vscode.workspace.onDidOpenTextDocument((doc) => this.checkDocument(doc)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => (this.looking = this.look())),
    );
    this.looking = this.look();
  }

  get isOpen(): boolean {
    return this.openReason !== undefined;
  }

  /** why the gate opened, once it has. */
  get reason(): string | undefined {
    return this.openReason;
  }

  /** the last probe's figures, once the look it is part of has ended (undefined when none was needed). */
  get probe(): Promise<ProbeStats | undefined> {
    return this.looking.then(() => this.lastProbe);
  }

  /** resolves when the looks into new folders started so far have ended (for tests: nothing is left to tell). */
  get settled(): Promise<void> {
    return Promise.all([...this.folderChecks]).then(() => undefined);
  }

  /** Opens the gate (once): the work starts. */
  open(reason: string): void {
    if (this.openReason !== undefined) return;
    this.openReason = reason;
    this.options.log.info(`starting: ${reason}`);
    this.stopWatching();
    this.resolveOpened(reason);
  }

  dispose(): void {
    this.stopWatching();
  }

  private stopWatching(): void {
    this.probing?.cancel();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** The cheap checks first (a `.insomnia` folder, a visible view, an open document), then the probe. */
  private async look(): Promise<void> {
    if (this.isOpen) return;
    const roots = this.options.roots();
    for (const root of roots) {
      const legacy = path.join(root, LEGACY_FOLDER_NAME);
      if (await isDirectory(legacy)) return this.open(`${legacy} is an Insomnia folder`);
    }
    for (const view of this.options.views) if (view.visible) return this.open(`the ${view.title ?? 'Hammock'} view is shown`);
    for (const doc of vscode.workspace.textDocuments) this.checkDocument(doc);
    if (this.isOpen || roots.length === 0) return;
    this.lastProbe = await this.runProbe(roots);
  }

  private async runProbe(roots: readonly string[]): Promise<ProbeStats> {
    this.probing?.cancel();
    const cts = (this.probing = new vscode.CancellationTokenSource());
    const abort = new AbortController();
    cts.token.onCancellationRequested(() => abort.abort());
    const timer = setTimeout(() => cts.cancel(), PROBE_TIMEOUT_MS);
    const started = performance.now();
    let files = 0;
    let searchMs = 0;
    let hostMs = 0;
    let read = 0;
    let hit: ProbeHit | undefined;
    try {
      const candidates: { file: string; relPath: string }[] = [];
      for (const root of roots) {
        if (candidates.length >= MAX_FILES || cts.token.isCancellationRequested) break;
        const pattern = new vscode.RelativePattern(vscode.Uri.file(root), '**/*.{yaml,yml}');
        const uris = await vscode.workspace.findFiles(pattern, '**/node_modules/**', MAX_FILES - candidates.length, cts.token);
        const t0 = performance.now();
        for (const u of uris) if (u.scheme === 'file') candidates.push({ file: u.fsPath, relPath: path.relative(root, u.fsPath) });
        hostMs += performance.now() - t0;
      }
      files = candidates.length;
      searchMs = performance.now() - started - hostMs;
      const result = await findInsomniaFile(candidates, { exclude: this.options.exclude(), signal: abort.signal });
      ({ hit, read } = result);
      hostMs += result.busyMs;
    } catch (err) {
      if (!cts.token.isCancellationRequested) this.options.log.warn(`the start-up probe failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
      cts.dispose();
      if (this.probing === cts) this.probing = undefined;
    }
    const stats: ProbeStats = {
      wallMs: performance.now() - started,
      searchMs,
      hostMs,
      files,
      read,
      hit,
      cancelled: cts.token.isCancellationRequested && !hit,
    };
    if (hit) this.open(`${hit.file} is ${hit.kind === 'v5' ? 'an Insomnia v5 file' : 'in an Insomnia folder'}`);
    else if (!this.isOpen) {
      this.options.log.info(
        `no Insomnia data found in ${files} YAML file${files === 1 ? '' : 's'}${files >= MAX_FILES ? ` (the probe reads ${MAX_FILES} at most)` : ''}` +
          ` in ${stats.wallMs.toFixed(0)} ms${stats.cancelled ? ', stopped early' : ''}: Hammock waits for a Hammock view or command, or an Insomnia file`,
      );
    }
    return stats;
  }

  /** What a file under one of the roots can be, by the store's rules (collections/probe.ts); undefined elsewhere. */
  private kindOf(file: string): 'legacy' | 'yaml' | undefined {
    const rel = this.relativePath(file);
    return rel === undefined ? undefined : probeKind(rel, compileExcludes(this.options.exclude()));
  }

  /** `file` relative to the root holding it, or undefined outside the roots. */
  private relativePath(file: string): string | undefined {
    for (const root of this.options.roots()) {
      const rel = path.relative(root, file);
      if (rel && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)) return rel;
    }
    return undefined;
  }

  /**
   * A folder that appeared (a pull, a checkout) arrives as one event for itself, not for the files in it: look inside
   * it as the probe does, bounded, if the store would read it (a `.insomnia` folder, or one outside skipped folders).
   */
  private async checkFolder(dir: string): Promise<void> {
    const rel = this.relativePath(dir);
    if (rel === undefined || !(await isDirectory(dir))) return;
    const excluded = compileExcludes(this.options.exclude());
    // the folder counts when a file directly inside it would
    if (probeKind(path.join(rel, 'x.yaml'), excluded) === undefined) return;
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(dir), '**/*.{yaml,yml}'), '**/node_modules/**', MAX_READS_PER_BATCH);
    if (this.isOpen) return;
    const candidates = uris.filter((u) => u.scheme === 'file').map((u) => ({ file: u.fsPath, relPath: path.join(rel, path.relative(dir, u.fsPath)) }));
    const { hit } = await findInsomniaFile(candidates, { exclude: this.options.exclude() });
    if (hit) this.open(`${hit.file} is ${hit.kind === 'v5' ? 'an Insomnia v5 file' : 'in an Insomnia folder'}`);
  }

  private checkDocument(doc: vscode.TextDocument): void {
    if (this.isOpen || doc.uri.scheme !== 'file') return;
    const kind = this.kindOf(doc.uri.fsPath);
    if (kind === 'legacy') return this.open(`${doc.uri.fsPath} is in an Insomnia folder`);
    if (kind === 'yaml' && v5TypeOfText(doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 2), 0)))) {
      this.open(`${doc.uri.fsPath} is an Insomnia v5 file`);
    }
  }

  /**
   * A path that changed: a file in a `.insomnia` folder, or a YAML file whose first line names an Insomnia type, opens
   * the gate. Returns whether it read the file.
   */
  private checkFile(file: string): boolean {
    const kind = this.kindOf(file);
    if (kind === 'legacy') this.open(`${file} is in an Insomnia folder`);
    if (kind === undefined && !path.extname(file)) {
      const check = this.checkFolder(file).catch(() => undefined);
      this.folderChecks.add(check);
      void check.finally(() => this.folderChecks.delete(check));
    }
    if (kind !== 'yaml') return false;
    const head = readFileHead(file);
    if (head !== undefined && v5TypeOfText(head)) this.open(`${file} is an Insomnia v5 file`);
    return true;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
