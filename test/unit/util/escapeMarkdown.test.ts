import { strict as assert } from 'node:assert';
import { escapeMarkdown } from '../../../src/util/escapeMarkdown';

describe('escapeMarkdown', () => {
  it('escapes every Markdown punctuation character and leaves the rest', () => {
    assert.equal(escapeMarkdown('a_b *c* [d](e) #1 <x> `y` |z| !+-.{}\\'), 'a\\_b \\*c\\* \\[d\\]\\(e\\) \\#1 \\<x\\> \\`y\\` \\|z\\| \\!\\+\\-\\.\\{\\}\\\\');
    assert.equal(escapeMarkdown('plain text 123'), 'plain text 123');
  });
});
