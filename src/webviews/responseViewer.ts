// The response viewer: one panel beside the editors, showing the latest response of the request last sent (or
// opened), with its history (the last responses, from `ResponseHistory`) browsable. Actions: Open in Editor,
// Save Body As..., Copy as cURL. The body goes to the UI as text (cut at MAX_VIEW_TEXT) or as an image data URI.
import * as vscode from 'vscode';
import type { HistoryItemView, PanelState, ResponseView, ViewerNotification } from './protocol';
import { isPanelState, parseViewerCommand } from './protocol';
import type { ResponseRecord } from './responseHistory';
import { onPageDropped, webviewHtml, webviewOptions } from './webviewHtml';

export const RESPONSE_VIEW_TYPE = 'hammock.responseViewer';

/** Text bodies longer than this are cut in the panel ("Open in Editor" shows all). */
export const MAX_VIEW_TEXT = 256 * 1024;

export function contentTypeOf(record: ResponseRecord): string {
  return record.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
}

/** The VS Code language of a body by its content type. */
export function languageOf(contentType: string): string {
  const ct = contentType.toLowerCase();
  if (ct.includes('json')) return 'json';
  if (ct.includes('html')) return 'html';
  if (ct.includes('xml')) return 'xml';
  if (ct.includes('javascript')) return 'javascript';
  if (ct.includes('css')) return 'css';
  if (ct.includes('yaml')) return 'yaml';
  return 'plaintext';
}

function isTextType(ct: string): boolean {
  const c = ct.toLowerCase();
  return c === '' || c.startsWith('text/') || /json|xml|javascript|yaml|html|x-www-form-urlencoded|graphql/.test(c);
}

export function toView(record: ResponseRecord): ResponseView {
  const contentType = contentTypeOf(record);
  let bodyKind: ResponseView['bodyKind'] = 'text';
  let body = '';
  let truncated = record.bodyCut;
  if (record.error !== undefined || !record.bodyBase64) {
    bodyKind = 'none';
  } else if (/^image\/(png|jpeg|gif|webp|bmp|x-icon|vnd\.microsoft\.icon)/i.test(contentType)) {
    bodyKind = 'image';
    body = `data:${contentType.split(';')[0]};base64,${record.bodyBase64}`;
  } else if (isTextType(contentType)) {
    // only what can be shown is decoded (6 bytes a character shown: a UTF-8 character is at most 4), not MBs at once
    const text = Buffer.from(record.bodyBase64.slice(0, 8 * MAX_VIEW_TEXT), 'base64').toString('utf8');
    truncated = truncated || text.length > MAX_VIEW_TEXT;
    body = text.slice(0, MAX_VIEW_TEXT);
  } else {
    bodyKind = 'binary';
  }
  return {
    requestName: record.requestName,
    method: record.method,
    url: record.url,
    status: record.status,
    statusText: record.statusText,
    elapsedMs: record.elapsedMs,
    size: record.size,
    receivedAt: record.receivedAt,
    headers: record.headers,
    contentType,
    bodyKind,
    body,
    truncated,
    cookies: record.cookies,
    timeline: record.timeline,
    error: record.error,
    tests: record.tests ?? [],
    console: record.console ?? [],
    scriptError: record.scriptError,
    skipped: record.skipped,
    masked: record.masked,
  };
}

function keyOf(owner: PanelState): string {
  return `${owner.collectionPath}#${owner.requestId}`;
}

export class ResponseViewer implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private records: readonly ResponseRecord[] = [];
  private index = 0;
  private owner: PanelState | undefined;
  /** what is shown is a tried response (Review's Try): the branch's, in no request's history. */
  private tried = false;
  /**
   * the requests on their way, by the number `pending` gave each (two can be, from two editors; and a Send of a
   * request and Review's Try of its branch's version are two of the same request), said again after each response
   * shown (a page shows one response: posting it takes the word away) and to a page loaded meanwhile (a hidden tab's
   * page is dropped).
   */
  private readonly sendingNames = new Map<number, string>();
  /** how many Sends were started (pending), and the number of the one whose response was last shown (showSent). */
  private sends = 0;
  private shownSend = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];
  /** what the UI was last told (for tests and the screenshot script). */
  lastPosted: Extract<ViewerNotification, { type: 'response' }> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** the records of a request, newest first (for a panel brought back after a reload). */
    private readonly historyOf: (state: PanelState) => Promise<readonly ResponseRecord[]>,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(RESPONSE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          this.attach(panel);
          if (isPanelState(state)) await this.show(state, await this.historyOf(state), false);
        },
      }),
    );
  }

  get current(): ResponseRecord | undefined {
    return this.records[this.index];
  }

  /**
   * `collectionPath#requestId` of the request whose history is shown, if any (none for a tried response: the branch's
   * version is not the request's, and its response is in no history).
   */
  get ownerKey(): string | undefined {
    return this.owner && !this.tried ? keyOf(this.owner) : undefined;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** the page has loaded and said `ready` (what it shows is what was last posted). */
  get isReady(): boolean {
    return this.panel !== undefined && this.ready;
  }

  /**
   * Shows the request's records (newest first), the newest selected; opens the panel beside when needed. `tried`: a
   * response of Review's Try, which is not the request's history.
   */
  async show(owner: PanelState, records: readonly ResponseRecord[], reveal = true, tried = false): Promise<void> {
    this.owner = owner;
    this.tried = tried;
    this.records = records;
    this.index = 0;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        RESPONSE_VIEW_TYPE,
        'Response',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        webviewOptions(this.extensionUri),
      );
      this.attach(panel);
    } else if (reveal) {
      this.panel.reveal(undefined, true);
    }
    this.post();
  }

  /**
   * Says a request is on its way (the panel shows a progress bar); what is shown, and whose it is (`ownerKey`), stay
   * until a response is. Returns the Send's number, for showSent and settle.
   */
  pending(requestName: string): number {
    const send = ++this.sends;
    this.sendingNames.set(send, requestName);
    if (this.panel && this.ready) void this.postMessage({ type: 'pending', requestName });
    return send;
  }

  /**
   * Shows the response of Send number `send` (what `pending` returned) as `show` does, unless the response of a later
   * Send was shown already: the result of an older Send (its failure, its cancellation, a slow answer) does not replace
   * a newer one. It is in its request's history: shown in place only when the viewer shows that request's history.
   * `tried`: the response of Review's Try (in no history: never shown in place of a newer one).
   */
  async showSent(owner: PanelState, records: readonly ResponseRecord[], send: number, tried = false): Promise<void> {
    if (send > this.shownSend) {
      this.shownSend = send;
      return this.show(owner, records, true, tried);
    }
    if (!tried && this.ownerKey === keyOf(owner)) return this.show(owner, records, false);
    // (the page stops saying it is on its way)
    this.post();
  }

  /**
   * Send number `send` (what `pending` returned) ended: its response is shown next (`repost` false: that post says the
   * others), or it ended without one (it threw): the page stops saying it is on its way. The others on their way,
   * of the same request too, are still said.
   */
  settle(send: number, repost = true): void {
    if (this.sendingNames.delete(send) && repost) this.post();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panelDisposables.forEach((d) => d.dispose());
    this.panel = panel;
    this.ready = false;
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'response', 'Response');
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((msg) => void this.receive(msg)),
      // hidden, its page is gone: not ready until a new page says so (what was posted meanwhile, `post()` sends then)
      onPageDropped(panel, () => (this.ready = false)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.panelDisposables.forEach((d) => d.dispose());
        this.panelDisposables = [];
      }),
    ];
  }

  /** Handles a message from the UI (validated first); public for the tests, which post what the UI would. */
  async receive(msg: unknown): Promise<void> {
    const cmd = parseViewerCommand(msg);
    if (!cmd) {
      this.log.warn(`response viewer: dropped an invalid message`);
      return;
    }
    try {
      switch (cmd.type) {
        case 'ready':
          this.ready = true;
          this.post();
          return;
        case 'showHistory':
          if (cmd.index < this.records.length) {
            this.index = cmd.index;
            this.post();
          }
          return;
        case 'openInEditor':
          await this.openInEditor();
          return;
        case 'saveBodyAs':
          return await this.saveBodyAs();
        case 'copyAsCurl':
          if (this.current) {
            await vscode.env.clipboard.writeText(this.current.curl);
            void vscode.window.setStatusBarMessage('Hammock: cURL command copied', 3000);
          }
          return;
      }
    } catch (err) {
      this.log.error('response viewer', err);
      void vscode.window.showErrorMessage(`Hammock: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async openInEditor(): Promise<vscode.TextDocument | undefined> {
    const record = this.current;
    if (!record) return undefined;
    if (record.bodyFile) {
      // the whole body of a large response, as the HTTP engine spilled it to disk
      try {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(record.bodyFile));
        await vscode.languages.setTextDocumentLanguage(doc, languageOf(contentTypeOf(record)));
        await vscode.window.showTextDocument(doc, { preview: true });
        return doc;
      } catch {
        // gone (temp files do not outlive the machine): the stored part below
      }
    }
    let content = Buffer.from(record.bodyBase64, 'base64').toString('utf8');
    const language = languageOf(contentTypeOf(record));
    if (language === 'json') {
      try {
        content = JSON.stringify(JSON.parse(content), null, 2);
      } catch {
        // not valid JSON: as received
      }
    }
    const doc = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  private async saveBodyAs(): Promise<void> {
    const record = this.current;
    if (!record) return;
    const target = await vscode.window.showSaveDialog({ saveLabel: 'Save Body' });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(record.bodyBase64, 'base64'));
  }

  private post(): void {
    if (!this.panel) return;
    const record = this.current;
    this.panel.title = record ? `Response: ${record.requestName}` : 'Response';
    const history: HistoryItemView[] = this.records.map((r, index) => ({
      index,
      label: `${new Date(r.receivedAt).toLocaleTimeString()}  ${r.error ? 'Error' : r.status} ${r.method}  ${Math.round(r.elapsedMs)} ms${r.tests?.length ? `  tests ${r.tests.filter((t) => t.status === 'passed').length}/${r.tests.length}` : ''}`,
    }));
    const message = { type: 'response' as const, response: record && toView(record), history, index: this.index };
    this.lastPosted = message;
    if (this.ready) {
      void this.postMessage(message);
      for (const requestName of this.sendingNames.values()) void this.postMessage({ type: 'pending', requestName });
    }
    // the panel remembers only which request it shows (no response data, no secrets)
    if (this.owner) void this.postMessage({ type: 'persist', state: this.owner });
  }

  private postMessage(message: ViewerNotification): Thenable<boolean> {
    return this.panel ? this.panel.webview.postMessage(message) : Promise.resolve(false);
  }

  dispose(): void {
    this.panel?.dispose();
    this.panelDisposables.forEach((d) => d.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
