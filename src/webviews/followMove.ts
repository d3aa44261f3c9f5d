// A webview panel (the request editor, the environment editor) follows its collection when the collection's file is
// moved or renamed from outside (git mv, the Explorer): the store then reports the old path gone and the same
// collection (its workspace id) at a new path, in either order. The panel goes there when exactly one file could be
// the one it moved to; with two or more (copies of one file) it does not guess.
import { existsSync } from 'node:fs';
import type { Collection } from '../collections/model';
import type { CollectionStore, StoreChange } from '../collections/store';

/**
 * Where the collection of a panel at `from` is now, when its file went away (from the store and from disk): the one
 * collection with the same workspace id that `holds` what the panel shows. Undefined while the file is still there,
 * or when no file, or more than one, could be the one it moved to.
 */
export function movedCollection(store: CollectionStore, from: string, collectionId: string | undefined, holds: (c: Collection) => boolean): Collection | undefined {
  if (!collectionId || store.collections.some((c) => c.path === from) || existsSync(from)) return undefined;
  const candidates = store.collections.filter((c) => c.id === collectionId && holds(c));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Whether a change may take a panel whose collection is gone to where it went: it adds that collection at another
 * path (the new file, seen after the old one's removal).
 */
export function addsCollectionElsewhere(change: StoreChange, from: string, collectionId: string | undefined): boolean {
  return !!collectionId && change.collections.some((d) => d.kind === 'added' && d.id === collectionId && d.path !== from);
}

/** Files a panel under its new key (it followed its collection): its old key goes, unless another panel has it. */
export function rekey<P>(panels: Map<string, P>, from: string, to: string, panel: P): void {
  if (panels.get(from) === panel) panels.delete(from);
  panels.set(to, panel);
}
