// A collection as Insomnia's legacy Git Sync layout: one `.insomnia/<Type>/<_id>.yml` per document, each written
// as Insomnia 10 writes it (`YAML.stringify` of the document: `_id, type, parentId, modified, created`, then the
// model's fields with their defaults). Pure: returns the files to write.

import * as path from 'node:path';
import type { FileChange } from '../edits';
import type { Collection } from '../model';
import { renderDocument, type LegacyDoc } from './insomniaDocs';
import { collectionToDocs, type DocOptions } from './modelDocs';

/** The file of one legacy document under a `.insomnia` folder. */
export function legacyDocPath(dotInsomniaDir: string, doc: LegacyDoc): string {
  return path.join(dotInsomniaDir, doc.type, `${doc._id}.yml`);
}

/** One file per document. Legacy folders have no Socket.IO requests (Insomnia 10 has none): those are left out. */
export function legacyDocsToFiles(docs: readonly LegacyDoc[], dotInsomniaDir: string): FileChange[] {
  return docs
    .filter((d) => d.type !== 'SocketIORequest')
    .map((d) => ({ path: legacyDocPath(dotInsomniaDir, d), content: renderDocument(d) }));
}

/** The files of a collection in a `.insomnia` folder (`dotInsomniaDir`, absolute). Reading them back gives the same model. */
export function collectionToLegacyFiles(c: Collection, dotInsomniaDir: string, options: DocOptions = {}): FileChange[] {
  return legacyDocsToFiles(collectionToDocs(c, options), dotInsomniaDir);
}
