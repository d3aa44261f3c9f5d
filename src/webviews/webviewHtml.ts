// The HTML shell of every Hammock webview: a strict CSP (`default-src 'none'`, the one script by nonce, styles,
// fonts and images from the webview's own source), the built UI bundle from `dist/webview`, and nothing else.
// No workspace string goes into this HTML: the UI gets its data by message after the `ready` handshake.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The folder the built webview UI lives in; the only local resource root of every panel. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [webviewRoot(extensionUri)] };
}

/**
 * Calls `dropped` when `panel`'s page is gone: hidden, VS Code drops a webview's page (no retainContextWhenHidden), and
 * shown again a new page loads and says `ready` (in code-server it may never load: its webview host can wait forever
 * for the service worker's `controllerchange`). Until then the host must not post to it as if it were ready.
 */
export function onPageDropped(panel: vscode.WebviewPanel, dropped: () => void): vscode.Disposable {
  return panel.onDidChangeViewState(() => {
    if (!panel.visible) dropped();
  });
}

export function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** The page of `entry` (`editor`, `response`, `importPreview` or `environments`: `dist/webview/<entry>.js` and `.css`). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: 'editor' | 'response' | 'importPreview' | 'environments', title: string): string {
  const root = webviewRoot(extensionUri);
  const n = nonce();
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${n}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('codicons/codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${uri(`${entry}.css`)}">
<title>${esc(title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${n}" src="${uri(`${entry}.js`)}"></script>
</body>
</html>`;
}
