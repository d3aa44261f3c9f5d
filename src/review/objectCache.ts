// One isomorphic-git object cache per repository for the review, the revision documents and the History view:
// isomorphic-git keeps each packfile it reads (index and data) in the cache, so without sharing one, every document
// of a diff would read the repository's packs again. Dropped after a minute unused, and on any failure (a `git gc`
// may have replaced the packs), after which the read is tried once more with a fresh cache. No 'vscode' import.

const IDLE_MS = 60_000;

interface Entry {
  cache: object;
  timer: ReturnType<typeof setTimeout>;
}

const caches = new Map<string, Entry>();

function touch(root: string): object {
  let entry = caches.get(root);
  if (entry) clearTimeout(entry.timer);
  else entry = { cache: {}, timer: undefined as unknown as ReturnType<typeof setTimeout> };
  entry.timer = setTimeout(() => caches.delete(root), IDLE_MS);
  entry.timer.unref?.();
  caches.set(root, entry);
  return entry.cache;
}

/** Runs `fn` with the repository's shared cache; on a failure, once more with a fresh one. */
export async function withObjectCache<T>(root: string, fn: (cache: object) => Promise<T>): Promise<T> {
  try {
    return await fn(touch(root));
  } catch {
    const entry = caches.get(root);
    if (entry) clearTimeout(entry.timer);
    caches.delete(root);
    return fn(touch(root));
  }
}
