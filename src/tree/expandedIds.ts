// Which nodes of a tree view the user left expanded, kept over a window reload. VS Code keeps that for its Explorer
// but not for an extension's tree: after Reload Window the Collections view came back with every collection and
// folder collapsed. The view's expand and collapse events feed this; the tree asks it when it makes a node's item.
// Pure (no 'vscode'): what is stored is a plain list of tree ids, the most recently expanded last.

/** How many ids are kept at most: ids of nodes deleted since are dropped as newer ones come. */
export const MAX_EXPANDED = 500;

export class ExpandedIds {
  private readonly ids: Set<string>;
  /** the id expanded last, while it is the newest kept (a collapse of it forgets it: the next expand says changed). */
  private newest: string | undefined;

  /** `stored`: what `toJSON` gave before (anything else, e.g. a value from an older version, counts as nothing). */
  constructor(stored: unknown, private readonly max = MAX_EXPANDED) {
    const ids = Array.isArray(stored) ? stored.filter((x): x is string => typeof x === 'string').slice(-max) : [];
    this.ids = new Set(ids);
    this.newest = [...this.ids].at(-1);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The node was expanded: true when that changed what is kept. */
  expand(id: string): boolean {
    if (this.newest === id) return false;
    this.newest = id;
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  /** The node was collapsed: true when that changed what is kept. */
  collapse(id: string): boolean {
    if (this.newest === id) this.newest = undefined;
    return this.ids.delete(id);
  }

  toJSON(): string[] {
    return [...this.ids];
  }
}
