// Whether a text is a cURL command, on its own so that the request editor's page can tell a pasted command from a
// URL without bundling the importer (importCurl.ts). Pure, no imports.

/** Whether a text is a cURL paste: its first line that is not blank or a `#` comment starts with `curl` (or `$ curl`). */
export function isCurlText(text: string): boolean {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    return /^(\$\s+)?curl(\.exe)?(\s|$|\^|\\)/i.test(line);
  }
  return false;
}
