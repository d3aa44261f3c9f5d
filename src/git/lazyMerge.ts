// The one way to git's merge (plumbing/mergeEngine.ts: line merge, renames, merge bases, tree merge) from code bundled
// with the extension: a bundle of its own, dist/gitMerge.js, required on first use as the writers are
// (src/collections/lazyWriters.ts). Pure: no 'vscode'. Import the engine's modules only for their types.
import type * as Engine from './plumbing/mergeEngine';

let loaded: typeof Engine | undefined;

/** The merge engine, loaded on the first call (synchronously: one require of dist/gitMerge.js). */
export function mergeEngine(): typeof Engine {
  // esbuild.config.mjs turns this require into require('./gitMerge.js'), the separate bundle; under tsx it loads the source
  loaded ??= require('./plumbing/mergeEngine') as typeof Engine;
  return loaded;
}
