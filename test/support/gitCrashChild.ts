// Child process of the crash-loop test (test/unit/git/crashLoop.test.ts): repeats one git operation through
// Hammock until it is killed with SIGKILL. Prints `ready`, then one line per completed operation.
//   gitCrashChild <dir> stage|commit|checkout|pull|branch
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../src/git/gitClient';

async function main(): Promise<void> {
  const [dir, op] = process.argv.slice(2);
  const client = new GitClient(dir, { lock: { waitMs: 0 }, auth: { getCredentials: () => ({ username: 'u', token: 'secret-token' }), requestCredentials: async () => undefined } });
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const file = `.insomnia/Request/req_${(i % 5) + 1}.yml`;
    if (op === 'stage' || op === 'commit') {
      const content = `_id: req_${(i % 5) + 1}\ntype: Request\nname: run ${process.pid} ${i}\n${'x'.repeat(2000 + i)}\n`;
      fs.writeFileSync(path.join(dir, file), content);
      await client.stage([file]);
      if (op === 'commit') {
        const oid = await client.commit(`commit ${i}`);
        process.stdout.write(`committed ${oid}\n`);
      }
    } else if (op === 'checkout') {
      await client.checkout(i % 2 ? 'main' : 'side');
      process.stdout.write(`switched\n`);
    } else if (op === 'branch') {
      // create, or delete (with its reflog and tracking config), one of three branches: packed ones too, the test packs them
      const name = `t/b${i % 3}`;
      if ((await client.listBranches()).local.some((b) => b.name === name)) await client.deleteBranch(name);
      else await client.createBranch(name, { checkout: false });
      process.stdout.write(`branched\n`);
    } else if (op === 'pull') {
      await client.pull();
      process.stdout.write(`pulled\n`);
    }
  }
}

main().catch((err) => {
  process.stdout.write(`error ${(err as Error).message}\n`);
  process.exit(3);
});
