// The `hammock-rev:` scheme: read-only documents holding one request, folder, environment or collection as it is at
// a commit (rendered by renderRevision.ts as it looks in a v5 file), and `openItemDiff`, which opens the side-by-side
// diff of an ItemChange between two commits (an added or removed object has an empty side). Commits never change,
// so a document's text is computed once.

import * as vscode from 'vscode';
import type { CollectionDiff, ItemChange } from '../collections/diff';
import type { Collection } from '../collections/model';
import type { CollectionLocation } from '../git/itemAtRef';
import { refs } from '../git/lazyRefs';
import type { RefDiff } from '../git/refDiff';
import { formatSize } from '../util/diffSize';
import { diffFits, oversizedDocument, textSize } from './largeDiff';
import { withObjectCache } from './objectCache';
import { renderRevision } from './renderRevision';

export const REVISION_SCHEME = 'hammock-rev';

/** One side of a diff: the repository, the commit, and where the collection is at that commit. */
export interface RevisionSide {
  /** the repository's root (its working tree folder; objects are read from `<root>/.git`). */
  readonly root: string;
  /** a commit oid (or any ref; an oid keeps the document stable). */
  readonly commit: string;
  readonly collection: CollectionLocation;
}

interface RevisionQuery {
  readonly root?: string;
  readonly commit?: string;
  readonly format?: CollectionLocation['format'];
  readonly collection?: string;
  readonly cid?: string;
  readonly id?: string;
  /** the empty side of an addition or removal. */
  readonly empty?: boolean;
}

function safeSegment(s: string): string {
  return s.replace(/[/\\?#%]+/g, '_').trim() || '_';
}

/** The `hammock-rev:` URI of object `id` at `side` (or of an empty document when `side` is undefined). */
export function revisionUri(side: RevisionSide | undefined, object: { readonly id: string; readonly name: string; readonly path?: readonly string[] }): vscode.Uri {
  const segments = [...(object.path ?? []), object.name].map(safeSegment);
  const query: RevisionQuery = side
    ? { root: side.root, commit: side.commit, format: side.collection.format, collection: side.collection.path, cid: side.collection.id, id: object.id }
    : { empty: true, id: object.id };
  return vscode.Uri.from({ scheme: REVISION_SCHEME, path: `/${segments.join('/')}.yaml`, query: JSON.stringify(query) });
}

export function parseRevisionUri(uri: vscode.Uri): RevisionQuery | undefined {
  if (uri.scheme !== REVISION_SCHEME) return undefined;
  try {
    return JSON.parse(uri.query) as RevisionQuery;
  } catch {
    return undefined;
  }
}

/** A full commit id (what names content that never changes), as opposed to a ref or a partial id. */
function isCommitId(revision: string): boolean {
  return /^[0-9a-f]{40}$/i.test(revision);
}

/** A revision as titles and size labels show it: a commit id shortened to 7 characters, a ref as it is. */
function revisionLabel(revision: string): string {
  return isCommitId(revision) ? revision.slice(0, 7) : revision;
}

export class RevisionDocumentProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, Promise<string>>();

  static register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(REVISION_SCHEME, revisionDocuments);
  }

  /**
   * What the editor gets: the item as it is at the commit, unless it is over the diff editor's limit (opened on its
   * own; a diff is measured with fullText and refused before it is opened): then what the warning says instead.
   */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const text = await this.fullText(uri);
    const commit = parseRevisionUri(uri)?.commit ?? '';
    const side = textSize(revisionLabel(commit), text);
    return oversizedDocument(uri, uri.path.replace(/^\//, '').replace(/\.yaml$/, ''), side) ?? text;
  }

  /** The item as it is at the commit, whatever its size. */
  fullText(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    // only a commit id names content that never changes
    if (!isCommitId(parseRevisionUri(uri)?.commit ?? '')) return this.render(uri);
    let text = this.texts.get(key);
    if (!text) {
      text = this.render(uri);
      this.texts.set(key, text);
      // a failure (a ref that moved, a missing object) is not kept
      text.catch(() => this.texts.delete(key));
      if (this.texts.size > 200) this.texts.delete(this.texts.keys().next().value!);
    }
    return text;
  }

  private async render(uri: vscode.Uri): Promise<string> {
    const q = parseRevisionUri(uri);
    if (!q || q.empty || !q.root || !q.commit || !q.collection || !q.cid || !q.id || !q.format) return '';
    const { root, commit, format, collection, cid, id } = q;
    const found = await withObjectCache(root, (cache) => refs().loadItemAtRef(root, commit, { format, path: collection, id: cid }, id, { cache }));
    return found ? renderRevision(found) : `# not found at ${q.commit.slice(0, 7)}\n`;
  }
}

/** The one provider: openItemDiff measures a diff's sides with the texts the editor then gets from its cache. */
const revisionDocuments = new RevisionDocumentProvider();

function locationOf(c: Collection): CollectionLocation {
  return { format: c.format, path: c.path, id: c.id };
}

/**
 * Where a changed collection is on each side of a RefDiff (a renamed v5 file has two paths; an added collection has
 * no `before`, a removed one no `after`).
 */
export function revisionSides(root: string, diff: RefDiff, c: CollectionDiff): { before?: RevisionSide; after?: RevisionSide } {
  const pick = (list: readonly Collection[]) => {
    const same = list.filter((x) => x.id === c.id && x.format === c.format);
    return same.find((x) => x.path === c.path) ?? same[0];
  };
  const b = c.kind === 'added' ? undefined : pick(diff.before.collections);
  const a = c.kind === 'removed' ? undefined : pick(diff.after.collections);
  return {
    before: b && { root, commit: diff.base, collection: locationOf(b) },
    after: a && { root, commit: diff.head, collection: locationOf(a) },
  };
}

/** The two URIs the diff of `change` compares (an added object's left side and a removed one's right side are empty). */
export function changeUris(change: ItemChange, before: RevisionSide | undefined, after: RevisionSide | undefined): { left: vscode.Uri; right: vscode.Uri } {
  const id = change.entity === 'collection' && (before ?? after) ? (before ?? after)!.collection.id : change.id;
  const beforePath = change.fromPath ?? change.path;
  const left = revisionUri(change.kind === 'added' ? undefined : before, { id, name: change.name, path: beforePath });
  const right = revisionUri(change.kind === 'removed' ? undefined : after, { id, name: change.name, path: change.path });
  return { left, right };
}

/** Opens `vscode.diff` of one change: the object at `before.commit` against the object at `after.commit`. */
export async function openItemDiff(
  change: ItemChange,
  before: RevisionSide | undefined,
  after: RevisionSide | undefined,
  options: { title?: string; preview?: boolean } = {},
): Promise<void> {
  const { left, right } = changeUris(change, before, after);
  const short = (s?: RevisionSide) => (s ? revisionLabel(s.commit) : 'none');
  const title = options.title ?? `${change.name} (${short(before)} ↔ ${short(after)})`;
  // VS Code's large-file check does not cover these documents: a side too large for the diff editor is said instead
  const [leftText, rightText] = await Promise.all([revisionDocuments.fullText(left), revisionDocuments.fullText(right)]);
  const sides = [textSize(short(before), leftText), textSize(short(after), rightText)];
  const showFields = async () => {
    const lines = [title, change.description, ...(change.fields ?? []).map((f) => `  ${f.text}`), '', `${sides.map((s) => `${s.label}: ${formatSize(s.bytes)}`).join(', ')}`];
    const doc = await vscode.workspace.openTextDocument({ content: `${lines.join('\n')}\n`, language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: true });
  };
  if (!diffFits([...change.path, change.name].join('/'), sides, [{ title: 'Show Changed Fields', run: showFields }])) return;
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: options.preview ?? true });
}
