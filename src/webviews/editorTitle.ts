// The request editor tab's title. No 'vscode' here: tested as it is.

/** The method, then the name (once: an imported request is often named after its method, "POST /v1/orders"). */
export function editorTitle(method: string, name: string): string {
  const m = method.toUpperCase();
  const n = name || 'Request';
  return n.toUpperCase().startsWith(`${m} `) ? n : `${m} ${n}`;
}
