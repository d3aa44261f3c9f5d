// The operation modules of src/git/ops (docs/ARCHITECTURE.md): each is a function over the shared context, and an
// operation may call another, but the modules form a tree, not a cycle (a cycle is resolved by the bundle by handing
// one side an unfinished module). The Repository model is above them: it calls the ops at run time, so they import it
// for its types only.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const OPS = path.resolve(__dirname, '../../../../src/git/ops');

/** The relative modules a source imports at run time (not `import type` / `export type`), as paths under src/git. */
function runtimeImports(source: string, fromDir: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+['"](\.[^'"]+)['"]/gms)) {
    if (m[2]) continue;
    out.push(path.resolve(fromDir, m[4]));
  }
  return out;
}

/** A cycle in `graph` (module -> modules it imports), or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const next of graph.get(n) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('git/ops: the operation modules', () => {
  const files = readdirSync(OPS).filter((f) => f.endsWith('.ts'));
  const graph = new Map(files.map((f) => [path.join(OPS, f.replace(/\.ts$/, '')), runtimeImports(readFileSync(path.join(OPS, f), 'utf8'), OPS)]));

  it('the moved operations are there (a check that the listing below reads real modules)', () => {
    for (const m of ['gitCore', 'context', 'branches', 'checkout', 'commit', 'stage', 'history', 'tracking', 'mergeState', 'setUpSync', 'merge', 'previewPull', 'mergeInEditor']) {
      assert.ok(graph.has(path.join(OPS, m)), `src/git/ops/${m}.ts`);
    }
  });

  it('import the Repository model for its types only', () => {
    const offenders = [...graph].filter(([, deps]) => deps.some((d) => /[\\/]git[\\/]repository$/.test(d))).map(([f]) => path.basename(f));
    assert.deepEqual(offenders, []);
  });

  it('do not import each other in a cycle', () => {
    const ops = new Map([...graph].map(([f, deps]) => [f, deps.filter((d) => graph.has(d))]));
    assert.equal(findCycle(ops)?.map((f) => path.basename(f)).join(' -> '), undefined);
  });

  it('the checks see what they look for', () => {
    // the same readers on sources written to break the rules: a value import of the Repository, and a cycle
    const a = path.join(OPS, 'a');
    const b = path.join(OPS, 'b');
    assert.deepEqual(runtimeImports("import type { Repository } from '../repository';\nimport {\n  x,\n  type Y,\n} from './b';\n", OPS), [b]);
    assert.deepEqual(runtimeImports("import { Repository } from '../repository';", OPS), [path.resolve(OPS, '../repository')]);
    assert.deepEqual(findCycle(new Map([[a, [b]], [b, [a]]]))?.map((f) => path.basename(f)), ['a', 'b', 'a']);
    assert.equal(findCycle(new Map([[a, [b]], [b, []]])), undefined);
  });
});
