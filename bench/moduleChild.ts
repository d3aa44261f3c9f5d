// The child side of `npm run bench` (run.ts): runs one bench module in a process of its own. Usage (by run.ts, through
// runInFreshProcess): `node --expose-gc --require tsx/cjs bench/moduleChild.ts <context json> <metrics file> <module file>`.
import * as path from 'node:path';
import { childMain } from './measure';
import type { BenchModule } from './run';

const file = process.argv[4]!;
childMain(async (ctx) => {
  // require, not import(): tsx compiles the bench as CommonJS
  const mod = require(path.resolve(__dirname, file)) as Partial<BenchModule>;
  if (typeof mod.run !== 'function') throw new Error(`${path.basename(file)} exports no run(ctx) function`);
  return mod.run(ctx);
}).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
