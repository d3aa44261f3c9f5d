// The integration run against Hammock as users install it (runInCodeServer.mjs --installed): the .vsix that
// `npm run package` makes (scripts/package.mjs, the same function), installed into the run's own extensions folder
// with code-server's `--install-extension`, as a user's VS Code installs it. VS Code then loads Hammock from that
// folder, never from this checkout: a file left out of the package, a dependency missing from a bundle or a wrong
// `main` fails the run.
//
// VS Code runs an extensionTestsPath only in extension-development mode (its workbench returns early from the test
// runner without an extensionDevelopmentPath), so the run points extensionDevelopmentPath at an empty stub
// extension made here, with its own id and no code: the stub carries the tests, Hammock comes from the installed
// package. The tests learn where it is installed from HAMMOCK_TEST_INSTALLED (smoke.test.ts checks it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageVsix } from '../../scripts/package.mjs';
import { projectRoot } from './makeTestWorkspace.mjs';

/** The stub extension's identity: never Hammock's. */
export const TEST_HOST_ID = 'hammock-tests.integration-host';

/**
 * Packages Hammock, installs the .vsix into `<scratch>/extensions`, writes the stub development extension.
 * @param {{ scratch: string, csDir: string, say: (msg: string) => void }} o
 * @returns {{ extensionsDir: string, devStubDir: string, vsix: string, installedDir: string }}
 */
export function installPackagedExtension({ scratch, csDir, say }) {
  const vsix = path.join(scratch, 'hammock.vsix');
  const { bytes, files } = packageVsix({ out: vsix });
  say(`packaged ${files.length} files into ${path.basename(vsix)} (${(bytes / 1024).toFixed(0)} KB)`);

  const extensionsDir = path.join(scratch, 'extensions');
  const r = spawnSync(process.execPath, [
    path.join(csDir, 'out/node/entry.js'),
    '--extensions-dir', extensionsDir,
    '--user-data-dir', path.join(scratch, 'install-user-data'),
    '--install-extension', vsix,
  ], { encoding: 'utf8' });
  if (r.status !== 0 || !/successfully installed/.test(r.stdout)) {
    throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const installedDir = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  if (!fs.existsSync(path.join(installedDir, 'package.json'))) throw new Error(`the package was not installed to ${installedDir}`);
  say(`installed into ${installedDir}`);

  const devStubDir = path.join(scratch, 'integration-host');
  fs.mkdirSync(devStubDir, { recursive: true });
  const [publisher, name] = TEST_HOST_ID.split('.');
  fs.writeFileSync(path.join(devStubDir, 'package.json'), JSON.stringify({
    name,
    publisher,
    version: '0.0.0',
    description: 'Carries the integration tests into the extension host; Hammock itself is the installed package.',
    engines: { vscode: '*' },
  }, null, 2));
  return { extensionsDir, devStubDir, vsix, installedDir };
}
