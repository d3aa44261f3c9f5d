// Edits of the model, planned as minimal changes of the files they live in.
// Planning is pure: it takes the collection and a way to read a file's current text, and returns
// the file changes to write. The caller (store.ts) writes them. An untouched file is never rewritten,
// and an edit changes only the lines it must (the changed node's text is spliced at its CST range).

import type { Authentication, CollectionFormat, Environment, Item, KeyValue, RequestBody, RequestSettings, Scope } from './model';

/** `content: null` deletes the file. Paths are absolute. */
export interface FileChange {
  readonly path: string;
  readonly content: string | null;
}

export type Edit =
  | { readonly kind: 'rename'; readonly id: string; readonly name: string }
  | { readonly kind: 'createFolder'; readonly parentId: string; readonly name: string }
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
  | { readonly kind: 'createEnvironment'; readonly name: string; readonly data?: Record<string, unknown> }
  /** sets fields of an HTTP request (only those given; each written only when it differs), and bumps `modified`. */
  | { readonly kind: 'setRequestFields'; readonly id: string; readonly fields: RequestFieldsPatch }
  /**
   * sets the variables of the base environment or a sub-environment (what a script's `insomnia.environment.set()`
   * leaves, as Insomnia saves it): only the variables that were added, changed or removed are written, with
   * `dataPropertyOrder` and `kvPairData` kept in step where the file has them, and `modified` bumped.
   */
  | { readonly kind: 'setEnvironmentData'; readonly id: string; readonly data: Readonly<Record<string, unknown>> };

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
