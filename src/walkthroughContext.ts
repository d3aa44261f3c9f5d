// Context keys Hammock sets for its walkthrough's steps that a person completes without a command VS Code sees run:
// a Send from the request editor's page runs no command, and a command run from a notification's button runs in
// the extension host, where the workbench's onCommand completion events do not see it (package.json's
// walkthroughs list them as `onContext:` events). No 'vscode' import: package.test.ts checks the manifest names them.

/** Set once a request was sent: the step "Edit and send a request". */
export const SENT_CONTEXT = 'hammock.requestSent';

/** Set once sync was set up: the step "Set up sync". */
export const SYNC_SET_UP_CONTEXT = 'hammock.syncSetUp';
