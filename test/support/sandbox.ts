// The script sandbox for tests and benchmarks that run under tsx: built once (scripts/sandboxBuild.mjs) into
// node_modules/.cache/hammock-sandbox-<hash of its sources>, again only when its sources change; HAMMOCK_SANDBOX_DIR
// points there. Processes that build at the same time (mocha's parallel workers on a fresh clone, or checkouts that
// share one node_modules) each build into a folder of their own and rename it into place: the first rename wins, and
// nobody ever reads, or deletes, a folder another process is still writing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '..', '..');

function sourcesHash(): string {
  const hash = createHash('sha1');
  const files: string[] = [path.join(root, 'scripts', 'sandboxBuild.mjs'), path.join(root, 'package-lock.json')];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(path.join(root, 'src', 'http', 'scripts'));
  // paths relative to the checkout: two checkouts of the same sources share one build
  for (const f of files.sort()) hash.update(path.relative(root, f)).update(fs.readFileSync(f));
  return hash.digest('hex');
}

let built: Promise<string> | undefined;

/** The folder of a built sandbox (also set as HAMMOCK_SANDBOX_DIR). */
export function sandboxDir(): Promise<string> {
  built ??= (async () => {
    const hash = sourcesHash();
    const out = path.join(root, 'node_modules', '.cache', `hammock-sandbox-${hash.slice(0, 16)}`);
    const stamp = path.join(out, 'stamp');
    if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== hash) {
      const mine = `${out}.building-${process.pid}`;
      fs.rmSync(mine, { recursive: true, force: true });
      // in a child process of its own, with a time limit: esbuild's service never shares the test process
      const script = `import(${JSON.stringify(pathToFileURL(path.join(root, 'scripts', 'sandboxBuild.mjs')).href)}).then((m) => m.buildSandbox({ outdir: ${JSON.stringify(mine)} }))`;
      execFileSync(process.execPath, ['-e', script], { cwd: root, stdio: 'inherit', timeout: 180_000 });
      fs.writeFileSync(path.join(mine, 'stamp'), hash);
      try {
        fs.renameSync(mine, out);
      } catch (e) {
        // another process's build got there first (a folder is not renamed over a full one): use that one
        fs.rmSync(mine, { recursive: true, force: true });
        if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== hash) throw e;
      }
    }
    process.env.HAMMOCK_SANDBOX_DIR = out;
    return out;
  })();
  return built;
}
