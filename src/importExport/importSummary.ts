// What the import preview shows, built from an ImportResult and the workspace (no 'vscode': unit-tested).
import * as path from 'node:path';
import type { Collection, CollectionFormat } from '../collections/model';
import { countItems, walkItems } from '../collections/model';
import type { ImportFormat, ImportResult } from '../collections/convert/importTypes';
import type { ExistingTarget, ImportSummaryView, ImportTargetChoice, NewCollectionFormat } from './importPreviewProtocol';

/** The format of an import for a person; the version when the text says it cheaply. */
export function formatLabel(format: ImportFormat, text: string): string {
  switch (format) {
    case 'insomnia-v4': return 'Insomnia v4 export';
    case 'insomnia-v5': return 'Insomnia v5 file';
    case 'postman-collection': {
      const v = /(?:getpostman|postman)\.com\/json\/collection\/v(2\.[01])/.exec(text)?.[1];
      return v ? `Postman collection v${v}` : 'Postman collection';
    }
    case 'postman-environment': return 'Postman environment';
    case 'curl': return 'cURL command';
    case 'openapi': {
      const v = /["']?openapi["']?\s*:\s*["']?(3\.\d+(?:\.\d+)?)/.exec(text)?.[1];
      return v ? `OpenAPI ${v}` : 'OpenAPI 3';
    }
    case 'swagger': return 'Swagger 2.0';
    case 'har': return 'HAR (HTTP Archive)';
  }
}

export interface SummaryWorkspace {
  /** the workspace folder a new collection goes into. */
  readonly root: string;
  /** every collection of the workspace. */
  readonly collections: readonly Collection[];
  /** whether `<root>/.insomnia` exists (a second legacy folder cannot be made). */
  readonly hasLegacyFolder: boolean;
  /** `hammock.newCollectionFormat`: 'auto', 'legacy' or 'v5'. */
  readonly formatSetting: string;
  /** how a collection's place is shown (a path relative to the workspace). */
  readonly describe: (c: Collection) => string;
}

/** Why a new legacy collection cannot hold this import here, if it cannot. */
export function legacyUnavailable(result: ImportResult, ws: SummaryWorkspace): string | undefined {
  if (result.collections.length > 1) return `A .insomnia folder holds one collection and this import has ${result.collections.length}: import them as v5 files.`;
  if (ws.hasLegacyFolder) return `A .insomnia folder already exists in ${path.basename(ws.root)} and Insomnia reads one per repository: import as a v5 file, or into that collection.`;
  return undefined;
}

/**
 * The default format of a new collection: the setting when it names one, else what the folder's collections use
 * (all v5: v5), else a `.insomnia/` folder as New Collection does; v5 whenever a legacy folder cannot be made.
 */
export function defaultNewFormat(result: ImportResult, ws: SummaryWorkspace): NewCollectionFormat {
  const legacyOk = !legacyUnavailable(result, ws);
  if (ws.formatSetting === 'v5') return 'v5';
  if (ws.formatSetting === 'legacy') return legacyOk ? 'legacy' : 'v5';
  const inRoot = ws.collections.filter((c) => c.path === ws.root || c.path.startsWith(ws.root + path.sep));
  const usesV5 = inRoot.length > 0 && inRoot.every((c) => c.format === 'v5');
  return usesV5 || !legacyOk ? 'v5' : 'legacy';
}

/** The collections an import may go into: request collections (not design documents' specs-only files, not environments). */
export function existingTargets(collections: readonly Collection[], describe: (c: Collection) => string): ExistingTarget[] {
  return collections
    .filter((c) => c.scope === 'collection' || c.scope === 'design')
    .map((c) => {
      const folders: { id: string; label: string }[] = [];
      const visit = (items: Collection['children'], prefix: string) => {
        for (const item of items) {
          if (item.kind !== 'folder') continue;
          const label = prefix ? `${prefix} / ${item.name}` : item.name;
          folders.push({ id: item.id, label });
          visit(item.children, label);
        }
      };
      visit(c.children, '');
      return { collectionPath: c.path, name: c.name, where: describe(c), folders };
    });
}

export function summarizeImport(
  result: ImportResult,
  source: string,
  text: string,
  ws: SummaryWorkspace,
  initialTarget?: ImportTargetChoice,
): ImportSummaryView {
  const legacyWhy = legacyUnavailable(result, ws);
  const labels: Record<CollectionFormat, string> = {
    v5: 'Insomnia v5 file (one YAML file, Insomnia 11 and later)',
    legacy: '.insomnia/ folder (legacy Git Sync, Insomnia up to 10.x)',
  };
  return {
    source,
    format: formatLabel(result.format, text),
    collections: result.collections.map((c) => {
      const n = countItems(c);
      return {
        name: c.name,
        folders: n.folders,
        requests: n.requests,
        otherRequests: n.grpcRequests + n.websocketRequests + n.socketIORequests,
        environments: n.environments,
      };
    }),
    dropped: result.dropped.map((d) => ({ what: d.what, why: d.why, ...(d.count !== undefined ? { count: d.count } : {}) })),
    warnings: [...alreadyInWorkspace(result, ws.collections, ws.describe), ...result.warnings],
    newFormats: [
      { format: 'v5', label: labels.v5 },
      { format: 'legacy', label: labels.legacy, ...(legacyWhy ? { unavailable: legacyWhy } : {}) },
    ],
    initialTarget: initialTarget ?? { kind: 'new', format: defaultNewFormat(result, ws) },
    existing: existingTargets(ws.collections, ws.describe),
  };
}

/** Every id of the workspace's collections (a new collection's imported ids that collide get fresh ones). */
export function workspaceIds(collections: readonly Collection[]): Set<string> {
  const ids = new Set<string>();
  for (const c of collections) {
    ids.add(c.id);
    for (const item of walkItems(c.children)) ids.add(item.id);
    const base = c.baseEnvironment;
    if (base) {
      ids.add(base.id);
      for (const e of base.subEnvironments) ids.add(e.id);
    }
    if (c.spec) ids.add(c.spec.id);
  }
  return ids;
}

/**
 * What of an import the workspace already holds, one line per collection, for the preview and `hammock import`: the
 * ids it shares with each collection (an Insomnia export imported before), else a collection of the same name (a
 * Postman, OpenAPI, HAR or cURL import, whose ids are new each time). Importing again is allowed and adds copies with
 * fresh ids; these lines say so before anything is written, so that a second copy is never made unknowingly.
 */
export function alreadyInWorkspace(result: ImportResult, collections: readonly Collection[], describe: (c: Collection) => string): string[] {
  const imported = workspaceIds(result.collections);
  const lines: string[] = [];
  const shared = new Set<Collection>();
  for (const c of collections) {
    let n = 0;
    for (const id of workspaceIds([c])) if (imported.has(id)) n++;
    if (n === 0) continue;
    shared.add(c);
    lines.push(
      `Already imported: ${n} of the ${imported.size} id${imported.size === 1 ? '' : 's'} of this import ${n === 1 ? 'is' : 'are'} in "${c.name}" (${describe(c)}). ` +
        'Importing again adds a second copy with fresh ids; nothing there is replaced.',
    );
  }
  for (const r of result.collections) {
    for (const c of collections) {
      if (shared.has(c) || c.name !== r.name || r.name === '') continue;
      lines.push(`A collection named "${c.name}" is already in the workspace (${describe(c)}): importing again as a new collection adds a second one.`);
    }
  }
  return lines;
}
