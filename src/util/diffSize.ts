// Whether a diff (or a virtual document) is too large to show in VS Code's editor. VS Code refuses a file: URI over
// its large-file limit (10 MB for a remote window, code-server's case) with "very large"; a Hammock virtual document
// (`hammock-rev:`, `hammock-git:`) bypasses that check, and a multi-megabyte one-line text then breaks the diff
// editor ("Maximum call stack size exceeded", an empty diff). So before opening one, the sides are measured here.
// Pure: no `vscode`.

/**
 * The largest side (in UTF-8 bytes) Hammock opens in the diff editor: VS Code's own limit for a file of a remote
 * window (`getLargeFileConfirmationLimit`, 10 MB; code-server is such a window), so a diff is refused where VS Code
 * refuses the file. Measured in code-server: one-line texts of one repeated character, 2 to 24 MB, opened in the
 * diff editor without a page error, so where it breaks below 24 MB depends on the text; VS Code's limit is the rule.
 */
export const DIFF_SIZE_LIMIT = 10 * 1024 * 1024;

export interface DiffSideSize {
  /** e.g. `abc1234`, `HEAD`, `working tree`. */
  readonly label: string;
  readonly bytes: number;
}

/** The largest side over `limit`, or undefined when the diff can be shown. */
export function oversizedSide(sides: readonly DiffSideSize[], limit = DIFF_SIZE_LIMIT): DiffSideSize | undefined {
  let worst: DiffSideSize | undefined;
  for (const s of sides) if (s.bytes > limit && (!worst || s.bytes > worst.bytes)) worst = s;
  return worst;
}

/** `512 bytes`, `3.4 KB`, `24.0 MB` (1024-based, as VS Code shows file sizes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let n = bytes / 1024;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n.toFixed(1)} ${units[u]}`;
}

/** The message shown instead of a diff too large to open. */
export function tooLargeMessage(name: string, side: DiffSideSize, limit = DIFF_SIZE_LIMIT): string {
  return `"${name}" is too large to show as a diff: ${side.label} is ${formatSize(side.bytes)} (the limit is ${formatSize(limit)}). Nothing was changed.`;
}
