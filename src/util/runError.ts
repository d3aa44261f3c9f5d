// How an error of a run (src/http/run) reads in one line: its stage, then its message; unless the message already
// names the stage, as a script's error does ("pre-request script of request "Login", line 3:14: TypeError: ..."),
// where the stage in front would say it twice. Pure, no imports: the main bundle, the lazy ones and the CLI share it
// (here, not under src/http, which activation must not load).

/** `message`, after `stage: ` unless it starts with the stage (any case). */
export function describeRunError(error: { readonly stage: string; readonly message: string }): string {
  return error.message.toLowerCase().startsWith(error.stage.toLowerCase()) ? error.message : `${error.stage}: ${error.message}`;
}
