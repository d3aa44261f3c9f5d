// The shipped bundles, built for measurement without touching the checkout's `dist/` (which holds the other
// engineers' development build with source maps).
//
// How: run the project's own `esbuild.config.mjs --production` (the exact options `npm run package` ships) with its
// working directory set to a scratch folder whose `src` and `node_modules` are symlinks to the project's. The config
// names its entry points and outputs relative to the working directory, esbuild follows the symlinks to the real
// sources (so tsconfig and packages resolve as in the checkout), and the bundles land in `<scratch>/dist/`.
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface ProductionBuild {
  /** the scratch folder the build ran in. */
  readonly dir: string;
  /** `<dir>/dist/extension.js`: the extension host bundle as shipped in the .vsix. */
  readonly extension: string;
  /** `<dir>/dist/cli.js`: the `hammock` command line bundle. */
  readonly cli: string;
}

const builds = new Map<string, Promise<ProductionBuild>>();

/** Builds `root` once per process, in a scratch folder from `tempDir`; later calls share the result. */
export function productionBuild(root: string, tempDir: (name: string) => Promise<string>): Promise<ProductionBuild> {
  let build = builds.get(root);
  if (!build) builds.set(root, (build = tempDir('build').then((dir) => runBuild(root, dir))));
  return build;
}

async function runBuild(root: string, dir: string): Promise<ProductionBuild> {
  await fsp.mkdir(dir, { recursive: true });
  for (const entry of ['src', 'node_modules']) await fsp.symlink(path.join(root, entry), path.join(dir, entry), 'dir');
  await fsp.copyFile(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  await fsp.copyFile(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  try {
    await execFileAsync(process.execPath, [path.join(root, 'esbuild.config.mjs'), '--production'], { cwd: dir });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    const errors = stderr.split('\n').filter((l) => l.includes('[ERROR]')).slice(0, 10);
    throw new Error(`esbuild.config.mjs --production failed${errors.length ? `:\n${errors.join('\n')}` : `: ${stderr.slice(0, 1000)}`}`);
  }
  const build = { dir, extension: path.join(dir, 'dist', 'extension.js'), cli: path.join(dir, 'dist', 'cli.js') };
  await fsp.access(build.extension);
  await fsp.access(build.cli);
  return build;
}
