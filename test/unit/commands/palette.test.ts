// The command palette as VS Code filters and orders it: a command matches when each typed word begins a word of its
// "Category: Title", in order (words may be skipped: VS Code's matchesWords), and the matches are listed by label.
// Typing a command's full name must put that command first, so Enter runs it ("Hammock: Push" ran Commit & Push,
// which sorts before it and matches it). Names follow VS Code's Git: Push, Push (Force); Commit & Push only from the
// Source Control view, as VS Code's Git offers it.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GitCommands } from '../../../src/commandIds';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category?: string }[]; menus: { commandPalette?: { command: string; when?: string }[] } };
};

/** VS Code's word match: every query word is the start of a target word, in order (letters, digits; case-insensitive). */
function matchesWords(query: string, target: string): boolean {
  const words = (s: string): string[] => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const q = words(query);
  const t = words(target);
  let i = 0;
  for (const w of t) if (i < q.length && w.startsWith(q[i])) i++;
  return i === q.length;
}

const hidden = new Set((manifest.contributes.menus.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
const palette = manifest.contributes.commands
  .filter((c) => c.command.startsWith('hammock.') && !hidden.has(c.command))
  .map((c) => ({ id: c.command, label: c.category ? `${c.category}: ${c.title}` : c.title }));

describe('command palette: typing a Hammock command by name runs it', () => {
  it('each visible git command, typed in full, is the first match (Sync aside: "Set Up Sync..." sorts before it)', () => {
    // "Hammock: Sync" still lists "Hammock: Set Up Sync..." first: renaming Set Up Sync is the lead's call (see the report)
    const git = new Set<string>(Object.values(GitCommands).filter((id) => id !== GitCommands.sync));
    for (const c of palette.filter((p) => git.has(p.id))) {
      const first = palette.filter((p) => matchesWords(c.label, p.label)).sort((a, b) => a.label.localeCompare(b.label))[0];
      assert.equal(first?.id, c.id, `"${c.label}" lists "${first?.label}" first`);
    }
  });

  it('the git commands are named as VS Code Git names them', () => {
    const label = (id: string): string | undefined => palette.find((p) => p.id === id)?.label;
    assert.equal(label('hammock.push'), 'Hammock: Push');
    assert.equal(label('hammock.forcePush'), 'Hammock: Push (Force)...');
    assert.equal(label('hammock.pull'), 'Hammock: Pull');
    assert.equal(label('hammock.fetch'), 'Hammock: Fetch');
    assert.equal(label('hammock.commit'), 'Hammock: Commit');
    assert.equal(label('hammock.commitAndPush'), undefined, 'Commit & Push is offered where VS Code Git offers it: the Source Control view');
  });
});
