// The real Insomnia v5 files among the test fixtures (a first line naming a v5 type), for the v5 parser's tests.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../../fixtures');

/** Every v5 YAML file under `dir` (default: all fixtures), recursively. */
export function v5Fixtures(dir = FIXTURES): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && /insomnia\.rest\/5\.0|mcpClient\.insomnia/.test(readFileSync(p, 'utf8').split('\n')[0])) out.push(p);
    }
  };
  walk(dir);
  return out;
}
