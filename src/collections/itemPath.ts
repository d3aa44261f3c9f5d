// Where an item sits in its collection, by name: the folder names from the collection down to the item's parent.
import type { Collection, Item } from './model';

export function ancestorNames(collection: Collection, id: string): string[] {
  const visit = (items: readonly Item[], names: string[]): string[] | undefined => {
    for (const item of items) {
      if (item.id === id) return names;
      if (item.kind === 'folder') {
        const found = visit(item.children, [...names, item.name]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(collection.children, []) ?? [];
}
