// One item, environment or collection as readable YAML, the way it looks inside an Insomnia v5 file (whatever format
// it is stored in), for the side-by-side diff of a change between two commits. A comment line first names where it
// sits (so a move shows as a changed line); `created`/`modified` stamps are left out (they are never a change).
// Pure: no 'vscode' import.

import type { Mapping } from '../collections/convert/insomniaDocs';
import { writers } from '../collections/lazyWriters';
import type { BaseEnvironment, Collection, Environment, Item } from '../collections/model';
import type { ItemAtRef } from '../git/itemAtRef';

function shell(c: Collection, patch: Partial<Collection>): Collection {
  return {
    id: c.id, format: 'v5', path: c.path, name: c.name, description: c.description, scope: c.scope,
    children: [], problems: [], source: c.source, ...patch,
  };
}

function withoutStamps(value: Mapping): Mapping {
  const meta = value.meta;
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
    const { created: _c, modified: _m, ...rest } = meta as Mapping;
    return { ...value, meta: rest };
  }
  return value;
}

/** The v5 mapping of one request or folder (a folder without its children). */
export function itemObject(c: Collection, item: Item): Mapping {
  const alone = item.kind === 'folder' ? { ...item, children: [] } : item;
  const v5 = writers().collectionToV5Object(shell(c, { children: [alone as Item] }), { now: 0 });
  const out = { ...((v5.collection as Mapping[] | undefined)?.[0] ?? {}) };
  delete out.children;
  return withoutStamps(out);
}

/** The v5 mapping of a base environment (without its sub-environments) or of a sub-environment. */
export function environmentObject(c: Collection, env: Environment): Mapping {
  const isBase = c.baseEnvironment?.id === env.id;
  const base: BaseEnvironment = isBase
    ? { ...(env as BaseEnvironment), subEnvironments: [] }
    : { id: `${env.parentId}`, parentId: c.id, name: 'Base Environment', data: {}, color: null, sortKey: 0, isPrivate: false, source: env.source, subEnvironments: [env] };
  const v5 = writers().collectionToV5Object(shell(c, { baseEnvironment: base }), { now: 0 });
  const envs = (v5.environments ?? {}) as Mapping;
  if (isBase) {
    const { subEnvironments: _s, ...rest } = envs;
    return withoutStamps(rest);
  }
  return withoutStamps(((envs.subEnvironments as Mapping[] | undefined)?.[0] ?? {}) as Mapping);
}

/** The collection's own fields (name, description, scope, spec): what a change of entity `collection` is about. */
export function collectionObject(c: Collection): Mapping {
  const v5 = writers().collectionToV5Object(shell(c, { spec: c.spec }), { now: 0 });
  const out: Mapping = {};
  for (const k of ['type', 'name', 'meta', 'spec']) if (k in v5) out[k] = v5[k];
  return withoutStamps(out);
}

/** The text of a revision document: a `#` line saying where the object sits, then its YAML. */
export function renderRevision(found: ItemAtRef): string {
  const c = found.collection;
  let where: string;
  let value: Mapping;
  if (found.item) {
    where = [c.name, ...found.path, found.item.name].join(' / ');
    value = itemObject(c, found.item);
  } else if (found.environment) {
    const base = c.baseEnvironment;
    where = [c.name, 'environments', ...(base && base.id !== found.environment.id ? [base.name] : []), found.environment.name].join(' / ');
    value = environmentObject(c, found.environment);
  } else {
    where = c.name;
    value = collectionObject(c);
  }
  return `# ${where.replace(/[\r\n]+/g, ' ')}\n${writers().renderDocument(value)}`;
}
