// Text shown inside a MarkdownString (tooltips) as itself: every Markdown punctuation character escaped.

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/**
 * Text shown as inline code in a MarkdownString: a code span shows backslashes as they are (escapeMarkdown would
 * show `a\_b`), so the text goes in as it is, between backtick runs longer than any inside it.
 */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** How much of a text a tooltip shows (characters). */
export const TOOLTIP_MAX = 2000;

/**
 * At most `max` characters of `text` for a tooltip, cut at the last line break within them when there is one, with
 * "…" saying so. A tooltip is read, not searched; and Markdown of megabytes (a description pasted from a log)
 * overflowed the stack of VS Code's Markdown lexer when the tree item was sent, and the tree showed nothing.
 */
export function clipForTooltip(text: string, max = TOOLTIP_MAX): string {
  if (text.length <= max) return text;
  const line = text.lastIndexOf('\n', max);
  return `${text.slice(0, line > max / 2 ? line : max)}\n…`;
}
