// The one way to the writers (writers.ts: edit planner, field merge, importers, exporters, conversion) from code that
// is bundled with the extension or the CLI: they are a bundle of their own, dist/writers.js, required on first use,
// as the HTTP engine is (src/webviews/httpEngine.ts). Pure: no 'vscode'. Import the writer modules only for types.
import type * as Writers from './writers';

let loaded: typeof Writers | undefined;

/** The writers, loaded on the first call (synchronously: one require of dist/writers.js, some 30 ms once). */
export function writers(): typeof Writers {
  // esbuild.config.mjs turns this require into require('./writers.js'), the separate bundle; under tsx it loads the source
  loaded ??= require('./writers') as typeof Writers;
  return loaded;
}
