// "Clone a repository that needs a token" as a new user meets it: the clone asks for a token, the user presses
// Escape (not at hand yet), the notification says a token is needed and offers "Enter Token..."; clicking it must ask
// for the token of that host and clone, into the folder the user chose, as the first attempt would have. Before, it
// ran "Enter Token" on whatever repository the window had open (in an empty window: "No git repository with
// collections is open"), and the clone never happened.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { GitNotification } from '../../src/sync/syncService';
import { GitServer } from '../support/gitServer';
import { activateHammock, gitAs, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Clone Walker', email: 'clone@hammock.invalid' });
// made at run time: no token-shaped literal in the repository
const TOKEN = ['clone', 'Walk', 'T0k3n'].join('-');

describe('Clone a repository that needs a token, walked as a person does', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let scratch: string;
  let server: GitServer;
  let url: string;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-walk-clone-')));
    fs.mkdirSync(path.join(scratch, 'git'));
    server = await GitServer.start({ projectRoot: path.join(scratch, 'git'), token: TOKEN });
    server.createBareRepo('kong-demo', { seedDir: workspaceRoot() });
    url = server.url('kong-demo');
  });

  after(async () => {
    await server?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('"Enter Token..." on the failed clone asks the host\'s token and clones into the chosen folder', async () => {
    const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
    const inputBox = win.showInputBox;
    const errorMessage = win.showErrorMessage;
    // the token prompts the user sees: Escape the first (the clone's own), the token in the one "Enter Token..." opens
    const prompts: string[] = [];
    win.showInputBox = (options: unknown) => {
      const o = options as vscode.InputBoxOptions;
      prompts.push(`${o.title ?? ''} | ${o.prompt ?? ''}`);
      return Promise.resolve(prompts.length === 1 ? undefined : TOKEN);
    };
    // the notification of the failed clone: the user clicks "Enter Token..." (others pass through)
    const errors: string[] = [];
    win.showErrorMessage = (message: unknown, ...items: unknown[]) => {
      errors.push(String(message));
      return Promise.resolve(items.includes('Enter Token...') && errors.length === 1 ? 'Enter Token...' : undefined);
    };
    const notes: GitNotification[] = [];
    const sub = api.sync.onDidNotify((n) => notes.push(n));
    const dir = path.join(scratch, 'clones', 'kong-demo');
    try {
      assert.equal(await vscode.commands.executeCommand('hammock.cloneRepository', { url, dir, open: false }), undefined, 'the first clone fails');
      assert.match(notes[0]?.message ?? '', /requires authentication and no token was given/);
      assert.deepEqual(notes[0].actions, ['Enter Token...', 'Open Log']);
      // the retry runs from the notification's action: wait for the clone, or for what went wrong instead
      await waitFor('the clone after "Enter Token...", or a second notification', () => fs.existsSync(path.join(dir, '.git', 'HEAD')) || notes.length > 1, 30_000);
      assert.deepEqual(notes.slice(1).map((n) => n.message), [], 'no second error');
      await waitFor('the cloned checkout', () => fs.existsSync(path.join(dir, '.insomnia', 'Workspace')), 30_000);
    } finally {
      sub.dispose();
      win.showInputBox = inputBox;
      win.showErrorMessage = errorMessage;
    }
    const host = new URL(url).host;
    assert.equal(prompts.length, 2, `two token prompts: ${prompts.join(' / ')}`);
    assert.match(prompts[1], new RegExp(`token for ${host.replace(/\./g, '\\.')}`), 'the second prompt asks the clone\'s host');
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), await git(path.join(scratch, 'git', 'kong-demo.git'), 'rev-parse', 'main'));
    assert.equal(await git(dir, 'status', '--porcelain'), '');
    assert.doesNotMatch(await fsp.readFile(path.join(dir, '.git', 'config'), 'utf8'), new RegExp(TOKEN), 'the token is not in .git/config');
    // the token the server accepted is kept for that host, as a clone with the token typed at once keeps it
    assert.deepEqual(await api.sync.credentials.getCredentials(url), { username: undefined, token: TOKEN });
    // nothing left beside the clone (no hidden temporary folder of the failed attempt)
    assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['kong-demo']);
  });
});
