// The one way to the ref readers (refsEntry.ts: refDiff, snapshotAtRef, itemAtRef, collectionHistory, breaking) from
// code bundled with the extension: a bundle of their own, dist/refs.js, required when the History view, the incoming
// preview or a review first reads a commit, not at activation. Pure: no 'vscode'. Import their modules only for types.
// (Their errors cross as instances of the bundle's own classes: tell UnknownRefError and NoMergeBaseError by `name`.)
import type * as Refs from './refsEntry';

let loaded: typeof Refs | undefined;

/** The ref readers, loaded on the first call (synchronously: one require of dist/refs.js). */
export function refs(): typeof Refs {
  // esbuild.config.mjs turns this require into require('./refs.js'), the separate bundle; under tsx it loads the source
  loaded ??= require('./refsEntry') as typeof Refs;
  return loaded;
}
