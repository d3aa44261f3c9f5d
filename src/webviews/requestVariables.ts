// The variables a request sees, as the request editor's template fields offer them (with where each comes from and a
// preview of its value), and the values a rendered preview masks. Pure (no 'vscode'): tested under mocha.
import type { RenderEnvironment } from '../activeEnvironments';
import type { Collection, HttpRequest } from '../collections/model';
import { SECRET_MASK as MASK } from '../collections/secrets/mask';
import { httpEngine } from './httpEngine';
import type { VariableView } from './protocol';

/**
 * Whether a variable is (or looks like) a secret. The detector comes with the HTTP engine's bundle: only a request
 * editor asks, and it has loaded the engine (the extension's bundle, loaded at activation, stays without it).
 */
function looksSecret(name: string, value: unknown): boolean {
  return httpEngine().looksSecret(name, value);
}

/** A value as a completion shows it: short, one line, masked when it is (or looks like) a secret. */
export function previewOf(name: string, value: unknown, secret: boolean): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (secret || looksSecret(name, value)) return MASK;
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/**
 * The variables a request sees, each once with where its value comes from (later levels win, as the render merges
 * them): the base environment, the active sub-environment, the folders above, the vault; and the values that are
 * secrets (private environment, vault, secret-looking), which rendered previews mask.
 */
export function requestVariables(collection: Collection, request: HttpRequest, env: RenderEnvironment, privates: readonly { id: string; data: Record<string, unknown> }[]): { variables: VariableView[]; secrets: string[] } {
  const byName = new Map<string, VariableView>();
  const secrets: string[] = [];
  const add = (data: Record<string, unknown>, source: string, secret: boolean) => {
    for (const [name, value] of Object.entries(data)) {
      if (name.startsWith('__')) continue;
      const isSecret = secret || looksSecret(name, value);
      if (isSecret && typeof value === 'string' && value.length >= 4 && !value.includes('{{')) secrets.push(value);
      byName.delete(name);
      byName.set(name, { name, source, preview: previewOf(name, value, secret) });
    }
  };
  const base = collection.baseEnvironment;
  if (base) add(base.data, base.name, false);
  const sub = typeof env.environment === 'object' ? env.environment : env.environment ? base?.subEnvironments.find((e) => e.id === env.environment) : undefined;
  if (sub) add(sub.data, sub.name, sub.isPrivate || privates.some((p) => p.id === sub.id));
  for (const folder of httpEngine().ancestorFolders(collection, request.id)?.folders ?? []) add(folder.environment, `folder "${folder.name}"`, false);
  const variables = [...byName.values()];
  for (const [name, value] of Object.entries(env.vault)) {
    variables.push({ name: `vault.${name}`, source: 'vault', preview: MASK });
    if (value.length >= 4) secrets.push(value);
  }
  return { variables, secrets };
}

/** `text` with every secret value in it masked (longest first, so a secret inside another goes with it). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
  return out;
}

