// bundle_bytes: the size of the shipped `dist/extension.js` (esbuild.config.mjs --production: minified, no source map),
// the bundle VS Code loads when Hammock activates. Reported beside it, so nothing hides: `bundle_http_bytes`, the HTTP
// engine's own bundle (`dist/http.js`, required when a request editor first needs it), `bundle_writers_bytes`, the
// writers' bundle (`dist/writers.js`: edit planner, field merge, importers, exporters, conversion; required on the
// first edit, merge, import or export), `bundle_total_bytes`, every JavaScript file the build makes under dist/
// (extension, HTTP engine, writers, git status worker, webview UI, CLI), and `bundle_cli_bytes`.
// vsix_bytes: the size of the .vsix `npm run package` makes (scripts/package.mjs, the same code path), what a user
// downloads; `vsix_files` how many files it holds.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';
import { productionBuild } from './productionBuild';

export const targets: BenchTargets = { bundle_bytes: 600_000, vsix_bytes: 2_000_000 };

async function jsBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await jsBytes(p);
    else if (entry.name.endsWith('.js')) total += (await fsp.stat(p)).size;
  }
  return total;
}

interface PackageScript {
  packageVsix(o: { out: string; root: string }): { vsix: string; bytes: number; files: string[] };
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const build = await productionBuild(ctx.root, (name) => ctx.tempDir(name));
  const size = async (file: string) => (await fsp.stat(file)).size;
  const dist = path.dirname(build.extension);
  const extension = await size(build.extension);
  const cli = await size(build.cli);
  const http = await size(path.join(dist, 'http.js'));
  const writers = await size(path.join(dist, 'writers.js'));
  const total = await jsBytes(dist);
  const fmt = (n: number) => n.toLocaleString('en-US');
  ctx.log(`dist/extension.js ${fmt(extension)} bytes (loaded at activation), dist/http.js ${fmt(http)} (on first send), dist/writers.js ${fmt(writers)} (on first write), all built JS ${fmt(total)}, dist/cli.js ${fmt(cli)}`);

  const script = (await import(pathToFileURL(path.join(ctx.root, 'scripts', 'package.mjs')).href)) as PackageScript;
  const { bytes: vsix, files } = script.packageVsix({ out: path.join(await ctx.tempDir('vsix'), 'hammock.vsix'), root: ctx.root });
  ctx.log(`.vsix ${fmt(vsix)} bytes, ${files.length} files`);
  return {
    bundle_bytes: extension,
    bundle_http_bytes: http,
    bundle_writers_bytes: writers,
    bundle_total_bytes: total,
    bundle_cli_bytes: cli,
    vsix_bytes: vsix,
    vsix_files: files.length,
  };
}
