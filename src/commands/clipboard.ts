// The clipboard, read to offer what the user copied (a URL, a cURL command) as a suggestion. No 'vscode' here: the
// callers pass VS Code's (`env.uiKind` and `env.clipboard.readText`), the tests a fake.

export interface ClipboardAccess {
  /** VS Code runs in a browser (code-server, vscode.dev, github.dev): `env.uiKind === UIKind.Web`. */
  readonly web: boolean;
  readText(): Thenable<string>;
}

/**
 * What the clipboard holds, read for a suggestion the user did not ask for: '' in a browser, where every read asks
 * the browser's permission (a prompt, or when it is refused an error notification at each use: "Unable to read from
 * the browser's clipboard"); '' too when the read fails or takes longer than `waitMs` (a prompt nobody answers).
 */
export function peekClipboard(access: ClipboardAccess, waitMs: number): Promise<string> {
  return access.web ? Promise.resolve('') : readClipboard(access, waitMs);
}

/** What the clipboard holds, read because the user chose it ('' when it cannot be read within `waitMs`). */
export function readClipboard(access: ClipboardAccess, waitMs: number): Promise<string> {
  return new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve(''), waitMs);
    Promise.resolve()
      .then(() => access.readText())
      .then(
        (text) => resolve(text.trim()),
        () => resolve(''),
      )
      .finally(() => clearTimeout(timer));
  });
}
