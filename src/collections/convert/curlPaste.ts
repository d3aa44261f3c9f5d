// A cURL command pasted into a request's URL field: the fields it gives that request. Insomnia (up to 2023.4, its
// `request-url-bar.tsx` `handleImport`) imported a paste into the URL bar into the request itself: the first request
// of the paste replaced the request's url, method, parameters, headers, body and authentication, and kept its id, name,
// folder, description, scripts and settings; a paste that was not an import was pasted as text. Hammock does the same
// through the request editor's edit path (the fields here are one edit, written as a minimal diff: a field the command
// gives as it already is writes nothing), and adds the one setting a command says for itself: `-L` follows redirects.
// Pure: no 'vscode', no file system.

import type { RequestFieldsPatch } from '../edits';
import type { HttpRequest } from '../model';
import { walkItems } from '../model';
import { importCurl } from './importCurl';
import { ImportError } from './importTypes';

export interface CurlPaste {
  /** url, method, parameters, headers, body and authentication as the command gives them (`settings` for `-L`). */
  readonly fields: RequestFieldsPatch;
  /** what the command holds that the request cannot (options dropped, and why), and the importer's remarks. */
  readonly notes: string[];
}

/**
 * The fields the cURL command `text` gives the request it is pasted into. Throws `ImportError` (with the reason) when
 * the text is not a command the importer reads: nothing is to change then.
 */
export function curlPasteFields(text: string): CurlPaste {
  const result = importCurl(text);
  const requests = [...walkItems(result.collections.flatMap((c) => c.children))].filter((i): i is HttpRequest => i.kind === 'request');
  const first = requests[0];
  if (!first) throw new ImportError('The paste holds no request');
  const notes = [
    ...result.dropped.map((d) => `${d.count && d.count > 1 ? `${d.count} × ` : ''}${d.what}: ${d.why}`),
    ...result.warnings,
  ];
  if (requests.length > 1) {
    notes.unshift(`The paste holds ${requests.length} requests: the first (${first.method} ${first.url}) was put in this request; Import... makes a request of each.`);
  }
  const fields: RequestFieldsPatch = {
    method: first.method,
    url: first.url,
    parameters: first.parameters,
    headers: first.headers,
    body: first.body,
    authentication: first.authentication,
    ...(first.settings.followRedirects === 'on' ? { settings: { followRedirects: 'on' as const } } : {}),
  };
  return { fields, notes };
}
