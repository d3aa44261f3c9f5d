// The one way to packIndexer.ts (a received pack checked, its deltas resolved, its index made) from code bundled with
// the extension: a bundle of its own, dist/packIndexer.js, required on the first pack the extension host receives, as
// git's merge is (lazyMerge.ts). A clone or fetch runs in the transfer worker, whose bundle holds it whole. Pure: no
// 'vscode'. Import the indexer's module only for its types.
import type * as Indexer from './packIndexer';

let loaded: typeof Indexer | undefined;

/** The pack indexer, loaded on the first call (synchronously: one require of dist/packIndexer.js). */
export function packIndexer(): typeof Indexer {
  // esbuild.config.mjs turns this require into require('./packIndexer.js'), the separate bundle; under tsx it loads the source
  loaded ??= require('./packIndexer') as typeof Indexer;
  return loaded;
}
