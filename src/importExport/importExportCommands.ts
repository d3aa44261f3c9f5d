// The commands of issue 6: Copy as cURL, Import..., Export Collection..., Convert to v5 File / to Legacy Folder.
// Registered here, at activation, with their argument types; their bodies (importExportHandlers.ts, the importers'
// summary, cURL, the dialogs) are a bundle of their own, dist/importExport.js, required on the first invocation of any
// of them (esbuild.config.mjs LAZY_BUNDLES). That bundle has its own copies of the modules it imports: what has an
// identity or a state crosses as `ImportExportShared`, from this bundle.
import type * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import { writeChanges, type CollectionStore } from '../collections/store';
import { Commands } from '../commandIds';
import type { RenderHooks } from '../http';
import { Cancelled, registerCommand } from '../registerCommand';
import { storeImportSecrets, takeSecretsOutOfImport, type ImportSecretChoice } from '../secrets/importSecrets';
import type { LocalEnvironments } from '../services/localEnvironments';
import { CollectionNode, RequestNode } from '../tree/collectionsTree';
import { withEditsWritten } from '../webviews/pendingEdits';
import type * as Handlers from './importExportHandlers';
import type { ImportPreviews } from './importPreview';
import type { ImportTargetChoice } from './importPreviewProtocol';

export interface ImportExportServices {
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly log: vscode.LogOutputChannel;
  /** the host's render hooks for a collection (prompts, responses of other requests, OAuth tokens), as Send uses. */
  readonly renderHooks: (collectionPath: string) => RenderHooks;
  /** the request of the focused request editor, if one is focused. */
  readonly activeRequest: () => { collectionPath: string; requestId: string } | undefined;
  /** the import preview panels. */
  readonly previews: ImportPreviews;
  /** the Collections view, to reveal what an import or a conversion made. */
  readonly collectionsView: vscode.TreeView<unknown>;
  /** private environments and vaults, where an import's secrets go when the user moves them. */
  readonly local?: LocalEnvironments;
}

/** The arguments of `hammock.import`; without them it asks. */
export interface ImportOptions {
  /** a file to import (absolute path). */
  readonly file?: string;
  /** text to import instead of a file (a cURL command, clipboard text). */
  readonly text?: string;
  /** the workspace folder a new collection goes into (default: the first, or asked when several). */
  readonly root?: string;
  /** the target selected when the preview opens (with `skipPreview`, the target written to). */
  readonly target?: ImportTargetChoice;
  /** write into `target` without the preview (scripts). */
  readonly skipPreview?: boolean;
  /** what to do with values that look like secrets, without asking: move them into the vault or a private environment, or keep them. */
  readonly secrets?: ImportSecretChoice;
  /** open the request an import of one request made (default true). */
  readonly open?: boolean;
}

export type ExportFormat = 'insomnia-v4' | 'insomnia-v5' | 'postman';

/** The arguments of Export Collection...; without them it asks. */
export interface ExportOptions {
  readonly format?: ExportFormat;
  /** where to write (absolute path); an existing file is replaced. */
  readonly path?: string;
}

/** What an export returns: the file written and what its format could not express. */
export interface ExportOutcome {
  readonly path: string;
  readonly format: ExportFormat;
  readonly notExported: { readonly what: string; readonly why: string; readonly count?: number }[];
}

/** The arguments of Convert to v5 File / to Legacy .insomnia Folder; without them it asks. */
export interface ConvertOptions {
  /** skip the confirmation. */
  readonly confirmed?: boolean;
  /** delete the original after converting (without it: asked; the default answer keeps it). */
  readonly deleteOld?: boolean;
  /** the folder the new file or `.insomnia` folder goes into (default: beside the original; asked when taken). */
  readonly folder?: string;
}

/** What a conversion returns: the new file or folder, and whether the original was deleted. */
export interface ConvertOutcome {
  readonly target: string;
  readonly deletedOld: boolean;
  readonly notConverted: { readonly what: string; readonly why: string }[];
}

/** What `hammock.import` returns when it wrote something: the collections written (paths), created or changed. */
export interface ImportOutcome {
  readonly collectionPaths: string[];
  readonly files: string[];
}

/** The commands whose bodies are in dist/importExport.js, by their handler's name there. */
const COMMANDS = { copyAsCurl: Commands.copyAsCurl, import: Commands.import, convertToV5: Commands.convertToV5, convertToLegacy: Commands.convertToLegacy, exportCollection: Commands.exportCollection } as const;
export type ImportExportCommand = keyof typeof COMMANDS;

/**
 * What the handlers take from the extension's bundle, not from their own copy of its module: the classes told apart
 * by instanceof (Cancelled by the command wrapper, the nodes by the Collections view), the module state (the
 * editors' pending edits, the file writer's), and what throws Cancelled (the import secrets' prompts).
 */
export interface ImportExportShared {
  readonly Cancelled: typeof Cancelled;
  readonly CollectionNode: typeof CollectionNode;
  readonly RequestNode: typeof RequestNode;
  readonly withEditsWritten: typeof withEditsWritten;
  readonly writeChanges: typeof writeChanges;
  readonly takeSecretsOutOfImport: typeof takeSecretsOutOfImport;
  readonly storeImportSecrets: typeof storeImportSecrets;
  readonly openRequest: typeof Commands.openRequest;
}

let loaded: typeof Handlers | undefined;

export function registerImportExportCommands(services: ImportExportServices): vscode.Disposable[] {
  let handlers: ReturnType<typeof Handlers.importExportHandlers> | undefined;
  const shared: ImportExportShared = { Cancelled, CollectionNode, RequestNode, withEditsWritten, writeChanges, takeSecretsOutOfImport, storeImportSecrets, openRequest: Commands.openRequest };
  return (Object.keys(COMMANDS) as ImportExportCommand[]).map((name) =>
    registerCommand(COMMANDS[name], (...args: unknown[]) => {
      // esbuild.config.mjs turns this require into require('./importExport.js'), the separate bundle; under tsx it loads the source
      loaded ??= require('./importExportHandlers') as typeof Handlers;
      handlers ??= loaded.importExportHandlers(services, shared);
      return handlers[name](...args);
    }, services.log),
  );
}
