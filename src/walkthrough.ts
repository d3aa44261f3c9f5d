// The Getting Started walkthrough (package.json contributes.walkthroughs): opened once, on Hammock's first
// activation, unless the user asked VS Code not to open walkthroughs of newly installed extensions
// (workbench.welcomePage.walkthroughs.openOnInstall). Always there under Help > Welcome.
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'hammock.hammock#gettingStarted';
const SHOWN_KEY = 'hammock.walkthroughShown';

export function showWalkthroughOnce(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  if (context.globalState.get<boolean>(SHOWN_KEY)) return;
  void context.globalState.update(SHOWN_KEY, true);
  if (!vscode.workspace.getConfiguration('workbench').get<boolean>('welcomePage.walkthroughs.openOnInstall', true)) return;
  void Promise.resolve(vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)).catch((err) =>
    log.warn(`could not open the walkthrough: ${err instanceof Error ? err.message : String(err)}`),
  );
}
