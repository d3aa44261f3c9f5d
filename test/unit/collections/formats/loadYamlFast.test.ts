// loadYamlFast (the v5 piece parse's loader: the core schema with its implicit scalars resolved behind a first-character
// test) gives exactly what loadYaml gives: the same values (strictly: -0, NaN, numbers against strings) and the same
// errors, on scalars chosen to sit at the edges of null, bool, int and float, with and without explicit tags, on the
// real v5 fixtures and on random documents.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { loadYaml, loadYamlFast } from '../../../../src/collections/formats/fields';
import { v5Text } from '../../../../bench/generate';
import { FIXTURES, v5Fixtures } from './v5Fixtures';

/** what a load gives: its value, or its error's message. */
function outcome(load: (text: string) => unknown, text: string): { value?: unknown; error?: string } {
  try {
    return { value: load(text) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function same(text: string): void {
  assert.deepStrictEqual(outcome(loadYamlFast, text), outcome(loadYaml, text), text);
}

/** plain scalars at the edges of the core schema's implicit types (and strings that look like them). */
const EDGE_SCALARS = [
  '~', 'null', 'Null', 'NULL', 'nULL', 'nul', 'n', 'N', 'none', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE',
  'fALSE', 't', 'f', 'yes', 'no', 'on', 'off', 'y', '0', '-0', '+0', '00', '007', '08', '0x1F', '0X1F', '0x', '0xg', '0o17',
  '0o8', '0b101', '0b2', '0b', '1_000', '_1', '1e3', '1E3', '1.5e-3', '-1.5E+3', '.5', '5.', '0.0', '-.5', '+.5', '.',
  '-', '+', '.inf', '.Inf', '.INF', '-.inf', '+.inf', '.iNF', '.nan', '.NaN', '.NAN', '-.nan', '1:20', '2025-10-13',
  '12345678901234567890', '9007199254740993', '1700882681647', '-1700882681647', '1e400', '-1e400', '0.1.2', '1,000',
  'Infinity', 'NaN', 'inf', 'nan', '{{ _.base_url }}', 'é', '€5', 'ℕ', 'Preflight projects', 'text/plain',
];

describe('loadYamlFast', () => {
  it('resolves each edge scalar as loadYaml does: plain, quoted, as a key, in a flow sequence, with explicit tags', () => {
    for (const s of EDGE_SCALARS) {
      same(`a: ${s}\n`);
      same(`- ${s}\n- x\n`);
      same(`${s}: 1\n`);
      same(`a: [${s}, ${s}]\n`);
      same(`a: "${s}"\n`);
      for (const tag of ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq', '!<tag:yaml.org,2002:str>', '!!timestamp', '!local']) {
        same(`a: ${tag} ${s}\n`);
      }
    }
    same('a:\nb: !!null\nc: !!str\n');
    same('? !!str\n: x\n');
  });

  it('gives loadYaml values on every real v5 fixture and the generated 3,000-request file', () => {
    const files = v5Fixtures(path.join(FIXTURES, 'v5'));
    assert.ok(files.length >= 10, `found ${files.length} v5 fixtures`);
    for (const file of files) same(readFileSync(file, 'utf8'));
    const big = v5Text({ requests: 3000, folders: 300, environments: 6, seed: 2 });
    assert.deepStrictEqual(loadYamlFast(big), loadYaml(big));
  });

  it('gives loadYaml values and errors on random documents of scalar-like text (fast-check, seeded)', () => {
    // plain scalars built from the characters the four types are made of, so many are numbers, nulls or booleans
    const scalarText = fc.oneof(
      fc.constantFrom(...EDGE_SCALARS),
      fc.string({ unit: fc.constantFrom(...'0123456789+-._eExXoObBaAfFnNtTlLsuU~ :#'), minLength: 1, maxLength: 8 }),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.oneof(scalarText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, value, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(fc.oneof(scalarText, fc.string({ maxLength: 6 })), tie('node'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(tree.map, fc.array(fc.tuple(fc.constantFrom('', '!!str ', '!!int ', '!!float ', '!!bool ', '!!null '), scalarText), { maxLength: 6 }), (doc, raw) => {
        // YAML.stringify quotes what it must; the raw lines put the same texts in unquoted, with and without tags
        same(YAML.stringify(doc));
        same(raw.map(([tag, s], i) => `k${i}: ${tag}${s}`).join('\n') + '\n');
        same(raw.map(([tag, s]) => `- ${tag}${s}`).join('\n') + '\n');
      }),
      { seed: 20261205, numRuns: 400 },
    );
  });
});
