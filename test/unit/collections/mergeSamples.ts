// Sample Insomnia data for the merge tests: a v5 collection as Insomnia writes it, and one person's edit of it.

import { renderYamlDocument, YamlEditor } from '../../../src/collections/yamlEdit';

export function request(id: string, name: string, url: string, sortKey: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    url,
    name,
    meta: { id, created: 1000, modified: 1000, isPrivate: false, description: '', sortKey },
    method: 'GET',
    headers: [{ name: 'Accept', value: 'application/json' }],
    ...extra,
    settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', cookies: { send: true, store: true }, rebuildPath: true },
  };
}

/** A v5 collection as Insomnia writes it: a folder with two requests, two top-level requests, environments. */
export function baseV5(): string {
  return renderYamlDocument({
    type: 'collection.insomnia.rest/5.0',
    schema_version: '5.1',
    name: 'Demo',
    meta: { id: 'wrk_1', created: 1000, modified: 1000, description: '' },
    collection: [
      {
        name: 'Users',
        meta: { id: 'fld_1', created: 1000, modified: 1000, sortKey: -10, description: '' },
        children: [
          request('req_1', 'Get user', 'https://api.example.com/users/1', -9),
          request('req_2', 'Create user', 'https://api.example.com/users', -8, { method: 'POST', body: { mimeType: 'application/json', text: '{"name": "a"}' } }),
        ],
      },
      request('req_3', 'Health', 'https://api.example.com/health', -7),
      request('req_4', 'Version', 'https://api.example.com/version', -6),
    ],
    environments: {
      name: 'Base Environment',
      meta: { id: 'env_1', created: 1000, modified: 1000, isPrivate: false },
      data: { base_url: 'https://api.example.com', token: 'abc' },
      subEnvironments: [
        { name: 'Dev', meta: { id: 'env_2', created: 1000, modified: 1000, isPrivate: false, sortKey: 1 }, data: { base_url: 'http://localhost' } },
        { name: 'Prod', meta: { id: 'env_3', created: 1000, modified: 1000, isPrivate: false, sortKey: 2 }, data: { base_url: 'https://prod' } },
      ],
    },
  });
}

/** One person's edit of a text, as Hammock's writer makes it (minimal YAML splices). */
export function edit(text: string, fn: (e: YamlEditor) => void): string {
  const e = new YamlEditor(text);
  fn(e);
  return e.toString();
}
