// How long ago a git timestamp was, in words, for tree and picker descriptions ("3 days ago").

const UNITS: readonly (readonly [number, string])[] = [
  [60 * 60 * 24 * 365, 'year'],
  [60 * 60 * 24 * 30, 'month'],
  [60 * 60 * 24 * 7, 'week'],
  [60 * 60 * 24, 'day'],
  [60 * 60, 'hour'],
  [60, 'minute'],
];

/** `seconds` is a Unix time in seconds (as git stores it); under a minute ago, or in the future, is "just now". */
export function relativeDate(seconds: number, nowMs: number = Date.now()): string {
  const diff = nowMs / 1000 - seconds;
  for (const [size, unit] of UNITS) {
    if (diff >= size) {
      const n = Math.floor(diff / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}
