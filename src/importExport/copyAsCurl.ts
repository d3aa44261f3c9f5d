// "Copy as cURL" on a request of the model: rendered as Send renders it (the active environment, folder
// environments, tags, inherited headers and auth), then written as a curl command line by the HTTP engine.
import type { Collection, HttpRequest } from '../collections/model';
import type { RenderEnvironment } from '../activeEnvironments';
import type { RenderHooks } from '../http';
import { httpEngine } from '../webviews/httpEngine';

/** The request as a curl command; a template error (an unknown variable, a failing tag) rejects with its HttpError. */
export async function curlForRequest(collection: Collection, request: HttpRequest, env: RenderEnvironment | string | undefined, hooks: RenderHooks): Promise<string> {
  const engine = httpEngine();
  const context = typeof env === 'object' ? engine.buildRenderContext(collection, request.id, env.environment, { vault: env.vault }) : engine.buildRenderContext(collection, request.id, env);
  const rendered = await engine.renderRequest(request, collection, context, hooks);
  return engine.toCurl(rendered);
}
