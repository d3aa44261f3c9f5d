// How a run's error reads in one line: its stage, then its message; unless the message already names the stage, as a
// script's error does ("pre-request script of request "Login", line 3:14: TypeError: ..."), where the stage in front
// would say it twice. Pure, no imports: the extension's main bundle, the lazy ones and the CLI share it.

/** `message`, after `stage: ` unless it starts with the stage (any case). */
export function describeRunError(error: { readonly stage: string; readonly message: string }): string {
  return error.message.toLowerCase().startsWith(error.stage.toLowerCase()) ? error.message : `${error.stage}: ${error.message}`;
}
