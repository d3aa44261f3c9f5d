// bundle_bytes: the size of the shipped `dist/extension.js` (esbuild.config.mjs --production: minified, no source map).
import { promises as fsp } from 'node:fs';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';
import { productionBuild } from './productionBuild';

export const targets: BenchTargets = { bundle_bytes: 1_000_000 };

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const build = await productionBuild(ctx.root, (name) => ctx.tempDir(name));
  const extension = (await fsp.stat(build.extension)).size;
  const cli = (await fsp.stat(build.cli)).size;
  ctx.log(`dist/extension.js ${extension.toLocaleString('en-US')} bytes, dist/cli.js ${cli.toLocaleString('en-US')} bytes (production build)`);
  return { bundle_bytes: extension, bundle_cli_bytes: cli };
}
