// The package's metadata, checked without building it (npm test also builds the .vsix and runs the smoke and editor
// suites against it installed, see test/support/installedExtension.mjs): what the Marketplace shows resolves, and
// .vscodeignore lets in everything the extension loads.
import * as assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../..');
import { SENT_CONTEXT, SYNC_SET_UP_CONTEXT } from '../../src/walkthroughContext';
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string; version: string; publisher: string; license: string; main: string; icon: string;
  repository: { url: string }; categories: string[]; keywords: string[];
  contributes: {
    walkthroughs: { steps: { id: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }[] }[];
    languages: { configuration?: string }[];
    grammars: { path: string }[];
  };
};

/** Whether .vscodeignore lets `file` into the package: its last matching line decides (`!` lets in). */
function packaged(file: string): boolean {
  const lines = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let inside = true;
  for (const line of lines) {
    const negated = line.startsWith('!');
    const glob = negated ? line.slice(1) : line;
    const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
    if (re.test(file)) inside = negated;
  }
  return inside;
}

describe('package: what the .vsix holds and shows', () => {
  it('names its repository, license, icon, categories and keywords; the files exist', () => {
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+(\.git)?$/);
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.ok(manifest.categories.length > 0 && manifest.keywords.length > 0);
    const png = readFileSync(path.join(ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', 'vsce wants a PNG icon');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'a 128x128 icon');
    assert.match(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`## \\[${manifest.version.replace(/\./g, '\\.')}\\]`));
  });

  it("README's images are files of the repository (vsce links them as <repository>/raw/HEAD/<path>)", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length > 0);
    for (const img of images) {
      assert.ok(!/^[a-z]+:/.test(img), `${img}: a relative path, so it follows the repository`);
      assert.ok(existsSync(path.join(ROOT, img)), `${img} exists`);
      assert.match(img, /\.png$/, `${img}: the Marketplace shows no SVG from a repository`);
    }
  });

  it('lets in main, every bundle it loads, the walkthrough media, the grammar, and no sources', async () => {
    const { LAZY_BUNDLES } = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as { LAZY_BUNDLES: { out: string }[] };
    const wanted = [
      manifest.main.replace(/^\.\//, ''),
      ...LAZY_BUNDLES.map((l) => path.posix.join('dist', l.out)),
      'dist/statusWorker.js',
      'dist/transferWorker.js',
      'dist/planWorker.js',
      'dist/scriptWorker.js', 'dist/sandbox/runtime.js', 'dist/sandbox/nunjucks.js', 'dist/sandbox/modules/lodash.js',
      'dist/webview/editor.js', 'dist/webview/response.js', 'dist/webview/importPreview.js', 'dist/webview/codicons/codicon.ttf',
      manifest.icon, 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md',
      ...manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => (s.media.markdown ?? s.media.image)!)),
      // a templated body's language: its grammar and configuration
      ...manifest.contributes.grammars.map((g) => g.path),
      ...manifest.contributes.languages.flatMap((l) => (l.configuration ? [l.configuration] : [])),
    ].map((f) => f.replace(/^\.\//, ''));
    assert.ok(wanted.includes('syntaxes/hammock-json.tmLanguage.json'));
    for (const f of wanted.filter((w) => w.startsWith('syntaxes/'))) assert.ok(existsSync(path.join(ROOT, f)), `${f} exists`);
    for (const f of wanted) assert.ok(packaged(f), `${f} is in the package`);
    for (const f of ['src/extension.ts', 'node_modules/yaml/package.json', 'dist/extension.js.map', 'dist/cli.js', 'test/fixtures/SOURCES.md', 'bench/results.json']) {
      assert.ok(!packaged(f), `${f} is not in the package`);
    }
  });

  it('the walkthrough steps done without a command the workbench sees run complete on the context keys Hammock sets', () => {
    const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
    const eventsOf = (id: string) => steps.find((s) => s.id === id)?.completionEvents ?? [];
    // a Send from the request editor's page runs no command; Set Up Sync from a notification's button runs in the host
    assert.ok(eventsOf('editAndSend').includes(`onContext:${SENT_CONTEXT}`), eventsOf('editAndSend').join(', '));
    assert.ok(eventsOf('setUpSync').includes(`onContext:${SYNC_SET_UP_CONTEXT}`), eventsOf('setUpSync').join(', '));
  });

  it('npm run package stages every file or folder .vscodeignore lets in (dist/ is built there)', async () => {
    const { STAGED } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'package.mjs')).href)) as { STAGED: string[] };
    const letIn = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    for (const pattern of letIn) {
      const top = pattern.split('/')[0]!;
      assert.ok(top === 'dist' || STAGED.includes(top), `${pattern}: ${top} is copied into the staging folder`);
    }
  });
  it('tracks no symbolic link: a link into a worktree or the shared code-server (.vscode-test) replaces real folders on checkout', () => {
    if (!existsSync(path.join(ROOT, '.git'))) return; // a source tarball: nothing to check
    const links = execFileSync('git', ['ls-files', '-s'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })
      .split('\n')
      .filter((l) => l.startsWith('120000 '))
      .map((l) => l.split('\t')[1]);
    assert.deepEqual(links, []);
  });
});
