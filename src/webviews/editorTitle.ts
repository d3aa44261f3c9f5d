// A request's title, in the Collections view and on its editor tab. No 'vscode' here: tested as it is.

/**
 * The badge (the method in capitals, `gRPC`, ...), then the name; the badge once when the name starts with it as the
 * badge writes it (`GET /users`, as imports name requests): `Get a pet` is a name like any other.
 */
export function titled(badge: string, name: string): string {
  return name.startsWith(`${badge} `) ? name : `${badge} ${name || 'Request'}`;
}

/** An HTTP request's title: what its tree row shows. */
export const editorTitle = (method: string, name: string): string => titled((method || 'GET').toUpperCase(), name);
