// A line diff for tests that assert how few lines an edit changes.

/** Lines removed from `a` and added in `b` (a longest-common-subsequence line diff, as `git diff` shows). */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let s = 0;
  while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
  const xs = x.slice(p, x.length - s);
  const ys = y.slice(p, y.length - s);
  const lcs = Array.from({ length: xs.length + 1 }, () => new Uint32Array(ys.length + 1));
  for (let i = xs.length - 1; i >= 0; i--) {
    for (let j = ys.length - 1; j >= 0; j--) {
      lcs[i][j] = xs[i] === ys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < xs.length || j < ys.length) {
    if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
      i++;
      j++;
    } else if (j < ys.length && (i === xs.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      added.push(ys[j++]);
    } else {
      removed.push(xs[i++]);
    }
  }
  return { removed, added };
}
