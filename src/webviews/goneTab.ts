// What the request and environment editors do when what their tab shows is not in the store (one rule for both).
import * as path from 'node:path';
import { isConflictMarkerProblem } from '../collections/formats/fields';
import type { Problem } from '../collections/model';
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

/**
 * What an editor says of an edit held while `what` was gone, kept since (over a window reload, its tab closed), now
 * that it is back: not saved unasked (heldAgain, editSession.ts).
 */
export function backText(what: string, kind: 'request' | 'environment'): string {
  return `${what} is back, with an edit you typed while it was not there (kept since): it is not saved yet. "Save It" saves it into the ${kind} as it is now; "Discard" drops it.`;
}

/**
 * Whether `file` (where the item was last seen) holds git's conflict markers now, from the store's `problems`: a merge
 * stopped on it. The item is in it, between the markers, not deleted: nothing is restored, it is shown again (and what
 * was typed meanwhile saved) once the conflict is resolved.
 */
export function holdsConflict(problems: readonly Problem[], file: string | undefined): boolean {
  return file !== undefined && problems.some((p) => p.file === file && isConflictMarkerProblem(p));
}

/**
 * The file of the legacy collection at `collectionPath` (its `.insomnia` folder) that is named after item `id`, as
 * Insomnia names its files (`<Type>/<id>.yml`), when it holds git's conflict markers now: where a tab that never saw
 * the item (brought back by a window reload while the merge stood) finds it.
 */
export function conflictedLegacyFile(problems: readonly Problem[], collectionPath: string, id: string): string | undefined {
  return problems.find((p) => isConflictMarkerProblem(p) && path.dirname(path.dirname(p.file)) === collectionPath && path.parse(p.file).name === id)?.file;
}

/**
 * The file holding item `id` of the collection at `collectionPath` when that file holds git's conflict markers now (a
 * merge stopped on it), from the store's `problems`: the file the item was last seen in (`seenIn`), or, for a tab that
 * never saw it (brought back by a window reload while the merge stood), the legacy file named after it
 * (conflictedLegacyFile) or the collection's own file (a v5 collection). Undefined when no such file holds a conflict:
 * the item is gone.
 */
export function conflictedItemFile(problems: readonly Problem[], collectionPath: string, id: string, seenIn: string | undefined): string | undefined {
  if (seenIn !== undefined) return holdsConflict(problems, seenIn) ? seenIn : undefined;
  return conflictedLegacyFile(problems, collectionPath, id) ?? (holdsConflict(problems, collectionPath) ? collectionPath : undefined);
}

/**
 * The tab's `title` as a gone tab shows it: ending in ` (merge conflict)` when the item's file holds one
 * (`conflicted`), else ` (deleted)`, in place of the other.
 */
export function goneTitle(title: string, conflicted: boolean): string {
  const suffix = conflicted ? ' (merge conflict)' : ' (deleted)';
  return title.endsWith(suffix) ? title : `${title.replace(/ \((deleted|merge conflict)\)$/, '')}${suffix}`;
}

/** What the editors say of an item (`what`) whose file (`where`) holds an unresolved merge conflict. */
export function conflictText(what: string, where: string): string {
  return `${what} cannot be read now: ${where} holds an unresolved merge conflict (resolve it in Source Control's Merge Changes, or the merge editor).`;
}

/** What follows conflictText when an edit is held. */
export const HELD_UNTIL_RESOLVED = 'What you typed is kept in this editor, unsaved; it is saved once the conflict is resolved.';

/** Why "Restore" does nothing for an item (`what`) whose file (`where`) holds an unresolved merge conflict. */
export function notRestoredText(what: string, where: string): string {
  return `Not restored: ${what} is in ${where}, which holds an unresolved merge conflict: resolve the merge conflict there, and what you typed is saved into it.`;
}
