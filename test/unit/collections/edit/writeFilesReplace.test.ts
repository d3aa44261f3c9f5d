// The file a write replaces is let go off the event loop (Linux): writeFiles holds the old file open across its rename
// and closes it on the thread pool, so that the rename never waits for the old file's pages to reach the disk (ext4
// frees a file whose last link a rename takes at once, and waits for its writeback first). What is checked: the old
// file is held right after the write and let go soon after; a FIFO, a new file or a file on a network or FUSE file
// system is never held (nor waited on); what the file holds is the new text, and nothing else is left in the folder.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replacedFilesReleased, writeFiles } from '../../../../src/collections/edit/writeFiles';
import type { WriteScope } from '../../../../src/collections/edit/pathGuard';

/** The files this process holds open that no longer have a name (`<path> (deleted)`), under `dir`. */
function heldDeleted(dir: string): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed meanwhile (the readdir's own descriptor)
    }
    if (target.startsWith(dir) && target.endsWith(' (deleted)')) out.push(target);
  }
  return out;
}

(process.platform === 'linux' ? describe : describe.skip)('writeFiles: the replaced file is let go off the event loop (Linux)', () => {
  let root: string;
  let scope: WriteScope;
  let file: string;

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-replace-')));
    const dir = path.join(root, '.insomnia', 'Request');
    fs.mkdirSync(dir, { recursive: true });
    scope = { format: 'legacy', folder: path.join(root, '.insomnia'), workspaceRoot: root };
    file = path.join(dir, 'req_1.yml');
  });

  // fs.close runs on the thread pool at once: the tests hold its calls back to see what is open meanwhile (on the
  // module object itself, which the writer's import reads through)
  const nodeFs = require('node:fs') as { close: typeof fs.close };
  const realClose = nodeFs.close;
  let heldCloses: (() => void)[] = [];
  beforeEach(() => {
    heldCloses = [];
    nodeFs.close = ((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => heldCloses.push(() => realClose(fd, cb))) as unknown as typeof fs.close;
  });
  const letGo = () => {
    for (const c of heldCloses.splice(0)) c();
  };

  afterEach(async () => {
    letGo();
    nodeFs.close = realClose;
    await replacedFilesReleased();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('holds the replaced file across the rename and closes it soon after; the file holds the new text', async () => {
    fs.writeFileSync(file, 'url: old\n');
    await writeFiles([{ path: file, content: 'url: new\n' }], scope);
    // the old file, its name taken by the rename, is still open: the rename did not free it (and wait for its pages)
    assert.deepEqual(heldDeleted(root), [`${file} (deleted)`]);
    letGo();
    await replacedFilesReleased();
    assert.deepEqual(heldDeleted(root), []);
    assert.equal(fs.readFileSync(file, 'utf8'), 'url: new\n');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['req_1.yml']);
  });

  it('holds nothing for a new file, and every replaced file of a multi-file write is let go', async () => {
    const other = path.join(path.dirname(file), 'req_2.yml');
    fs.writeFileSync(other, 'url: two\n');
    await writeFiles([{ path: file, content: 'url: one\n' }, { path: other, content: 'url: 2\n' }], scope);
    assert.deepEqual(heldDeleted(root), [`${other} (deleted)`]);
    letGo();
    await replacedFilesReleased();
    assert.deepEqual(heldDeleted(root), []);
    assert.equal(fs.readFileSync(file, 'utf8'), 'url: one\n');
    assert.equal(fs.readFileSync(other, 'utf8'), 'url: 2\n');
  });

  it('on a file system that would show the held file under another name (NFS, SMB, FUSE), nothing is held', async () => {
    const nodeFsStatfs = require('node:fs') as { statfsSync: typeof fs.statfsSync };
    const realStatfs = nodeFsStatfs.statfsSync;
    nodeFsStatfs.statfsSync = ((p: fs.PathLike) => ({ ...realStatfs(p), type: 0x6969 })) as unknown as typeof fs.statfsSync; // NFS
    try {
      fs.writeFileSync(file, 'url: old\n');
      await writeFiles([{ path: file, content: 'url: new\n' }], scope);
    } finally {
      nodeFsStatfs.statfsSync = realStatfs;
    }
    assert.equal(heldCloses.length, 0);
    assert.deepEqual(heldDeleted(root), []);
    assert.equal(fs.readFileSync(file, 'utf8'), 'url: new\n');
  });

  it('a FIFO where the file should be is replaced without waiting for a writer to open it, and is not held', async function () {
    this.timeout(10_000);
    execFileSync('mkfifo', [file]);
    await writeFiles([{ path: file, content: 'url: new\n' }], scope);
    assert.equal(heldCloses.length, 0);
    assert.deepEqual(heldDeleted(root), []);
    assert.equal(fs.readFileSync(file, 'utf8'), 'url: new\n');
  });
});
