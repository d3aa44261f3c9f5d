// A remote that url.<base>.insteadOf rewrites, in a real VS Code: Set Up Sync with a URL that does not exist, which a
// rule in the repository's config maps onto the loopback server (as a corporate mirror rule does). git fetches from
// the server; so does Hammock, and the token is kept for the server's host, the one it connects to.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { GitServer } from '../support/gitServer';
import { activateHammock, gitAs, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Someone Else', email: 'else@hammock.invalid' });
const TOKEN = 'insteadof-token';
const NOWHERE = 'https://example.invalid/';

describe('a remote rewritten by url.<base>.insteadOf', function () {
  this.timeout(60_000);
  let api: HammockApi;
  let scratch: string;
  let server: GitServer;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-insteadof-it-')));
    server = await GitServer.start({ projectRoot: path.join(scratch, 'srv'), token: TOKEN });
  });
  after(async () => {
    await server?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('Set Up Sync: the fetch goes to the server the rule names; the token is kept for that host', async () => {
    fs.mkdirSync(path.join(scratch, 'srv'), { recursive: true });
    server.createBareRepo('team', { seedDir: workspaceRoot() });
    const url = server.url('team');
    const dir = path.join(scratch, 'wc');
    await git(scratch, 'clone', '-q', workspaceRoot(), dir);
    await git(dir, 'config', `url.${url.replace(/team\.git$/, '')}.insteadOf`, NOWHERE);
    await api.sync.openRepository(dir);
    const result = await vscode.commands.executeCommand<{ remoteUrl: string }>('hammock.setUpSync', dir, { remoteUrl: `${NOWHERE}team.git`, name: 'N', email: 'n@example.com', token: TOKEN });
    assert.equal(result?.remoteUrl, `${NOWHERE}team.git`, 'the URL as given is what is configured');
    assert.equal((await git(dir, 'config', 'remote.origin.url')).trim(), `${NOWHERE}team.git`);
    assert.equal((await git(dir, 'rev-parse', 'origin/main')).trim(), (await git(workspaceRoot(), 'rev-parse', 'HEAD')).trim(), 'fetched from the server');
    assert.deepEqual(await api.sync.credentials.getCredentials(url), { username: undefined, token: TOKEN }, 'kept for the host connected to');
    assert.equal(await api.sync.credentials.hasCredentials(`${NOWHERE}team.git`), false);
  });
});
