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
