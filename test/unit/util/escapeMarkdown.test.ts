import { strict as assert } from 'node:assert';
import { clipForTooltip, escapeMarkdown, markdownCode, TOOLTIP_MAX } from '../../../src/util/escapeMarkdown';

describe('escapeMarkdown', () => {
  it('escapes every Markdown punctuation character and leaves the rest', () => {
    assert.equal(escapeMarkdown('a_b *c* [d](e) #1 <x> `y` |z| !+-.{}\\'), 'a\\_b \\*c\\* \\[d\\]\\(e\\) \\#1 \\<x\\> \\`y\\` \\|z\\| \\!\\+\\-\\.\\{\\}\\\\');
    assert.equal(escapeMarkdown('plain text 123'), 'plain text 123');
  });
});

describe('markdownCode', () => {
  it('puts the text in a code span as it is (a code span shows backslashes), fenced past any backticks in it', () => {
    assert.equal(markdownCode('api/petstore_v5.yaml'), '`api/petstore_v5.yaml`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('`x``'), '``` `x`` ```');
  });
});

describe('clipForTooltip', () => {
  it('keeps a short text as it is, and cuts a long one at a line break within the limit, saying so', () => {
    assert.equal(clipForTooltip('a description'), 'a description');
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const clipped = clipForTooltip(lines, 100);
    assert.ok(clipped.length <= 102, `${clipped.length} characters`);
    assert.ok(clipped.endsWith('\n…'));
    assert.ok(lines.startsWith(clipped.slice(0, -2)), 'the start of the text, whole lines');
    assert.ok(/line \d+\n…$/.test(clipped), 'cut at a line break');
  });

  it('a 24 MB line (no line break) is cut at the limit: the tooltip stays small', () => {
    const clipped = clipForTooltip('x'.repeat(24 * 1024 * 1024));
    assert.equal(clipped, `${'x'.repeat(TOOLTIP_MAX)}\n…`);
  });
});
