// bundle_bytes: the size of the shipped `dist/extension.js` (esbuild.config.mjs --production: minified, no source map),
// the bundle VS Code loads when Hammock activates. Reported beside it, so nothing hides: `bundle_http_bytes`, the HTTP
// engine's own bundle (`dist/http.js`, required when a request editor first needs it), and `bundle_total_bytes`, every
// JavaScript file the .vsix ships under dist/ (extension, HTTP engine, git status worker, webview UI, CLI).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';
import { productionBuild } from './productionBuild';

export const targets: BenchTargets = { bundle_bytes: 1_000_000 };

async function jsBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await jsBytes(p);
    else if (entry.name.endsWith('.js')) total += (await fsp.stat(p)).size;
  }
  return total;
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const build = await productionBuild(ctx.root, (name) => ctx.tempDir(name));
  const size = async (file: string) => (await fsp.stat(file)).size;
  const extension = await size(build.extension);
  const cli = await size(build.cli);
  const http = await size(path.join(path.dirname(build.extension), 'http.js'));
  const total = await jsBytes(path.dirname(build.extension));
  const fmt = (n: number) => n.toLocaleString('en-US');
  ctx.log(`dist/extension.js ${fmt(extension)} bytes (loaded at activation), dist/http.js ${fmt(http)} (on first send), all shipped JS ${fmt(total)}, dist/cli.js ${fmt(cli)}`);
  return { bundle_bytes: extension, bundle_http_bytes: http, bundle_total_bytes: total, bundle_cli_bytes: cli };
}
