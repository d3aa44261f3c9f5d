// The import preview: a webview (same conventions as the request editor: strict CSP, the UI bundle by nonce, every
// message validated) that shows what an import would write — the format, the counts, what is dropped and why, the
// warnings — and lets the user choose the target. Nothing is written until Import; Cancel or closing the panel
// writes nothing.
import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from '../webviews/webviewHtml';
import type { ImportSummaryView, ImportTargetChoice, PreviewNotification } from './importPreviewProtocol';
import { isPreviewCommand } from './importPreviewProtocol';

export const IMPORT_PREVIEW_VIEW_TYPE = 'hammock.importPreview';

/** Writes the import into the chosen target; a rejection is shown in the panel, which stays open. */
export type ImportWriter = (target: ImportTargetChoice) => Promise<void>;

export class ImportPreviewPanel implements vscode.Disposable {
  private ready = false;
  private settled = false;
  private writing = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private resolve!: (imported: boolean) => void;
  /** true once the import is written, false when cancelled (or the panel closed). */
  readonly result: Promise<boolean> = new Promise((r) => (this.resolve = r));
  /** the last error of a write, shown in the panel (tests read it). */
  lastError: string | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly summary: ImportSummaryView,
    private readonly write: ImportWriter,
    private readonly log: vscode.LogOutputChannel,
    extensionUri: vscode.Uri,
  ) {
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'importPreview', `Import ${summary.source}`);
    panel.webview.onDidReceiveMessage((msg) => void this.receive(msg), undefined, this.disposables);
    panel.onDidDispose(() => {
      this.disposed = true;
      // closed while writing: the write finishes and says how it went
      if (!this.writing) this.settle(false);
    }, undefined, this.disposables);
  }

  /** the page has loaded and asked for the summary. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Handles a message from the page (validated first); public for the tests, which post what the page would. */
  async receive(msg: unknown): Promise<void> {
    if (!isPreviewCommand(msg)) {
      this.log.warn('import preview: dropped an invalid message');
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'show', summary: this.summary });
        return;
      case 'cancel':
        if (this.writing) return;
        this.settle(false);
        this.panel.dispose();
        return;
      case 'import': {
        if (this.writing || this.settled) return;
        this.writing = true;
        this.post({ type: 'busy' });
        try {
          await this.write(msg.target);
        } catch (err) {
          this.lastError = err instanceof Error ? err.message : String(err);
          this.log.error(`import failed: ${err instanceof Error && err.stack ? err.stack : this.lastError}`);
          this.writing = false;
          if (this.disposed) this.settle(false);
          else this.post({ type: 'failed', message: this.lastError });
          return;
        }
        this.writing = false;
        this.settle(true);
        if (!this.disposed) this.panel.dispose();
        return;
      }
    }
  }

  private post(msg: PreviewNotification): void {
    if (!this.disposed) void this.panel.webview.postMessage(msg);
  }

  private settle(imported: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(imported);
  }

  dispose(): void {
    this.settle(false);
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The open preview (one at a time: a new import replaces it). */
export class ImportPreviews implements vscode.Disposable {
  private _current: ImportPreviewPanel | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {}

  get current(): ImportPreviewPanel | undefined {
    return this._current;
  }

  /** Shows the preview; resolves true when the import was written, false when the user cancelled. */
  show(summary: ImportSummaryView, write: ImportWriter): Promise<boolean> {
    this._current?.dispose();
    const panel = vscode.window.createWebviewPanel(IMPORT_PREVIEW_VIEW_TYPE, `Import: ${summary.source}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    const preview = new ImportPreviewPanel(panel, summary, write, this.log, this.extensionUri);
    this._current = preview;
    void preview.result.then(() => {
      if (this._current === preview) this._current = undefined;
    });
    return preview.result;
  }

  dispose(): void {
    this._current?.dispose();
  }
}
