// What a masked secret reads as: one text, written once, for every place that masks (the request editor's previews,
// the response history's files, the secret scan's previews, the Environments view's tooltips).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { maskSecret } from '../../../../src/collections/secrets/detect';
import { SECRET_MASK } from '../../../../src/collections/secrets/mask';
import { maskBytes, maskedJson } from '../../../../src/http';
import { maskSecrets, previewOf } from '../../../../src/webviews/requestVariables';

const SRC = path.resolve(__dirname, '../../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

describe('the secret mask', () => {
  it('is written in one place in the source (a string of bullets, or one repeated), outside comments', () => {
    const places: string[] = [];
    for (const file of sources(SRC)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(?:\/\/|\*|\/\*)/.test(line)) return;
        if (/['"`][^'"`]*••/.test(line) || /•['"`]\.repeat\(/.test(line)) places.push(`${path.relative(SRC, file)}:${i + 1}`);
      });
    }
    assert.deepEqual(places, ['collections/secrets/mask.ts:3']);
  });

  it('is what every masking shows', () => {
    assert.equal(previewOf('token', 'a-value', true), SECRET_MASK);
    assert.equal(maskSecrets('x s3cret-v4lue y', ['s3cret-v4lue']), `x ${SECRET_MASK} y`);
    assert.equal(maskBytes(Buffer.from('s3cret-v4lue'), ['s3cret-v4lue']).toString(), SECRET_MASK);
    assert.equal(JSON.parse(maskedJson({ secrets: ['s3cret-v4lue'], url: 's3cret-v4lue' } as never)).url, SECRET_MASK);
    assert.ok(maskSecret('ghp_0123456789abcdefghij0123456789abcdef', 'github-token').includes(SECRET_MASK));
  });
});
