// The one way to isomorphic-git's functions from code bundled with the extension: they are a bundle of their own,
// dist/isogit.js (isogitEntry.ts), required on first use (synchronously: one require, some 20 ms once). The CLI and
// the status worker bundle it inline. Pure: no 'vscode'. Import 'isomorphic-git' itself only for its types.
import type * as IsoGit from 'isomorphic-git';

let loaded: typeof IsoGit | undefined;

/** isomorphic-git, loaded on the first call. */
export function isogit(): typeof IsoGit {
  // esbuild.config.mjs turns this require into require('./isogit.js'), the separate bundle; under tsx it loads the source
  loaded ??= require('./isogitEntry') as typeof IsoGit;
  return loaded;
}
