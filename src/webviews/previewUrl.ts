// The URL a request would be sent to, for the URL field's hover: templates rendered with the active environment,
// enabled parameters applied. Pure (no 'vscode').
import type { Collection, HttpRequest } from '../collections/model';
import type { RenderEnvironment } from '../activeEnvironments';
import { httpEngine } from './httpEngine';

/**
 * The request's URL with templates rendered and the enabled parameters applied, for the URL field's hover. No hooks:
 * a `prompt` or `response` tag is not run on hover (the engine reports it, and the hover says so).
 */
export async function previewUrl(collection: Collection, request: HttpRequest, env: RenderEnvironment | string | undefined): Promise<string> {
  const context = typeof env === 'object' ? httpEngine().buildRenderContext(collection, request.id, env.environment, { vault: env.vault }) : httpEngine().buildRenderContext(collection, request.id, env);
  const url = await httpEngine().renderTemplate(request.url, context, {}, 'url');
  const params: { name: string; value: string }[] = [];
  for (const p of request.parameters.filter((x) => !x.disabled)) {
    params.push({ name: await httpEngine().renderTemplate(p.name, context, {}, 'parameter'), value: await httpEngine().renderTemplate(p.value, context, {}, 'parameter') });
  }
  return httpEngine().applyQueryParams(url, params, request.settings.encodeUrl);
}

