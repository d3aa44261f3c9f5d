// A collection as an Insomnia v5 file (Insomnia 11's layout and key order: `type, schema_version, name, meta,
// collection, cookieJar, environments, spec`; every item with its `meta`; empty values left out). Pure.

import type { Collection } from '../model';
import { cookieJarId } from '../ids';
import { legacyDocsToV5, renderDocument, schemaVersionKey, type Mapping } from './insomniaDocs';
import { collectionToDocs, type DocOptions } from './modelDocs';

export interface V5WriteOptions extends DocOptions {
  /** the file's `schema_version` (default: the newest Insomnia reads). */
  readonly schemaVersion?: string;
}

/** The v5 object of a collection (what `collectionToV5Text` serialises). */
export function collectionToV5Object(c: Collection, options: V5WriteOptions = {}): Mapping {
  const docs = collectionToDocs(c, options);
  const { v5 } = legacyDocsToV5(docs, c.id, { schemaVersion: schemaVersionKey(options.schemaVersion) });
  if (c.scope === 'collection' || c.scope === 'design') {
    // Insomnia writes every collection and design document with its (default) cookie jar, right after `collection`
    const ws = docs[0];
    const jar = { name: 'Default Jar', meta: { id: cookieJarId(c.id), created: ws.created, modified: ws.created } };
    const out: Mapping = {};
    for (const [k, v] of Object.entries(v5)) {
      if (k === 'environments' || k === 'spec' || k === 'testSuites') if (!('cookieJar' in out)) out.cookieJar = jar;
      out[k] = v;
    }
    if (!('cookieJar' in out)) out.cookieJar = jar;
    return out;
  }
  return v5;
}

/** The text of an Insomnia v5 file holding the collection. Reading it back gives the same model. */
export function collectionToV5Text(c: Collection, options: V5WriteOptions = {}): string {
  return renderDocument(collectionToV5Object(c, options));
}

/** The collection exported as an Insomnia v5 file (the same text as Git Sync writes). */
export function exportV5(c: Collection, options: V5WriteOptions = {}): string {
  return collectionToV5Text(c, options);
}
