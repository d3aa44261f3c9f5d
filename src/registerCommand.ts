// Kept for the imports of the features: the one registration mechanism is the command center (commands/commandCenter.ts).
import { commandCenter } from './commands/commandCenter';

export { Cancelled, registerCommand } from './commands/commandCenter';

/** Sets what is told, before any Hammock command runs, which one (activate() opens the work gate with it). */
export function onWillRunCommand(listener: ((id: string) => void) | undefined): void {
  commandCenter.configure({ onWillRun: listener });
}

/** Tells the listener that `id` is about to run; for the few commands registered without registerCommand. */
export function willRunCommand(id: string): void {
  commandCenter.willRunCommand(id);
}
