// Where an item sits in its collection: the folders from the collection down to the item's parent.
import type { Collection, Folder, Item } from './model';

/** The folders from the collection root down to the item's parent, outermost first; undefined when not found. */
export function ancestorFolders(collection: Collection, itemId: string): { item: Item; folders: Folder[] } | undefined {
  const visit = (items: readonly Item[], chain: Folder[]): { item: Item; folders: Folder[] } | undefined => {
    for (const item of items) {
      if (item.id === itemId) return { item, folders: chain };
      if (item.kind === 'folder') {
        const found = visit(item.children, [...chain, item]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(collection.children, []);
}

/** The names of those folders ([] when the item is not found). */
export function ancestorNames(collection: Collection, id: string): string[] {
  return ancestorFolders(collection, id)?.folders.map((f) => f.name) ?? [];
}
