// A large body for the tests of large edits (test/unit/collections/largeBodyEdit.test.ts, the in-host largeBody).

/** pretty-printed JSON of about `bytes` characters (a response pasted as a body). */
export function bigJson(bytes: number): string {
  const items: unknown[] = [];
  for (let i = 0, len = 0; len < bytes; i++) {
    const o = { id: i, name: `item ${i}`, tags: ['a', 'b'], nested: { x: i * 1.5, s: 'lorem ipsum dolor sit amet' } };
    items.push(o);
    len += JSON.stringify(o, null, 2).length + 4;
  }
  return JSON.stringify({ items }, null, 2);
}
