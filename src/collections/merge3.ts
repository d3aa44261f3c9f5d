// Three-way merge of one Insomnia collection file per item and field (issue 5): stub, filled in below.

export interface FieldConflict {
  /** the item (request, folder, environment, the collection itself) both sides changed; absent for the file's own fields. */
  itemId?: string;
  itemName?: string;
  /** dotted path of the field inside the item (`url`, `body.text`, `headers`), `(deleted)` for add against delete. */
  field: string;
}

export type CollectionMergeResult = { clean: true; text: string } | { clean: false; conflicts: FieldConflict[]; reason?: string };

export function mergeCollectionText(_path: string, _base: string | null, _ours: string, _theirs: string): CollectionMergeResult {
  return { clean: false, conflicts: [], reason: 'not implemented' };
}
