// The contract between the importers (one module per foreign format) and the writers that turn an import into
// collection files. Pure: no 'vscode', no file system. An importer parses text into the one model
// (model.ts) and says, for the preview, what it counted and what it could not carry over and why.

import type { Collection } from '../model';

export type ImportFormat =
  | 'insomnia-v4'
  | 'insomnia-v5'
  | 'postman-collection'
  | 'postman-environment'
  | 'curl'
  | 'openapi'
  | 'swagger'
  | 'har';

/** Something the import could not carry over: shown in the preview before anything is written. */
export interface Dropped {
  /** what was dropped, in the source's terms: `test script of "Get user"`, `auth type hawk on "Sign"`. */
  readonly what: string;
  /** why, for a person: `Insomnia has no Hawk auth`. */
  readonly why: string;
  /** how many like it, when several were folded into one line. */
  readonly count?: number;
}

export interface ImportResult {
  readonly format: ImportFormat;
  /**
   * The imported collections as model objects: ids are Insomnia-style (`wrk_`, `fld_`, `req_`, `env_`; kept
   * from the source when it has Insomnia ids, else fresh), parentIds consistent, sortKeys ascending in source
   * order. `source` refs are `IMPORT_SOURCE`; `format` is what the importer suggests writing ('v5').
   */
  readonly collections: Collection[];
  readonly dropped: Dropped[];
  /** non-fatal remarks: `3 requests had no URL`. */
  readonly warnings: string[];
}

/** A file that is not a supported format, or is malformed: the import writes nothing. */
export class ImportError extends Error {
  constructor(
    message: string,
    /** 0-based, when known. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/** The `source` of every model object an importer creates (it has no file yet). */
export { IMPORT_SOURCE } from '../model';

/**
 * What the dispatcher (`importText`) hands an importer: the text as given, and the parsed document when the text is
 * JSON or YAML (parsed once, in the dispatcher). `fileName` is only a hint (names, the v5 reader's file).
 */
export interface ImportInput {
  readonly text: string;
  readonly fileName?: string;
  /** the parsed JSON/YAML value; undefined for text that is neither (a cURL command). */
  readonly document?: unknown;
  readonly syntax?: 'json' | 'yaml';
}
