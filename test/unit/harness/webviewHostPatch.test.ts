// The test harness's patch of code-server's webview host page (test/support/webviewHostPatch.mjs): the service
// worker's script URL loses the page's id, the page's CSP hash of its inline script is that of the new script (else
// Chromium would not run it and no webview would load), and patching again changes nothing.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

type Patch = { patchWebviewHostHtml(html: string, o: { csp: boolean }): string };
const load = async (): Promise<Patch> =>
  (await import(pathToFileURL(path.join(__dirname, '..', '..', 'support', 'webviewHostPatch.mjs')).href)) as Patch;

const script = (swLine: string) => `
		const searchParams = new URL(location.toString()).searchParams;
		const ID = searchParams.get('id');
		${swLine}
		navigator.serviceWorker.register(swPath);
	`;
const STOCK_SW = "const swPath = encodeURI(`service-worker.js?v=${expectedWorkerVersion}&vscode-resource-base-authority=${searchParams.get('vscode-resource-base-authority')}&id=${ID}&remoteAuthority=${searchParams.get('remoteAuthority') ?? ''}`);";
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('base64');
const page = (body: string, hash = sha(body)) => `<!DOCTYPE html>
<html lang="en">
<head>
	<meta http-equiv="Content-Security-Policy"
		content="default-src 'none'; script-src 'sha256-${hash}' 'self'; frame-src 'self';">
</head>
<body>
	<script async type="module">${body}</script>
</body>
</html>
`;
const inline = (html: string) => /<script async type="module">([\s\S]*?)<\/script>/.exec(html)![1];
const cspHash = (html: string) => /script-src 'sha256-([^']+)'/.exec(html)![1];

describe('test harness: code-server webview host page patch', () => {
  it('registers the service worker without the page id and sets the CSP hash of the changed inline script', async () => {
    const { patchWebviewHostHtml } = await load();
    const stock = page(script(STOCK_SW));
    const patched = patchWebviewHostHtml(stock, { csp: true });
    assert.ok(!patched.includes('&id=${ID}'));
    assert.ok(inline(patched).includes('&vscode-resource-base-authority=${searchParams.get(\'vscode-resource-base-authority\')}&remoteAuthority='));
    assert.notEqual(cspHash(patched), cspHash(stock));
    assert.equal(cspHash(patched), sha(inline(patched)));
    // the page's own id (which the worker routes a page's requests by) is still read from its URL
    assert.ok(inline(patched).includes("const ID = searchParams.get('id');"));
  });

  it('is idempotent', async () => {
    const { patchWebviewHostHtml } = await load();
    const once = patchWebviewHostHtml(page(script(STOCK_SW)), { csp: true });
    assert.equal(patchWebviewHostHtml(once, { csp: true }), once);
  });

  it('the page without a CSP (index-no-csp.html) gets the same change', async () => {
    const { patchWebviewHostHtml } = await load();
    const stock = `<!DOCTYPE html>\n<html><body><script async type="module">${script(STOCK_SW)}</script></body></html>\n`;
    const patched = patchWebviewHostHtml(stock, { csp: false });
    assert.ok(!patched.includes('&id=${ID}'));
    assert.equal(patchWebviewHostHtml(patched, { csp: false }), patched);
  });

  it('refuses a page it does not know (another code-server), leaving the caller to run unpatched', async () => {
    const { patchWebviewHostHtml } = await load();
    assert.throws(() => patchWebviewHostHtml(page(script("const swPath = 'service-worker.js?v=5';")), { csp: true }), /not the code-server page/);
    const two = page(script(STOCK_SW)).replace('</body>', '<script async type="module">x</script></body>');
    assert.throws(() => patchWebviewHostHtml(two, { csp: true }), /one inline module script/);
  });
});
