// Text shown inside a MarkdownString (tooltips) as itself: every Markdown punctuation character escaped.

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
