// What a changed file is, in Insomnia's terms, for the Source Control view: a legacy `.insomnia/<Type>/<id>.yml`
// file is the request (with its method), folder, environment or collection of that id (asked of the
// CollectionStore, or read from the file when the store does not know it, e.g. a deleted file); an Insomnia v5
// file is its collection, and its tooltip lists the requests the change adds, removes or changes. No 'vscode'.

import { legacyFolderOf } from '../collections/scan';
import { promises as fsp } from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { Collection, Item } from '../collections/model';
import type { Located } from '../collections/store';
import { INDEX_REF, type GitObjects } from '../git/gitObjects';
import { changedV5Items, type ItemChange } from './v5Changes';
import { conflictMarkerProblem } from '../collections/formats/fields';

export type ResourceGroupId = 'merge' | 'index' | 'workingTree';

export interface ResourceDescription {
  /** what the view shows: `POST Create user`, `Users` (a folder), the collection name, or the file name. */
  label: string;
  /** `request`, `folder`, `environment`, `collection`, `API spec`, ... or `file` for anything else. */
  what: string;
  /** lines for the tooltip (after the path and the change kind, which the adapter adds). */
  details: string[];
  /** a v5 file: the names of the items the change touches. */
  items?: string[];
}

export interface DescriberSources {
  /** what `id` is in the collection(s) at `collectionPath` (a `.insomnia` folder or a v5 file). */
  locate(collectionPath: string, id: string): Located | undefined;
  collections(): readonly Collection[];
}

const LEGACY = /(?:^|\/)\.insomnia\/([A-Za-z]+)\/([^/]+)\.ya?ml$/;
const V5_FIRST_LINE = /insomnia(\.rest)?\/5\.\d/;
const MAX_LISTED = 12;

const LEGACY_WHAT: Record<string, string> = {
  Workspace: 'collection',
  Request: 'request',
  GrpcRequest: 'request',
  WebSocketRequest: 'request',
  SocketIORequest: 'request',
  RequestGroup: 'folder',
  Environment: 'environment',
  ApiSpec: 'API spec',
  UnitTest: 'test',
  UnitTestSuite: 'test suite',
  ProtoFile: 'proto file',
  ProtoDirectory: 'proto folder',
  CookieJar: 'cookie jar',
  MockServer: 'mock server',
  MockRoute: 'mock route',
};

function badge(item: Item): string | undefined {
  switch (item.kind) {
    case 'request':
      return (item.method || 'GET').toUpperCase();
    case 'grpcRequest':
      return 'gRPC';
    case 'websocketRequest':
      return 'WS';
    case 'socketIORequest':
      return 'SIO';
    default:
      return undefined;
  }
}

function withBadge(name: string, b: string | undefined): string {
  return b ? `${b} ${name}` : name;
}

function typeBadge(type: string, method: unknown): string | undefined {
  switch (type) {
    case 'Request':
      return typeof method === 'string' && method ? method.toUpperCase() : 'GET';
    case 'GrpcRequest':
      return 'gRPC';
    case 'WebSocketRequest':
      return 'WS';
    case 'SocketIORequest':
      return 'SIO';
    default:
      return undefined;
  }
}

const CHANGE_MARK: Record<ItemChange['change'], string> = { added: '+', removed: '−', changed: '~' };

/** Describes one file; results for v5 files are cached by the blob ids / file stat they were computed from. */
export class ResourceDescriber {
  private readonly v5Cache = new Map<string, readonly ItemChange[] | string>();

  constructor(
    private readonly root: string,
    private readonly objects: GitObjects,
    private readonly sources: DescriberSources,
  ) {}

  /**
   * What a changed file holds, for messages that list files (a refused pull): `GET Find pets by status`, a folder's
   * name; a v5 file's collection and the items its uncommitted edits touch (HEAD to the file), the first three:
   * `Petstore: "Get a pet", "Log in", "Add a pet" and 2 more`. undefined for a file that holds no collection item.
   */
  async nameOf(relPath: string): Promise<string | undefined> {
    const d = await this.describe(relPath, 'merge').catch(() => undefined);
    const items = d?.items?.map((n) => `"${n}"`) ?? [];
    const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
    return d && d.what !== 'file' ? (items.length ? `${d.label}: ${items.slice(0, 3).join(', ')}${more}` : d.label) : undefined;
  }

  async describe(relPath: string, group: ResourceGroupId): Promise<ResourceDescription> {
    const legacy = LEGACY.exec(relPath);
    if (legacy) return this.describeLegacy(relPath, legacy[1], legacy[2], group);
    if (/\.ya?ml$/i.test(relPath)) {
      const v5 = await this.describeV5(relPath, group);
      if (v5) return v5;
    }
    return { label: path.posix.basename(relPath), what: 'file', details: [] };
  }

  private abs(relPath: string): string {
    return path.join(this.root, ...relPath.split('/'));
  }

  private async worktreeText(relPath: string): Promise<string | null> {
    try {
      return await fsp.readFile(this.abs(relPath), 'utf8');
    } catch {
      return null;
    }
  }

  /** The two sides a group compares: HEAD and the index for staged changes, the index and the file otherwise. */
  private async sides(relPath: string, group: ResourceGroupId): Promise<{ before: () => Promise<string | null>; after: () => Promise<string | null>; key: () => Promise<string> }> {
    if (group === 'index') {
      return {
        before: () => this.objects.readText('HEAD', relPath),
        after: () => this.objects.readText(INDEX_REF, relPath),
        key: async () => `${await this.objects.oidAt('HEAD', relPath)}:${await this.objects.oidAt(INDEX_REF, relPath)}`,
      };
    }
    const beforeRef = group === 'merge' ? 'HEAD' : INDEX_REF;
    return {
      before: () => this.objects.readText(beforeRef, relPath),
      after: () => this.worktreeText(relPath),
      key: async () => {
        const st = await fsp.stat(this.abs(relPath)).catch(() => undefined);
        return `${await this.objects.oidAt(beforeRef, relPath)}:${st ? `${st.size}:${st.mtimeMs}` : 'none'}`;
      },
    };
  }

  private async describeLegacy(relPath: string, type: string, id: string, group: ResourceGroupId): Promise<ResourceDescription> {
    const what = LEGACY_WHAT[type] ?? type;
    const dir = legacyFolderOf(this.abs(relPath));
    const located = dir === undefined ? undefined : this.sources.locate(dir, id);
    if (located) {
      const c = located.collection;
      switch (located.kind) {
        case 'item':
          return { label: withBadge(located.item.name, badge(located.item)), what, details: [`in ${c.name}`] };
        case 'environment':
          return { label: located.environment.name, what: located.isBase ? 'base environment' : 'environment', details: [`in ${c.name}`] };
        case 'collection':
          return { label: c.name, what: 'collection', details: [] };
      }
    }
    if (type === 'ApiSpec') {
      const owner = this.sources.collections().find((c) => c.spec?.id === id);
      if (owner) return { label: `${owner.name} (spec)`, what, details: [`in ${owner.name}`] };
    }
    // not in the store (deleted, or unreadable): the file says what it was
    // (the first that reads: a file with conflict markers in it does not, its committed side does)
    const s = await this.sides(relPath, group);
    let doc: Record<string, unknown> | undefined;
    for (const read of [s.after, s.before, () => this.objects.readText('HEAD', relPath)]) {
      const text = await read();
      doc = text === null ? undefined : safeLoad(text);
      if (doc) break;
    }
    const name = typeof doc?.name === 'string' ? doc.name : typeof doc?.fileName === 'string' ? doc.fileName : undefined;
    if (name) return { label: withBadge(name, typeBadge(type, doc?.method)), what, details: [] };
    return { label: path.posix.basename(relPath), what, details: [] };
  }

  private async describeV5(relPath: string, group: ResourceGroupId): Promise<ResourceDescription | undefined> {
    const abs = this.abs(relPath);
    const collection = this.sources.collections().find((c) => c.format === 'v5' && c.path === abs);
    const s = await this.sides(relPath, group);
    let name = collection?.name;
    let after: string | null | undefined;
    let before: string | null | undefined;
    if (!name) {
      // not loaded (deleted, unreadable, or not Insomnia): the first line tells whether it is a v5 file
      after = await s.after();
      before = await s.before();
      const text = after ?? before;
      if (text === null || !V5_FIRST_LINE.test(text.split('\n', 1)[0])) return undefined;
      const doc = safeLoad(text);
      name = typeof doc?.name === 'string' ? doc.name : path.posix.basename(relPath);
    }
    const key = `${group}:${relPath}:${await s.key()}`;
    let changes = this.v5Cache.get(key);
    if (changes === undefined) {
      if (after === undefined) after = await s.after();
      const marker = after === null ? undefined : conflictMarkerProblem(relPath, after);
      // the file does not read while it holds markers: listing its items as removed would say the opposite
      changes = marker ? `⚠ conflict markers from line ${marker.line + 1}: resolve them, then stage` : changedV5Items(before === undefined ? await s.before() : before, after);
      if (this.v5Cache.size > 200) this.v5Cache.clear();
      this.v5Cache.set(key, changes);
    }
    if (typeof changes === 'string') return { label: name, what: 'collection', details: [changes] };
    const details = changes.slice(0, MAX_LISTED).map((c) => `${CHANGE_MARK[c.change]} ${c.type === 'request' ? 'request' : c.type}: ${c.name}`);
    if (changes.length > MAX_LISTED) details.push(`… and ${changes.length - MAX_LISTED} more`);
    return { label: name, what: 'collection', details, items: changes.map((c) => c.name) };
  }
}

function safeLoad(text: string): Record<string, unknown> | undefined {
  try {
    const doc = yaml.load(text);
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
