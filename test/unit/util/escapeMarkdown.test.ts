import { strict as assert } from 'node:assert';
import { escapeMarkdown, markdownCode } from '../../../src/util/escapeMarkdown';

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
