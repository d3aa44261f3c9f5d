// Read-only documents showing a design document's OpenAPI spec (it lives inside a YAML field).
import * as vscode from 'vscode';
import type { Collection } from './collections/model';
import type { CollectionStore } from './collections/store';

export const SPEC_SCHEME = 'hammock-spec';

export function specUri(collection: Collection): vscode.Uri {
  const name = (collection.spec?.fileName || collection.name).replace(/[\\/]/g, '_');
  return vscode.Uri.from({ scheme: SPEC_SCHEME, path: `/${name}`, query: encodeURIComponent(collection.id) });
}

export class SpecDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this._onDidChange.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: CollectionStore) {
    this.subscription = store.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme === SPEC_SCHEME) this._onDidChange.fire(doc.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const located = this.store.find(decodeURIComponent(uri.query));
    return located?.collection.spec?.contents ?? '# This spec is no longer in the workspace.\n';
  }

  dispose(): void {
    this.subscription.dispose();
    this._onDidChange.dispose();
  }
}
