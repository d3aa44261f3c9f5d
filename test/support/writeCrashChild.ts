// Child process of the write crash loop (test/unit/collections/writeCrash.test.ts): saves through the store, over and
// over, until it is killed with SIGKILL. Prints `ready`, then one line per completed save.
//   writeCrashChild <root> v5     renames one request of the v5 file (the whole multi-MB file is written each time)
//   writeCrashChild <root> legacy duplicates a folder of the legacy folder (several files), then deletes the copy
import { CollectionStore } from '../../src/collections/store';
import { walkItems } from '../../src/collections/model';

async function main(): Promise<void> {
  const [root, mode] = process.argv.slice(2);
  const store = new CollectionStore([root]);
  await store.reload();
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const c = store.collections[0];
    const items = [...walkItems(c.children)];
    if (mode === 'v5') {
      const target = items.find((x) => x.kind === 'request')!;
      await store.apply(c, { kind: 'rename', id: target.id, name: `run ${process.pid} ${i}` });
      process.stdout.write(`saved ${i}\n`);
    } else {
      const copy = items.find((x) => x.kind === 'folder' && x.name.endsWith('(Copy)'));
      if (copy) await store.apply(c, { kind: 'delete', id: copy.id });
      else await store.apply(c, { kind: 'duplicate', id: items.find((x) => x.kind === 'folder' && x.children.length >= 3)!.id });
      process.stdout.write(`saved ${i}\n`);
    }
  }
}

main().catch((err) => {
  process.stdout.write(`error ${(err as Error).stack}\n`);
  process.exit(3);
});
