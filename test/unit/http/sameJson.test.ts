// sameJson (run/runSession.ts) decides whether a chained pre-request job is the job the host would send, and whether
// a script changed the variables: it must answer exactly what comparing the two JSON texts answers, however the two
// values share objects, order their keys or hold what JSON leaves out (undefined, functions) or turns (NaN, Dates).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { sameJson } from '../../../src/http/run/runSession';

const json = (v: unknown) => JSON.stringify(v);

/** JSON-like values with what JSON drops or changes mixed in. */
const leaf = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -0, NaN, Infinity, null, true, false, undefined, 'x', ''),
  fc.constant(new Date(0)),
  fc.constant(() => 1),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'toJSON', '__proto__'), tie('value'), { maxKeys: 3 }),
  ),
}));

/** A copy of a value, or the value itself (shared), or its keys in another order, or one leaf changed, recursively. */
function variant(v: unknown, choices: number[]): unknown {
  const pick = choices.length ? choices.shift()! : 0;
  if (pick % 5 === 0) return v;
  if (Array.isArray(v)) return v.map((x) => variant(x, choices));
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const keys = Object.keys(v);
    if (pick % 5 === 1) keys.reverse();
    const out: Record<string, unknown> = {};
    for (const k of keys) Object.defineProperty(out, k, { value: variant((v as Record<string, unknown>)[k], choices), enumerable: true, writable: true, configurable: true });
    if (pick % 5 === 2) out.extra = undefined;
    return out;
  }
  if (pick % 5 === 3) return typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}!` : v === undefined ? null : v;
  return v;
}

describe('sameJson: the same answer as comparing JSON texts', () => {
  it('for random values and their copies, shared parts, reordered keys and changed leaves', () => {
    fc.assert(
      fc.property(value, fc.array(fc.nat(), { maxLength: 40 }), (a, choices) => {
        const b = variant(a, [...choices]);
        assert.equal(sameJson(a, b), json(a) === json(b));
        assert.equal(sameJson(b, a), json(a) === json(b));
      }),
      { numRuns: 3000, seed: 20261205 },
    );
  });

  it('for two independent values', () => {
    fc.assert(
      fc.property(value, value, (a, b) => assert.equal(sameJson(a, b), json(a) === json(b))),
      { numRuns: 2000, seed: 20261206 },
    );
  });

  it('for what JSON leaves out or changes', () => {
    const cases: [unknown, unknown][] = [
      [{ a: undefined }, {}],
      [[undefined], [null]],
      [NaN, null],
      [{ a: NaN }, { a: null }],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }],
      [{ f: () => 1 }, {}],
      [new Date(0), '1970-01-01T00:00:00.000Z'],
      [{ toJSON: () => 'x' }, 'x'],
      [Object.assign(Object.create(null) as object, { a: 1 }), { a: 1 }],
      [undefined, undefined],
      [-0, 0],
    ];
    for (const [a, b] of cases) assert.equal(sameJson(a, b), json(a) === json(b), `${String(json(a))} / ${String(json(b))}`);
  });
});
