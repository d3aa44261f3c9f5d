// Edits of the model, planned as minimal changes of the files they live in.
// Planning is pure: it takes the collection and a way to read a file's current text, and returns
// the file changes to write. The caller (store.ts) writes them. An untouched file is never rewritten,
// and an edit changes only the lines it must (the changed node's text is spliced at its CST range).

import type { Authentication, CollectionFormat, Environment, Item, KeyValue, RequestBody, RequestSettings, Scope, Scripts } from './model';

/** `content: null` deletes the file. Paths are absolute. */
export interface FileChange {
  readonly path: string;
  readonly content: string | null;
}

export type Edit =
  | { readonly kind: 'rename'; readonly id: string; readonly name: string }
  /** `id`: the new folder's (one deleted on disk put back keeps its own); default a fresh one. */
  | { readonly kind: 'createFolder'; readonly parentId: string; readonly name: string; readonly id?: string }
  | {
      readonly kind: 'createRequest';
      readonly parentId: string;
      readonly name: string;
      readonly method?: string;
      readonly url?: string;
    }
  | { readonly kind: 'duplicate'; readonly id: string }
  /** deletes a folder (with everything inside), a request, or a sub-environment. */
  | { readonly kind: 'delete'; readonly id: string }
  /**
   * moves a folder or request under another folder or the collection (`parentId`), before the sibling `before` (an
   * id), or after the last one. Its sort key is set between its new neighbours' as Insomnia's drag and drop does.
   */
  | { readonly kind: 'move'; readonly id: string; readonly parentId: string; readonly before?: string }
  /** a sub-environment under the collection's base environment (created if missing). */
  | {
      readonly kind: 'createEnvironment';
      readonly name: string;
      readonly data?: Record<string, unknown>;
      readonly color?: string | null;
      /** the new environment's id (a private one moving into the file keeps its own); default a fresh one. */
      readonly id?: string;
      /** its `created` time and sort key (a private one moving into the file keeps its own); default now. */
      readonly created?: number;
      readonly sortKey?: number;
    }
  /** sets fields of an HTTP request (only those given; each written only when it differs), and bumps `modified`. */
  | { readonly kind: 'setRequestFields'; readonly id: string; readonly fields: RequestFieldsPatch }
  /**
   * sets fields of the base environment or a sub-environment (only those given; each written only when it differs,
   * variables key by key), and bumps `modified`. `data`'s key order is the variables' order: when it is not the
   * file's, Insomnia's `dataPropertyOrder` says it (the `data` mapping keeps its lines).
   */
  | { readonly kind: 'setEnvironment'; readonly id: string; readonly fields: EnvironmentFieldsPatch }
  /** moves a sub-environment before the sub-environment `before` (or last): its sort key between its new neighbours'. */
  | { readonly kind: 'moveEnvironment'; readonly id: string; readonly before?: string }
  /** sets fields of a folder: its environment (variables, ordered as `setEnvironment`'s data), headers, auth, scripts. */
  | { readonly kind: 'setFolderFields'; readonly id: string; readonly fields: FolderFieldsPatch }
  /** a design document's spec: its text (legacy `contents`; v5 `spec.contents`, the YAML mapping the text is). */
  | { readonly kind: 'setSpec'; readonly contents: string }
  /**
   * sets the variables of the base environment or a sub-environment (what a script's `insomnia.environment.set()`
   * leaves, as Insomnia saves it): only the variables that were added, changed or removed are written, with
   * `dataPropertyOrder` and `kvPairData` kept in step where the file has them, and `modified` bumped.
   */
  | { readonly kind: 'setEnvironmentData'; readonly id: string; readonly data: Readonly<Record<string, unknown>> };

/** The fields of an environment the environment editor writes. */
export interface EnvironmentFieldsPatch {
  readonly name?: string;
  /** the variables, in the order the editor shows them. */
  readonly data?: Record<string, unknown>;
  /** the variables' order when `data`'s key order cannot say it (an integer-like name such as "10" goes first in an object). */
  readonly order?: readonly string[];
  /** Insomnia's environment colour (`#7d69cb`), null for none. */
  readonly color?: string | null;
  readonly isPrivate?: boolean;
}

/** The fields of a folder the editors write. */
export interface FolderFieldsPatch {
  /** the folder's variables, in the order the editor shows them. */
  readonly environment?: Record<string, unknown>;
  /** their order, when `environment`'s key order cannot say it (see EnvironmentFieldsPatch.order). */
  readonly environmentOrder?: readonly string[];
  readonly headers?: readonly KeyValue[];
  readonly authentication?: Authentication;
  readonly scripts?: Partial<Scripts>;
}

/** The fields of an HTTP request the editor writes. `settings` may be partial: only the given settings are written. */
export interface RequestFieldsPatch {
  readonly method?: string;
  readonly url?: string;
  readonly parameters?: readonly KeyValue[];
  readonly headers?: readonly KeyValue[];
  readonly body?: RequestBody;
  readonly authentication?: Authentication;
  readonly description?: string;
  readonly settings?: Partial<RequestSettings>;
  /** the pre-request and after-response scripts (only those given). */
  readonly scripts?: Partial<Scripts>;
}

export interface EditContext {
  /** current text of a file of the collection (the caller may cache). */
  readonly readText: (path: string) => string;
  /** epoch ms used for `created` / `modified`. */
  readonly now: number;
  /**
   * The item or environment of this collection with this id, from an index the caller keeps (the store's); without
   * it the planner walks the collection to find what an edit names.
   */
  readonly lookup?: (id: string) => Item | Environment | undefined;
}

export interface EditResult {
  readonly changes: FileChange[];
  /** id of the item or environment the edit created, if any. */
  readonly createdId?: string;
}

export interface NewCollectionOptions {
  readonly format: CollectionFormat;
  /** the repository / workspace folder the collection goes into (absolute). */
  readonly root: string;
  readonly name: string;
  readonly scope?: Scope;
  readonly now: number;
  /** v5: the `schema_version` to write (the repository's, see `schemaVersionForNewFile`; default the newest). */
  readonly schemaVersion?: string;
}
