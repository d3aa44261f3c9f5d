// The `hammock-git:` scheme: a file as git has it (HEAD, the index, a conflict stage, a commit), for the
// diff editor, the gutter's quick diff and the history's commit diffs. The URI keeps the file's path (so the
// editor picks the language and the tab shows the file name) and names the ref in its query.

import * as path from 'path';
import * as vscode from 'vscode';
import { INDEX_REF, type GitObjects, type GitRef } from '../git/gitObjects';
import { oversizedDocument } from '../review/largeDiff';
import type { DiffSideSize } from '../util/diffSize';

export const ORIGINAL_SCHEME = 'hammock-git';

interface OriginalQuery {
  /** the file's absolute path. */
  path: string;
  ref: GitRef;
}

/** `hammock-git:` URI of `file` (a file: URI or an absolute path) at `ref`. */
export function originalUri(file: vscode.Uri | string, ref: GitRef): vscode.Uri {
  const uri = typeof file === 'string' ? vscode.Uri.file(file) : file;
  return uri.with({ scheme: ORIGINAL_SCHEME, query: JSON.stringify({ path: uri.fsPath, ref } satisfies OriginalQuery) });
}

export function parseOriginalUri(uri: vscode.Uri): OriginalQuery | undefined {
  if (uri.scheme !== ORIGINAL_SCHEME) return undefined;
  try {
    const q = JSON.parse(uri.query) as OriginalQuery;
    return typeof q.path === 'string' && typeof q.ref === 'string' ? q : undefined;
  } catch {
    return undefined;
  }
}

/** Finds the repository holding an absolute path: its root and its object reader. */
export type RepositoryLookup = (fsPath: string) => { root: string; objects: GitObjects } | undefined;

export class OriginalContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly lookup: RepositoryLookup) {}

  /**
   * What the editor gets: the file at the ref, unless it is over the diff editor's limit (measured by the blob's
   * header: GitObjects.textBytesAt): then what the warning says instead (a one-sided `vscode.open`, the gutter, a
   * restored tab; a diff is refused before it is opened: fullText measures nothing).
   */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const side = await this.size(uri);
    const q = parseOriginalUri(uri);
    if (side && q) {
      const open = { title: 'Open File', run: () => vscode.commands.executeCommand('vscode.open', vscode.Uri.file(q.path)) };
      const refused = oversizedDocument(uri, path.basename(q.path), side, [open]);
      if (refused !== undefined) return refused;
    }
    return this.fullText(uri);
  }

  /** The file at the ref as git has it, whatever its size ('' when it is not there). */
  async fullText(uri: vscode.Uri): Promise<string> {
    const q = parseOriginalUri(uri);
    if (!q) return '';
    const repo = this.lookup(q.path);
    if (!repo) return '';
    const rel = path.relative(repo.root, q.path).split(path.sep).join('/');
    return (await repo.objects.readText(q.ref, rel).catch(() => null)) ?? '';
  }

  /** The size of the document `uri` names, as the diff limit measures it (labelled `the index` or by its ref), or undefined. */
  async size(uri: vscode.Uri): Promise<DiffSideSize | undefined> {
    const q = parseOriginalUri(uri);
    if (!q) return undefined;
    const repo = this.lookup(q.path);
    if (!repo) return undefined;
    const rel = path.relative(repo.root, q.path).split(path.sep).join('/');
    const bytes = await repo.objects.textBytesAt(q.ref, rel).catch(() => null);
    return bytes === null ? undefined : { label: q.ref === INDEX_REF ? 'the index' : /^[0-9a-f]{40}$/i.test(q.ref) ? q.ref.slice(0, 7) : q.ref, bytes };
  }

  /**
   * The refs that move (HEAD, branches, the index) may now serve other content: tell the editors that show
   * such documents under `root`. Commit ids never change.
   */
  repositoryChanged(root: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      const q = parseOriginalUri(doc.uri);
      if (!q || /^[0-9a-f]{40}$/i.test(q.ref)) continue;
      if (q.path === root || q.path.startsWith(root + path.sep)) this._onDidChange.fire(doc.uri);
    }
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}
