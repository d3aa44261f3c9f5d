// The layering rules of docs/ARCHITECTURE.md, checked on the sources: the pure layers never import 'vscode', and
// isomorphic-git is imported only inside src/git (the repository model owns the client; the views render it).

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

const imports = (file: string, module: string): boolean =>
  new RegExp(`^\\s*(import|export)\\b[^;]*?from\\s+['"]${module.replace(/[-/]/g, '\\$&')}['"]|require\\(['"]${module}['"]\\)`, 'm').test(readFileSync(file, 'utf8'));

describe('layers: who may import what', () => {
  const all = sources(SRC).map((f) => path.relative(SRC, f).split(path.sep).join('/'));

  it('isomorphic-git is imported only under src/git', () => {
    const outside = all.filter((f) => !f.startsWith('git/') && imports(path.join(SRC, f), 'isomorphic-git'));
    assert.deepEqual(outside, []);
  });

  it("src/git, src/http and src/cli never import 'vscode'", () => {
    const pure = all.filter((f) => /^(git|http|cli)\//.test(f) && imports(path.join(SRC, f), 'vscode'));
    assert.deepEqual(pure, []);
  });
});
