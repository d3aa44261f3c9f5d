// The import preview's protocol, shared by the host (importPreview.ts) and the page (src/webviews/ui/importPreview.ts):
// what the page shows (the format, counts, what is dropped and why, the warnings, the targets to choose from) and
// what it may answer (ready, import into a target, cancel). No 'vscode' and no Node import: the page bundles it.

export type NewCollectionFormat = 'v5' | 'legacy';

/** Where an import goes: a new collection in a format, or into an existing collection (at its top or into a folder). */
export type ImportTargetChoice =
  | { readonly kind: 'new'; readonly format: NewCollectionFormat }
  | { readonly kind: 'existing'; readonly collectionPath: string; readonly parentId?: string };

export interface CollectionSummary {
  readonly name: string;
  readonly folders: number;
  /** HTTP requests. */
  readonly requests: number;
  /** gRPC, WebSocket and Socket.IO requests. */
  readonly otherRequests: number;
  /** base + sub-environments. */
  readonly environments: number;
}

export interface ExistingTarget {
  readonly collectionPath: string;
  readonly name: string;
  /** shown beside the name: the file or `.insomnia`. */
  readonly where: string;
  /** every folder, depth-first, with its path (`Users / Admin`). */
  readonly folders: readonly { readonly id: string; readonly label: string }[];
}

export interface ImportSummaryView {
  /** what is imported: a file name, or `pasted cURL command`. */
  readonly source: string;
  /** the format detected, for a person: `Postman collection v2.1`. */
  readonly format: string;
  readonly collections: readonly CollectionSummary[];
  readonly dropped: readonly { readonly what: string; readonly why: string; readonly count?: number }[];
  readonly warnings: readonly string[];
  /** new-collection formats that can be chosen; one may be unavailable with a reason (a second `.insomnia/`). */
  readonly newFormats: readonly { readonly format: NewCollectionFormat; readonly label: string; readonly unavailable?: string }[];
  /** the target selected when the page opens. */
  readonly initialTarget: ImportTargetChoice;
  readonly existing: readonly ExistingTarget[];
}

/** page -> host */
export type PreviewCommand =
  | { readonly type: 'ready' }
  | { readonly type: 'import'; readonly target: ImportTargetChoice }
  | { readonly type: 'cancel' };

/** host -> page */
export type PreviewNotification =
  | { readonly type: 'show'; readonly summary: ImportSummaryView }
  | { readonly type: 'busy' }
  | { readonly type: 'failed'; readonly message: string };

// ---------------------------------------------------------------------------------------------------------------
// validation of what the page posts (host side)

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));

export function isImportTargetChoice(v: unknown): v is ImportTargetChoice {
  if (!isObj(v)) return false;
  if (v.kind === 'new') return onlyKeys(v, ['kind', 'format']) && (v.format === 'v5' || v.format === 'legacy');
  if (v.kind === 'existing') {
    return (
      onlyKeys(v, ['kind', 'collectionPath', 'parentId']) &&
      typeof v.collectionPath === 'string' &&
      v.collectionPath.length > 0 &&
      (v.parentId === undefined || (typeof v.parentId === 'string' && v.parentId.length > 0))
    );
  }
  return false;
}

export function isPreviewCommand(v: unknown): v is PreviewCommand {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'cancel':
      return onlyKeys(v, ['type']);
    case 'import':
      return onlyKeys(v, ['type', 'target']) && isImportTargetChoice(v.target);
    default:
      return false;
  }
}
