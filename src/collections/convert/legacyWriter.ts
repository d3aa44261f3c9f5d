// A collection as Insomnia's legacy Git Sync layout: one `.insomnia/<Type>/<_id>.yml` per document, each written
// as Insomnia 10 writes it (`YAML.stringify` of the document: `_id, type, parentId, modified, created`, then the
// model's fields with their defaults). Pure: returns the files to write.

import type { FileChange } from '../edits';
import type { Collection } from '../model';
import { legacyDocFile } from '../edit/pathGuard';
import { renderDocument, type LegacyDoc, type NotConverted } from './insomniaDocs';
import { collectionToDocs, type DocOptions } from './modelDocs';

/**
 * The file of one legacy document under a `.insomnia` folder. An id that cannot name a file (`../x`, a NUL, 300
 * characters) is a PathGuardError: callers give such documents fresh ids first (convert/renameIds.ts).
 */
export function legacyDocPath(dotInsomniaDir: string, doc: LegacyDoc): string {
  return legacyDocFile(dotInsomniaDir, doc.type, doc._id);
}

/**
 * One file per document. Legacy folders have no Socket.IO requests (Insomnia 10 has none): those are left out, and
 * `notInLegacy` lists them for the caller to report.
 */
export function legacyDocsToFiles(docs: readonly LegacyDoc[], dotInsomniaDir: string): FileChange[] {
  return docs
    .filter((d) => d.type !== 'SocketIORequest')
    .map((d) => ({ path: legacyDocPath(dotInsomniaDir, d), content: renderDocument(d) }));
}

/** The files of a collection in a `.insomnia` folder (`dotInsomniaDir`, absolute). Reading them back gives the same model. */
export function collectionToLegacyFiles(c: Collection, dotInsomniaDir: string, options: DocOptions = {}): FileChange[] {
  return legacyDocsToFiles(collectionToDocs(c, options), dotInsomniaDir);
}

/** The documents `legacyDocsToFiles` leaves out, as lines to report. */
export function notInLegacy(docs: readonly LegacyDoc[]): NotConverted[] {
  return docs
    .filter((d) => d.type === 'SocketIORequest')
    .map((d) => ({ what: `Socket.IO request ${JSON.stringify(String(d.name ?? d._id))}`, why: 'Insomnia 10 (legacy .insomnia folders) has no Socket.IO requests' }));
}
