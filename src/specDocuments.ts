// Read-only documents showing a design document's OpenAPI spec (it lives inside a YAML field).
import * as vscode from 'vscode';
import type { Collection } from './collections/model';
import type { CollectionStore } from './collections/store';

export const SPEC_SCHEME = 'hammock-spec';

export function specUri(collection: Collection): vscode.Uri {
  const name = (collection.spec?.fileName || collection.name).replace(/[\\/]/g, '_');
  return vscode.Uri.from({ scheme: SPEC_SCHEME, path: `/${name}`, query: new URLSearchParams({ path: collection.path, id: collection.id }).toString() });
}

function keyOf(uri: vscode.Uri): { path: string; id: string } {
  const q = new URLSearchParams(uri.query);
  return { path: q.get('path') ?? '', id: q.get('id') ?? '' };
}

export class SpecDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this._onDidChange.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: CollectionStore) {
    this.subscription = store.onDidChange((change) => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme !== SPEC_SCHEME) continue;
        const { path, id } = keyOf(doc.uri);
        if (change.all || change.collections.some((d) => d.path === path && d.id === id && (d.kind !== 'changed' || d.own))) this._onDidChange.fire(doc.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const { path, id } = keyOf(uri);
    return this.store.collectionAt(path, id)?.spec?.contents ?? '# This spec is no longer in the workspace.\n';
  }

  dispose(): void {
    this.subscription.dispose();
    this._onDidChange.dispose();
  }
}
