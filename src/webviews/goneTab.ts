// What the request and environment editors do when what their tab shows is not in the store (one rule for both).
import type { StoreChange } from '../collections/store';

/**
 * Whether a tab whose item is not in the store closes: only when the store edit that just ran took it away (Delete, a
 * move to another collection, made in Hammock), as VS Code closes the editor of a file deleted from within it. Gone
 * from disk (a checkout, another program: no `change.edit`), already gone at the last refresh (a later edit of
 * something else in the same place took nothing away), or not `idle` (the store loading, an edit pending or held): the
 * tab stays, titled "(deleted)", and shows the item again when it comes back.
 */
export function goneTabCloses(idle: boolean, change: StoreChange | undefined, wasThere: boolean): boolean {
  return idle && wasThere && change?.edit !== undefined;
}

/** What the editors say of an item not where the tab has it: `what` ("name", or the collection's name) is not in `where`. */
export function goneText(what: string, where: string): string {
  return `${what} is not in ${where} now (deleted, moved, or not on this branch).`;
}
