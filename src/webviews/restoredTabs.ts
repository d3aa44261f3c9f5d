// After a window reload VS Code brings a request editor back (the panel serializer) only when its tab is shown: until
// then the tab is there but no RequestEditorPanel is. Opening that request again (the Collections view, Open
// Request) must not give it a second tab: the tab left from before the reload is found by its title and replaced.
// No 'vscode' here: tested as it is.

/** What is read of a tab: its title, and for a webview the view type VS Code reports (`mainThreadWebview-<type>`). */
export interface TabSummary {
  readonly label: string;
  readonly webviewType?: string;
}

/** Whether a tab's reported webview type is `viewType` (VS Code prefixes the extension's own). */
export function isWebviewOf(reported: string | undefined, viewType: string): boolean {
  return reported !== undefined && (reported === viewType || reported.endsWith(`-${viewType}`));
}

/**
 * The tab of a `viewType` panel titled `title` that no open panel accounts for (`openTitles`: the titles of the
 * panels the extension holds), when there is exactly one such tab and no open panel has that title: the request
 * editor restored by VS Code but not revived yet. Undefined otherwise, and when `titled` (how many requests of the
 * workspace that title names) is more than one: the tab may be another request's (a `GET Users` in two collections),
 * and is left alone.
 */
export function unrevivedTab<T extends TabSummary>(tabs: readonly T[], viewType: string, title: string, openTitles: readonly string[], titled = 1): T | undefined {
  if (titled > 1 || openTitles.includes(title)) return undefined;
  const candidates = tabs.filter((t) => isWebviewOf(t.webviewType, viewType) && t.label === title);
  return candidates.length === 1 ? candidates[0] : undefined;
}
