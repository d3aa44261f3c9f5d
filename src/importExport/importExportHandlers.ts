// The bodies of the import/export commands (Copy as cURL, Import..., Export Collection..., Convert to v5 File / to
// Legacy Folder): a bundle of their own, dist/importExport.js, required on the first invocation of any of them.
// importExportCommands.ts, in the extension's bundle, registers the commands and holds their argument types.
// Each takes optional arguments (a tree node or ids, a file, a target, a format, a save path) so that scripts and the
// in-host tests drive it without dialogs; without them it asks.
//
// This bundle has its own copy of every module it imports: what has an identity or a state is the extension
// bundle's, given in `shared` (Cancelled, which the command wrapper tells by instanceof; the tree's node classes,
// which the Collections view tells by instanceof; the editors' pending edits; the file writer and its open-file
// count; the import secrets' prompts, which throw Cancelled). Import only pure modules here, and the others as types
// (test/unit/build.test.ts lists what the bundle may hold).
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConvertResult } from '../collections/convert/convertFormat';
import type { ImportResult } from '../collections/convert/importTypes';
import type { ImportTarget } from '../collections/convert/planImport';
import { writers } from '../collections/lazyWriters';
import type { Collection, HttpRequest } from '../collections/model';
import { walkItems } from '../collections/model';
import type { ImportSecrets } from '../secrets/importSecrets';
import { curlForRequest } from './copyAsCurl';
import type { ConvertOptions, ConvertOutcome, ExportFormat, ExportOptions, ExportOutcome, ImportExportCommand, ImportExportServices, ImportExportShared, ImportOptions, ImportOutcome } from './importExportCommands';
import { isImportTargetChoice, type ImportTargetChoice } from './importPreviewProtocol';
import { summarizeImport, workspaceIds, type SummaryWorkspace } from './importSummary';
import { peekClipboard, readClipboard } from '../commands/clipboard';

const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; detail: string; suffix: string; filter: Record<string, string[]> }[] = [
  { format: 'insomnia-v4', label: 'Insomnia v4 (JSON)', detail: 'Insomnia\'s export format: any Insomnia version imports it; ids kept', suffix: '.insomnia-v4.json', filter: { 'Insomnia v4 export': ['json'] } },
  { format: 'insomnia-v5', label: 'Insomnia v5 (YAML)', detail: 'the file Insomnia 11 and later export and sync; ids kept', suffix: '.insomnia.yaml', filter: { 'Insomnia v5 file': ['yaml', 'yml'] } },
  { format: 'postman', label: 'Postman Collection v2.1 (JSON)', detail: 'folders, requests, bodies, auth Postman has, base environment as collection variables', suffix: '.postman_collection.json', filter: { 'Postman collection': ['json'] } },
];

/** A request named by a tree node (`type: 'request'`) or by ids (`{ collectionPath, requestId }`). */
function requestRef(arg: unknown): { collectionPath: string; requestId: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const o = arg as { type?: unknown; collection?: { path?: unknown }; request?: { id?: unknown }; collectionPath?: unknown; requestId?: unknown };
  if (o.type === 'request' && typeof o.collection?.path === 'string' && typeof o.request?.id === 'string') {
    return { collectionPath: o.collection.path, requestId: o.request.id };
  }
  if (typeof o.collectionPath === 'string' && typeof o.requestId === 'string') return { collectionPath: o.collectionPath, requestId: o.requestId };
  return undefined;
}

/** The handlers of the import/export commands, by command; `shared`: what they take from the extension's bundle. */
export function importExportHandlers(services: ImportExportServices, shared: ImportExportShared): Record<ImportExportCommand, (...args: any[]) => Promise<unknown>> {
  const { store, active, log } = services;
  const { Cancelled, CollectionNode, RequestNode, withEditsWritten, writeChanges, takeSecretsOutOfImport, storeImportSecrets } = shared;

  const findRequest = (ref: { collectionPath: string; requestId: string }): { collection: Collection; request: HttpRequest } => {
    // by the collection's path and the request's id: a `.insomnia` folder may hold two workspaces
    const located = store.locate(ref.collectionPath, ref.requestId);
    if (located?.kind !== 'item') throw new Error('That request is no longer in the collection.');
    const { collection, item: request } = located;
    if (request.kind !== 'request') throw new Error(`"${request.name}" is not an HTTP request: only HTTP requests can be copied as cURL.`);
    return { collection, request };
  };

  const pickHttpRequest = async (placeHolder: string): Promise<{ collectionPath: string; requestId: string }> => {
    const picks = store.collections.flatMap((c) =>
      [...walkItems(c.children)]
        .filter((i): i is HttpRequest => i.kind === 'request')
        .map((r) => ({ label: `${(r.method || 'GET').toUpperCase()} ${r.name}`, description: r.url, detail: c.name, ref: { collectionPath: c.path, requestId: r.id } })),
    );
    if (!picks.length) throw new Error('No HTTP request in this workspace.');
    const pick = await vscode.window.showQuickPick(picks, { placeHolder, matchOnDescription: true, matchOnDetail: true });
    if (!pick) throw new Cancelled();
    return pick.ref;
  };

  /** Asks where the text comes from: a file, a pasted cURL command, or the clipboard. */
  const askSource = async (): Promise<{ text: string; source: string; file?: string }> => {
    // in a browser (code-server, vscode.dev) each read asks the browser's permission: the clipboard is only read there
    // when the user picks it; elsewhere its first line is shown in the pick, and a read never blocks the prompt
    const access = { web: vscode.env.uiKind === vscode.UIKind.Web, readText: () => vscode.env.clipboard.readText() };
    const clipboard = await peekClipboard(access, 1000);
    type Pick = vscode.QuickPickItem & { id: 'file' | 'curl' | 'clipboard' };
    const picks: Pick[] = [
      { id: 'file', label: '$(file) From a File...', detail: 'Insomnia v4 or v5, Postman collection v2.0/v2.1 or environment, OpenAPI 3.0/3.1, Swagger 2.0, HAR' },
      { id: 'curl', label: '$(terminal) Paste a cURL Command...' },
    ];
    if (clipboard) picks.push({ id: 'clipboard', label: '$(clippy) From the Clipboard', detail: clipboard.split('\n', 1)[0].slice(0, 80) });
    else if (access.web) picks.push({ id: 'clipboard', label: '$(clippy) From the Clipboard', detail: 'what you copied (the browser may ask to allow it)' });
    const pick = await vscode.window.showQuickPick(picks, { placeHolder: 'Import what?' });
    if (!pick) throw new Cancelled();
    if (pick.id === 'clipboard') {
      const text = clipboard || (await readClipboard(access, 30_000));
      if (!text) throw new Error('The clipboard is empty, or the browser did not allow reading it.');
      return { text, source: 'clipboard text' };
    }
    if (pick.id === 'curl') {
      const text = await vscode.window.showInputBox({
        prompt: 'Paste a cURL command',
        placeHolder: "curl -X POST https://api.example.com/users -H 'Content-Type: application/json' -d '{...}'",
        value: /^\s*curl\s/.test(clipboard) ? clipboard : '',
        ignoreFocusOut: true,
        validateInput: (v) => (/^\s*curl\s/.test(v) ? undefined : 'A cURL command starts with "curl"'),
      });
      if (text === undefined) throw new Cancelled();
      return { text, source: 'pasted cURL command' };
    }
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Import',
      title: 'Import into Hammock',
      filters: { 'Collections and specs': ['json', 'yaml', 'yml', 'har', 'txt', 'sh'], 'All files': ['*'] },
    });
    const file = uris?.[0]?.fsPath;
    if (!file) throw new Cancelled();
    return { text: await fsp.readFile(file, 'utf8'), source: path.basename(file), file };
  };

  /** Parses; a malformed or unknown input is shown with its file and line (and an Open File button), then Cancelled. */
  const parse = (text: string, source: string, file: string | undefined): ImportResult => {
    try {
      return writers().importText(text, file ? path.basename(file) : undefined);
    } catch (err) {
      if (!(err instanceof writers().ImportError)) throw err;
      const where = file ? path.basename(file) : source;
      const at = err.line !== undefined && !/\bline \d+/.test(err.message) ? ` (line ${err.line + 1})` : '';
      const message = `Cannot import ${where}: ${err.message}${at}. Nothing was written.`;
      log.warn(message);
      const actions = file && err.line !== undefined ? ['Open File'] : [];
      void vscode.window.showErrorMessage(`Hammock: ${message}`, ...actions).then(async (choice) => {
        if (choice !== 'Open File' || !file) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const pos = new vscode.Position(err.line ?? 0, err.column ?? 0);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
      });
      throw new Cancelled();
    }
  };

  const summaryWorkspace = (root: string): SummaryWorkspace => ({
    root,
    collections: store.collections,
    hasLegacyFolder: existsSync(path.join(root, '.insomnia')),
    formatSetting: vscode.workspace.getConfiguration('hammock').get<string>('newCollectionFormat', 'auto'),
    describe: (c) => vscode.workspace.asRelativePath(c.path),
  });

  /** Selects and expands the collection at `collectionPath` in the Collections view (a failure is only logged). */
  const revealCollectionAt = async (collectionPath: string): Promise<void> => {
    const c = store.collections.find((x) => x.path === collectionPath);
    if (!c) return;
    try {
      await services.collectionsView.reveal(new CollectionNode(c, store), { select: true, focus: false, expand: true });
    } catch (err) {
      log.warn(`could not reveal ${collectionPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  /** The vault of the collection an import goes into (none for a new one). */
  const vaultOfTarget = async (choice: ImportTargetChoice): Promise<Readonly<Record<string, string>>> => {
    if (choice.kind !== 'existing' || !services.local) return {};
    const c = store.collections.find((x) => x.path === choice.collectionPath);
    if (!c) return {};
    await services.local.load(c.id);
    return services.local.vault(c.id);
  };

  /** Writes an import into a target; returns what it wrote. */
  const writeImport = async (result: ImportResult, choice: ImportTargetChoice, root: string, secrets?: ImportSecrets, open = true): Promise<ImportOutcome> => {
    await store.whenComplete();
    let target: ImportTarget;
    if (choice.kind === 'new') {
      const schemaVersion = writers().schemaVersionForNewFile(store.collections.filter((c) => store.rootOf(c) === root));
      target = { kind: 'new', root, format: choice.format, exists: (p) => existsSync(p), takenIds: workspaceIds(store.collections), schemaVersion };
    } else {
      // the collection holding the chosen parent (one `.insomnia` folder may hold two workspaces)
      const collection = (choice.parentId ? store.locate(choice.collectionPath, choice.parentId)?.collection : undefined) ?? store.collectionAt(choice.collectionPath);
      if (!collection) throw new Error(`No collection at ${choice.collectionPath} any more.`);
      target = { kind: 'existing', collection, parentId: choice.parentId, readText: (p) => readFileSync(p, 'utf8'), exists: (p) => existsSync(p) };
    }
    const plan = writers().planImportDetailed(result, target);
    const workspaceRoot = choice.kind === 'new' ? root : (store.rootOf((target as { collection: Collection }).collection) ?? root);
    await writeChanges(plan.changes, { ...plan.scope, workspaceRoot });
    for (const r of plan.replacedIds) log.warn(`import: ${writers().replacedIdLine(r)}`);
    for (const n of plan.notWritten) log.warn(`import: not written: ${n.what}: ${n.why}`);
    if (plan.replacedIds.length + plan.notWritten.length > 0) {
      const parts = [
        ...(plan.replacedIds.length ? [`${plan.replacedIds.length} id${plan.replacedIds.length === 1 ? '' : 's'} Insomnia cannot take got fresh ones`] : []),
        ...(plan.notWritten.length ? [`${plan.notWritten.length} item${plan.notWritten.length === 1 ? '' : 's'} the target cannot hold ${plan.notWritten.length === 1 ? 'was' : 'were'} not written`] : []),
      ];
      void vscode.window.showWarningMessage(`Hammock: imported; ${parts.join(', ')} (see the log).`, 'Open Log').then((c) => c && log.show());
    }
    await store.refreshPaths(plan.changes.map((c) => c.path));
    const collectionPaths = choice.kind === 'new' ? plan.created : [choice.collectionPath];
    log.info(`imported ${result.format} into ${collectionPaths.join(', ')} (${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'})`);
    // the collection each imported one became, as the store has it now
    const writtenAs = (c: Collection): Collection | undefined => {
      if (choice.kind !== 'new') return store.collections.find((x) => x.path === choice.collectionPath);
      const i = result.collections.indexOf(c);
      const at = plan.created[plan.created.length === 1 ? 0 : i];
      return at ? store.collections.find((x) => x.path === at && (x.id === (plan.renamedIds.get(c.id) ?? c.id) || store.collections.filter((y) => y.path === at).length === 1)) : undefined;
    };
    if (secrets && services.local) {
      await storeImportSecrets(secrets, (c) => writtenAs(c)?.id, { local: services.local, active });
      log.info(`import: ${secrets.count} value(s) moved into ${secrets.destination === 'vault' ? 'the vault' : 'a private environment'}`);
    }
    // one request imported (a pasted cURL command): shown in the tree and opened; else its collection revealed
    const requests = result.collections.flatMap((c) => [...walkItems(c.children)].filter((i): i is HttpRequest => i.kind === 'request').map((r) => ({ c, r })));
    const single = requests.length === 1 && result.collections.flatMap((c) => [...walkItems(c.children)]).filter((i) => i.kind !== 'folder').length === 1 ? requests[0] : undefined;
    const home = single && writtenAs(single.c);
    const requestId = single && (plan.renamedIds.get(single.r.id) ?? plan.replacedIds.find((r) => r.from === single.r.id)?.to ?? single.r.id);
    const located = home && requestId ? store.locate(home.path, requestId) : undefined;
    if (located?.kind === 'item' && located.item.kind === 'request') {
      try {
        await services.collectionsView.reveal(new RequestNode(located.collection, located.item), { select: true, focus: false, expand: true });
      } catch (err) {
        log.warn(`could not reveal the imported request: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (open) await vscode.commands.executeCommand(shared.openRequest, { collectionPath: located.collection.path, requestId: located.item.id });
    } else {
      await revealCollectionAt(collectionPaths[0]);
    }
    return { collectionPaths, files: plan.changes.map((c) => c.path) };
  };

  /** The collection a node names (a tree node of a collection), or one picked among those `filter` accepts. */
  const collectionOf = async (node: unknown, filter: (c: Collection) => boolean, placeHolder: string, none: string): Promise<Collection> => {
    const given = (node as { type?: unknown; collection?: { path?: unknown; id?: unknown } } | undefined);
    if (given?.type === 'collection' && typeof given.collection?.path === 'string') {
      const c = store.collectionAt(given.collection.path, typeof given.collection.id === 'string' ? given.collection.id : undefined);
      if (!c) throw new Error('That collection is no longer in the workspace.');
      return c;
    }
    const candidates = store.collections.filter(filter);
    if (!candidates.length) throw new Error(none);
    if (candidates.length === 1) return candidates[0];
    const pick = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.name, description: vscode.workspace.asRelativePath(c.path), collection: c })),
      { placeHolder },
    );
    if (!pick) throw new Cancelled();
    return pick.collection;
  };

  /**
   * Converts a collection to the other format: confirm, write the new file(s) (the original stays), then ask whether
   * to delete the original (default: keep, knowing Insomnia then sees the workspace twice).
   */
  const convert = async (picked: Collection, to: 'v5' | 'legacy', options: ConvertOptions): Promise<ConvertOutcome> => {
    await store.whenComplete();
    // the converted copy holds what was typed into the collection's editors until now
    const collection = await withEditsWritten(picked, (c) => store.collectionAt(c.path, c.id));
    const rel = vscode.workspace.asRelativePath(collection.path);
    const toWhat = to === 'v5' ? 'an Insomnia v5 file' : 'a legacy .insomnia folder';
    if (!options.confirmed) {
      const detail = to === 'v5'
        ? `Writes one YAML file beside ${rel}, keeping every id (Insomnia 11 reads it). ${rel} stays until you choose to delete it.`
        : `Writes a .insomnia folder beside ${rel}, keeping every id (Insomnia up to 10.x reads it). ${rel} stays until you choose to delete it.`;
      const ok = await vscode.window.showInformationMessage(`Convert "${collection.name}" to ${toWhat}?`, { modal: true, detail }, 'Convert');
      if (ok !== 'Convert') throw new Cancelled();
    }
    const workspaceRoot = store.rootOf(collection);
    let folder = options.folder;
    if (folder === undefined && to === 'legacy' && existsSync(path.join(path.dirname(collection.path), '.insomnia'))) {
      // a .insomnia folder holds one workspace: the one beside the file is another's
      const choice = await vscode.window.showWarningMessage(
        `A .insomnia folder already exists beside ${rel}: it holds another workspace.`,
        { modal: true, detail: 'Choose a folder without one (inside the workspace) for the converted collection.' },
        'Choose Folder...',
      );
      if (choice !== 'Choose Folder...') throw new Cancelled();
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(collection.path)), openLabel: 'Convert Into This Folder' });
      if (!picked?.[0]) throw new Cancelled();
      folder = picked[0].fsPath;
    }
    if (folder !== undefined && workspaceRoot !== undefined) {
      const inside = path.relative(workspaceRoot, folder);
      if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) throw new Error(`${folder} is outside the workspace folder ${workspaceRoot}: choose a folder inside it.`);
    }
    let result: ConvertResult;
    if (to === 'v5') {
      if (collection.format !== 'legacy') throw new Error(`"${collection.name}" is already an Insomnia v5 file.`);
      const schemaVersion = writers().schemaVersionForNewFile(store.collections.filter((c) => store.rootOf(c) === workspaceRoot));
      result = writers().convertLegacyToV5(collection.path, { workspaceId: collection.id, schemaVersion, root: folder });
    } else {
      if (collection.format !== 'v5') throw new Error(`"${collection.name}" is already a legacy .insomnia folder.`);
      result = writers().convertV5ToLegacy(collection.path, { root: folder });
    }
    await writeChanges(result.changes, { ...result.scope, workspaceRoot: workspaceRoot ?? result.scope.workspaceRoot });
    log.info(`converted ${collection.path} to ${result.target} (${result.changes.length} file${result.changes.length === 1 ? '' : 's'})`);
    for (const r of result.replacedIds) log.warn(`convert: ${writers().replacedIdLine(r)}`);
    for (const n of result.notConverted) log.warn(`not converted: ${n.what}: ${n.why}`);

    // the original: keep (default) or delete
    const oldWhat = collection.format === 'legacy' ? 'the .insomnia folder' : `the v5 file ${path.basename(collection.path)}`;
    const sharesFolder = collection.format === 'legacy' && store.collections.filter((c) => c.path === collection.path).length > 1;
    let deleteOld = options.deleteOld;
    if (deleteOld === undefined) {
      const notConverted = result.notConverted.length
        ? `\n\nNot converted (kept in the original): ${result.notConverted.slice(0, 5).map((n) => `${n.what} (${n.why})`).join('; ')}${result.notConverted.length > 5 ? `; and ${result.notConverted.length - 5} more` : ''}.`
        : '';
      const detail = `Written: ${vscode.workspace.asRelativePath(result.target)}. If you keep ${oldWhat}, the repository holds this workspace twice, with the same id, and Insomnia (and Hammock) will show both.${notConverted}`;
      const deleteItem = { title: `Delete ${collection.format === 'legacy' ? '.insomnia Folder' : 'v5 File'}` };
      // "Keep Both" is the dialog's close button (Escape): no "Cancel" beside it, which read as "undo the conversion"
      const keepBoth = { title: 'Keep Both', isCloseAffordance: true };
      const choice = await vscode.window.showWarningMessage(`"${collection.name}" converted. Delete ${oldWhat}?`, { modal: true, detail }, ...(sharesFolder ? [keepBoth] : [keepBoth, deleteItem]));
      deleteOld = choice === deleteItem;
    }
    if (deleteOld) {
      if (sharesFolder) throw new Error(`${rel} holds other workspaces too: delete this one's files by hand.`);
      await fsp.rm(collection.path, { recursive: collection.format === 'legacy', force: true });
      log.info(`deleted ${collection.path}`);
    }
    await store.reload();
    await revealCollectionAt(result.target);
    if (result.notConverted.length && options.deleteOld === undefined && !options.confirmed) {
      void vscode.window.showWarningMessage(`Hammock: ${result.notConverted.length} thing${result.notConverted.length === 1 ? '' : 's'} could not be converted (see the log).`, 'Open Log').then((c) => c && log.show());
    }
    return { target: result.target, deletedOld: !!deleteOld, notConverted: result.notConverted.map((n) => ({ what: n.what, why: n.why })) };
  };

  const exportCollection = async (picked: Collection, options: ExportOptions): Promise<ExportOutcome> => {
    // the export holds what was typed into the collection's editors until now
    const collection = await withEditsWritten(picked, (c) => store.collectionAt(c.path, c.id));
    let format = options.format;
    if (format && !EXPORT_FORMATS.some((f) => f.format === format)) throw new Error(`Unknown export format "${format}": use insomnia-v4, insomnia-v5 or postman.`);
    if (!format) {
      const pick = await vscode.window.showQuickPick(EXPORT_FORMATS.map((f) => ({ label: f.label, detail: f.detail, format: f.format })), {
        placeHolder: `Export "${collection.name}" as`,
      });
      if (!pick) throw new Cancelled();
      format = pick.format;
    }
    const spec = EXPORT_FORMATS.find((f) => f.format === format)!;
    let file = options.path;
    if (!file) {
      const dir = exportFolder([...store.workspaceRoots, store.rootOf(collection) ?? path.dirname(collection.path)], os.homedir());
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(dir, `${writers().safeFileName(collection.name).slice(0, writers().MAX_V5_BASE_NAME) || 'collection'}${spec.suffix}`)),
        filters: spec.filter,
        saveLabel: 'Export',
        title: `Export "${collection.name}" as ${spec.label}`,
      });
      if (!uri) throw new Cancelled();
      file = uri.fsPath;
    }
    let text: string;
    let notExported: ExportOutcome['notExported'];
    // The Insomnia formats come from the files themselves, as `hammock export` does: unit tests, cookie jars and
    // fields Hammock does not know are kept. Postman comes from the model.
    if (format === 'insomnia-v4') {
      const out = writers().exportInsomniaV4FromDocs([writers().readCollectionDocs(collection.format, collection.path, collection.id).docs]);
      text = out.text;
      notExported = out.dropped;
    } else if (format === 'insomnia-v5') {
      const out = writers().v5TextFromFiles(collection.format, collection.path, collection.id);
      text = out.text;
      notExported = out.notConverted;
    } else {
      const out = writers().exportPostman(collection);
      text = out.text;
      notExported = out.unexpressed;
    }
    await writeChanges([{ path: file, content: text }], { format: 'file', folder: path.dirname(file) });
    log.info(`exported ${collection.path} as ${format} to ${file}`);
    for (const n of notExported) log.warn(`not exported (${format}): ${n.what}${n.count && n.count > 1 ? ` (x${n.count})` : ''}: ${n.why}`);
    if (!options.path) {
      if (notExported.length) {
        const list = notExported.slice(0, 3).map((n) => `${n.what} (${n.why})`).join('; ');
        const more = notExported.length > 3 ? `; and ${notExported.length - 3} more (see the log)` : '';
        void vscode.window.showWarningMessage(`Hammock: exported "${collection.name}" to ${path.basename(file)}; ${spec.label} cannot express: ${list}${more}.`, 'Open Log').then((c) => c && log.show());
      } else {
        void vscode.window.showInformationMessage(`Hammock: exported "${collection.name}" to ${path.basename(file)}.`);
      }
    }
    return { path: file, format, notExported: notExported.map((n) => ({ what: n.what, why: n.why, ...(n.count !== undefined ? { count: n.count } : {}) })) };
  };

  return {
    // the tree's context menu passes the node; the request editor's title menu passes nothing (the focused editor)
    copyAsCurl: async (arg?: unknown) => {
      const ref = requestRef(arg) ?? services.activeRequest() ?? (await pickHttpRequest('Copy which request as cURL?'));
      // what was typed into its editor until now is in the command
      await withEditsWritten({ path: ref.collectionPath });
      const { collection, request } = findRequest(ref);
      let curl: string;
      try {
        curl = await curlForRequest(collection, request, await active.renderEnvironment(collection), services.renderHooks(collection.path));
      } catch (err) {
        // the HttpError of a template names the field and the variable: `Unknown variable "host" in url: ...`
        throw new Error(`Could not copy "${request.name}" as cURL: ${err instanceof Error ? err.message : String(err)}`);
      }
      await vscode.env.clipboard.writeText(curl);
      void vscode.window.setStatusBarMessage(`$(check) Copied "${request.name}" as cURL`, 3000);
      return curl;
    },
    import: async (options: ImportOptions = {}) => {
      if (options.target !== undefined && !isImportTargetChoice(options.target)) throw new Error('Invalid import target.');
      const roots = store.workspaceRoots;
      if (!roots.length) throw new Error('Open a folder first: an import is written into the workspace.');
      let root = options.root ?? roots[0];
      let input: { text: string; source: string; file?: string };
      if (options.file) input = { text: await fsp.readFile(options.file, 'utf8'), source: path.basename(options.file), file: options.file };
      else if (options.text !== undefined) input = { text: options.text, source: /^\s*curl\s/.test(options.text) ? 'pasted cURL command' : 'pasted text' };
      else input = await askSource();
      const result = parse(input.text, input.source, input.file);
      if (!options.root && roots.length > 1 && options.target?.kind !== 'existing') {
        const pick = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for a new collection' });
        if (!pick) throw new Cancelled();
        root = pick.uri.fsPath;
      }
      await store.whenComplete();
      if (options.skipPreview) {
        if (!options.target) throw new Error('skipPreview needs a target.');
        const secrets = await takeSecretsOutOfImport(result, options.secrets, log, await vaultOfTarget(options.target));
        return await writeImport(result, options.target, root, secrets, options.open ?? true);
      }
      const summary = summarizeImport(result, input.source, input.text, summaryWorkspace(root), options.target);
      let outcome: ImportOutcome | undefined;
      const imported = await services.previews.show(summary, async (choice) => {
        // the secret check asks once the target is chosen, before anything is written (Cancel writes nothing)
        const secrets = await takeSecretsOutOfImport(result, options.secrets, log, await vaultOfTarget(choice));
        outcome = await writeImport(result, choice, root, secrets, options.open ?? true);
      });
      return imported ? outcome : undefined;
    },
    convertToV5: async (node?: unknown, options: ConvertOptions = {}) => {
      const c = await collectionOf(node, (x) => x.format === 'legacy', 'Convert which .insomnia collection to a v5 file?', 'No legacy .insomnia collection in this workspace.');
      return await convert(c, 'v5', options);
    },
    convertToLegacy: async (node?: unknown, options: ConvertOptions = {}) => {
      const c = await collectionOf(node, (x) => x.format === 'v5', 'Convert which v5 collection to a .insomnia folder?', 'No Insomnia v5 collection in this workspace.');
      return await convert(c, 'legacy', options);
    },
    exportCollection: async (node?: unknown, options: ExportOptions = {}) => {
      await store.whenComplete();
      const c = await collectionOf(node, (x) => x.scope === 'collection' || x.scope === 'design', 'Export which collection?', 'No collection in this workspace to export.');
      return await exportCollection(c, options);
    },
  };
}

/**
 * Where an export's save dialog starts: outside every folder Hammock reads collections from (`roots`). An Insomnia
 * export saved beside its collection is the same workspace a second time, with the same ids, for Hammock and for
 * Insomnia's Git Sync (`check --insomnia` warns of the two copies). The home folder when no root holds it, else the
 * first folder above a root that no root holds, else the system's temporary folder.
 */
export function exportFolder(roots: readonly string[], home: string): string {
  const inside = (dir: string) =>
    roots.some((root) => {
      const rel = path.relative(root, dir);
      return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
    });
  for (const dir of [home, ...roots.map((r) => path.dirname(r))]) if (!inside(dir)) return dir;
  return os.tmpdir();
}
