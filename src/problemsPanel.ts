// Shows the store's problems (malformed files, inconsistencies) in the Problems panel.
import * as vscode from 'vscode';
import type { Problem } from './collections/model';
import type { CollectionStore } from './collections/store';

export class ProblemsPanel implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('hammock');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: CollectionStore) {
    this.subscription = store.onDidChange((change) => {
      if (change.all || change.problems) this.update();
    });
    this.update();
  }

  private update(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of this.store.problems) {
      const list = byFile.get(problem.file) ?? [];
      list.push(toDiagnostic(problem));
      byFile.set(problem.file, list);
    }
    this.diagnostics.clear();
    this.diagnostics.set([...byFile].map(([file, list]) => [vscode.Uri.file(file), list]));
  }

  dispose(): void {
    this.subscription.dispose();
    this.diagnostics.dispose();
  }
}

function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const position = new vscode.Position(Math.max(problem.line, 0), Math.max(problem.column, 0));
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(position, position.translate(0, 1)),
    problem.message,
    problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'Hammock';
  return diagnostic;
}
