// The HTTP engine (src/http: nunjucks, undici, tough-cookie, httpsnippet, ...) is a bundle of its own,
// dist/http.js, loaded the first time a request editor needs it: activation stays light and the extension
// bundle small. Everything in src/webviews reaches the engine's functions through here; other files import
// only its types.
import type * as Http from '../http';

let engine: typeof Http | undefined;

export function httpEngine(): typeof Http {
  // esbuild.config.mjs turns this require into require('./http.js'), the separate bundle; under tsx it loads the source
  engine ??= require('../http') as typeof Http;
  return engine;
}
