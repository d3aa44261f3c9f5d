// The script sandbox for tests and benchmarks that run under tsx: built once (scripts/sandboxBuild.mjs) into
// node_modules/.cache/hammock-sandbox, again only when its sources change; HAMMOCK_SANDBOX_DIR points there.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  for (const f of files.sort()) hash.update(f).update(fs.readFileSync(f));
  return hash.digest('hex');
}

let built: Promise<string> | undefined;

/** The folder of a built sandbox (also set as HAMMOCK_SANDBOX_DIR). */
export function sandboxDir(): Promise<string> {
  built ??= (async () => {
    const out = path.join(root, 'node_modules', '.cache', 'hammock-sandbox');
    const stamp = path.join(out, 'stamp');
    const hash = sourcesHash();
    if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== hash) {
      const { buildSandbox } = (await import(path.join(root, 'scripts', 'sandboxBuild.mjs'))) as { buildSandbox: (o: { outdir: string }) => Promise<void> };
      fs.rmSync(out, { recursive: true, force: true });
      await buildSandbox({ outdir: out });
      fs.writeFileSync(stamp, hash);
    }
    process.env.HAMMOCK_SANDBOX_DIR = out;
    return out;
  })();
  return built;
}
