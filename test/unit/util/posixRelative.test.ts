import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDirectory, posixRelative } from '../../../src/util/posixRelative';

describe('posixRelative and isDirectory', () => {
  it('gives a path relative to the folder with / separators, and . for the folder itself', () => {
    const dir = path.resolve('/tmp', 'ws');
    assert.equal(posixRelative(dir, path.join(dir, 'a', 'b.yaml')), 'a/b.yaml');
    assert.equal(posixRelative(dir, dir), '.');
    assert.equal(posixRelative(path.join(dir, 'a'), path.join(dir, 'c')), '../c');
  });

  it('is true for a folder only, false for a file or a missing path', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-posixRelative-'));
    try {
      const file = path.join(tmp, 'f.txt');
      fs.writeFileSync(file, 'x');
      assert.equal(isDirectory(tmp), true);
      assert.equal(isDirectory(file), false);
      assert.equal(isDirectory(path.join(tmp, 'missing')), false);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
