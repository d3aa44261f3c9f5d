// The one way to git's configuration as git resolves it (gitIdentity.ts: the config file parser, includes and
// includeIf, the author) from code bundled with the extension: a bundle of its own, dist/gitIdentity.js, required on
// first use as git's merge is (lazyMerge.ts), which keeps it out of the extension's bundle. Pure: no 'vscode'.
import type * as Identity from './gitIdentity';

let loaded: typeof Identity | undefined;

/** gitIdentity, loaded on the first call (synchronously: one require of dist/gitIdentity.js). */
function identity(): typeof Identity {
  // esbuild.config.mjs turns this require into require('./gitIdentity.js'), the separate bundle; under tsx it loads the source
  loaded ??= require('./gitIdentity') as typeof Identity;
  return loaded;
}

export const resolveConfig: typeof Identity.resolveConfig = (sources) => identity().resolveConfig(sources);
export const cachedConfig: typeof Identity.cachedConfig = (sources) => identity().cachedConfig(sources);
export const configuredAuthor: typeof Identity.configuredAuthor = (sources) => identity().configuredAuthor(sources);
/** (nothing is cached before the first load) */
export const forgetResolvedConfigs = (): void => loaded?.forgetResolvedConfigs();
