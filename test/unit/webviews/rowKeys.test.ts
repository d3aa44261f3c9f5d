import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { followRows, KeyedRows, type RowMatching } from '../../../src/webviews/rowKeys';

interface Row {
  name: string;
  value: string;
  id?: string;
}

const match: RowMatching<Row> = {
  idOf: (r) => r.id,
  same: (a, b) => a.name === b.name && a.value === b.value,
  similar: (a, b) => a.name === b.name || (a.value !== '' && a.value === b.value),
};

const counter = () => {
  let n = 0;
  return () => `k${++n}`;
};
const rows = (...pairs: string[]): Row[] => pairs.map((p) => ({ name: p.split('=')[0], value: p.split('=')[1] ?? '' }));

describe('rowKeys: which row is which in the editors\' tables', () => {
  it('a row deleted above the row typed in: the rows below keep their keys (not their places)', () => {
    const keys = followRows(rows('A=a', 'B=b', 'C=c123', 'D=d'), ['a', 'b', 'c', 'd'], rows('B=b', 'C=c123', 'D=d'), match, counter());
    assert.deepEqual(keys, ['b', 'c', 'd']);
  });

  it('a row deleted and the row typed in changed elsewhere in the same state: still its key, by its name', () => {
    const keys = followRows(rows('A=a', 'B=b', 'C=c', 'D=d'), ['a', 'b', 'c', 'd'], rows('B=b', 'C=changed', 'D=d'), match, counter());
    assert.deepEqual(keys, ['b', 'c', 'd']);
  });

  it('two rows next to each other, one deleted and the other renamed: the renamed one gets a new key, never the deleted one\'s', () => {
    const two = followRows(rows('A=a', 'B=b', 'X=x', 'C=c'), ['a', 'b', 'x', 'c'], rows('A=a', 'Z=z', 'C=c'), match, counter());
    assert.equal(two[0], 'a');
    assert.equal(two[2], 'c');
    assert.ok(!['b', 'x'].includes(two[1]), `a row that may be either is new: ${two[1]}`);
  });

  it('a row renamed in place (as many rows before and after): the row that was there', () => {
    assert.deepEqual(followRows(rows('A=a', 'B=b', 'C=c'), ['a', 'b', 'c'], rows('A=a', 'Z=b', 'C=c'), match, counter()), ['a', 'b', 'c']);
  });

  it('Insomnia\'s row ids win over the rows\' places and texts; two different ids are never the same row', () => {
    const prev: Row[] = [{ name: 'A', value: '1', id: 'pair_a' }, { name: 'B', value: '2', id: 'pair_b' }];
    assert.deepEqual(followRows(prev, ['a', 'b'], [{ name: 'B', value: '9', id: 'pair_b' }, { name: 'A', value: '1', id: 'pair_a' }], match, counter()), ['b', 'a']);
    const replaced = followRows(prev, ['a', 'b'], [{ name: 'A', value: '1', id: 'pair_a' }, { name: 'B', value: '2', id: 'pair_other' }], match, counter());
    assert.equal(replaced[0], 'a');
    assert.notEqual(replaced[1], 'b', 'another row, though it reads the same');
  });

  it('a row added on the page gets a key none had; the host\'s echo of the page\'s rows keeps every key', () => {
    const t = new KeyedRows(rows('A=a'), match, counter());
    const k = t.add({ name: '', value: '' });
    assert.equal(new Set(t.keys).size, 2);
    const before = [...t.keys];
    t.follow(rows('A=a', '='));
    assert.deepEqual(t.keys, before);
    assert.equal(k, t.keys[1]);
  });

  it('model: typing, Add, Remove, rows deleted, inserted and changed elsewhere, undo and redo: a row keeps its key as long as it is on the page', () => {
    // the truth: each row has an identity (`uid`) the page does not see; the names are unique (the page's own new rows
    // are named as they are added) and what changes elsewhere gets a value no other row has: rows that could be told
    // apart by nothing (two empty rows, one of them deleted elsewhere) cannot be followed
    type Truth = { uid: number; row: Row };
    const step = fc.oneof(
      fc.record({ k: fc.constant('type' as const), at: fc.nat(), text: fc.string({ maxLength: 3 }) }),
      fc.record({ k: fc.constant('add' as const) }),
      fc.record({ k: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ k: fc.constant('undo' as const), at: fc.nat() }),
      fc.record({ k: fc.constant('redo' as const), at: fc.nat() }),
      // one state from elsewhere: some rows deleted, some values changed, some rows inserted
      fc.record({
        k: fc.constant('elsewhere' as const),
        deletes: fc.array(fc.nat(), { maxLength: 3 }),
        changes: fc.array(fc.record({ at: fc.nat(), value: fc.string({ maxLength: 3 }) }), { maxLength: 3 }),
        inserts: fc.array(fc.nat(), { maxLength: 2 }),
      }),
      fc.record({ k: fc.constant('rename' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(step, { maxLength: 30 }), (initial, steps) => {
        let uid = 0;
        let truth: Truth[] = Array.from({ length: initial }, () => ({ uid: ++uid, row: { name: `H${uid}`, value: `v${uid}` } }));
        const page = new KeyedRows(truth.map((t) => t.row), match, counter());
        /** the row each key was given to, for as long as the page has it */
        const owner = new Map<string, number>();
        const gone = new Set<string>();
        page.keys.forEach((k, i) => owner.set(k, truth[i].uid));
        const undo = new Map<string, string[]>();
        const redo = new Map<string, string[]>();
        const check = () => {
          assert.equal(page.keys.length, truth.length);
          assert.equal(new Set(page.keys).size, page.keys.length, 'keys are unique');
          page.keys.forEach((k, i) => {
            assert.ok(!gone.has(k), `a key given again: ${k}`);
            const o = owner.get(k);
            if (o === undefined) {
              // a new key: only for a row the page had no key for (new to it)
              assert.ok(![...owner.values()].includes(truth[i].uid), `row ${truth[i].uid} lost its key`);
              owner.set(k, truth[i].uid);
            } else assert.equal(o, truth[i].uid, `key ${k} went to another row`);
            assert.deepEqual(page.rows[i], truth[i].row);
          });
          for (const k of [...owner.keys()]) {
            if (!page.keys.includes(k)) {
              owner.delete(k);
              gone.add(k);
            }
          }
        };
        const typeAt = (i: number, value: string, history: Map<string, string[]>) => {
          const key = page.keys[i];
          (history.get(key) ?? history.set(key, []).get(key)!).push(truth[i].row.value);
          truth[i] = { uid: truth[i].uid, row: { ...truth[i].row, value } };
          page.set(i, truth[i].row);
        };
        for (const s of steps) {
          const n = truth.length;
          switch (s.k) {
            case 'type':
              if (n === 0) break;
              redo.delete(page.keys[s.at % n]);
              typeAt(s.at % n, truth[s.at % n].row.value + s.text, undo);
              break;
            case 'undo':
            case 'redo': {
              if (n === 0) break;
              const i = s.at % n;
              const stack = (s.k === 'undo' ? undo : redo).get(page.keys[i]);
              const value = stack?.pop();
              if (value !== undefined) typeAt(i, value, s.k === 'undo' ? redo : undo);
              break;
            }
            case 'add': {
              const row = { name: `H${++uid}`, value: '' };
              truth.push({ uid, row });
              owner.set(page.add(row), uid);
              break;
            }
            case 'remove':
              if (n === 0) break;
              truth.splice(s.at % n, 1);
              page.remove(s.at % n);
              break;
            case 'elsewhere': {
              let next = [...truth];
              for (const d of s.deletes) if (next.length) next.splice(d % next.length, 1);
              // (a value changed elsewhere, a row inserted: values no other row has, as rows that can be told apart)
              for (const c of s.changes) if (next.length) next[c.at % next.length] = { uid: next[c.at % next.length].uid, row: { ...next[c.at % next.length].row, value: `${c.value}#${++uid}` } };
              for (const at of s.inserts) next.splice(at % (next.length + 1), 0, { uid: ++uid, row: { name: `H${uid}`, value: `i${uid}` } });
              truth = next;
              page.follow(truth.map((t) => t.row));
              break;
            }
            case 'rename': {
              // (a row renamed elsewhere is followed by its value: an empty one cannot be told from a new row)
              if (n === 0 || truth[s.at % n].row.value === '') break;
              const i = s.at % n;
              truth = truth.map((t, j) => (j === i ? { uid: t.uid, row: { ...t.row, name: `${t.row.name}r` } } : t));
              page.follow(truth.map((t) => t.row));
              break;
            }
          }
          check();
        }
      }),
      { seed: 20261206, numRuns: 400 },
    );
  });
});
