// The folder `npm run test:integration:idle` opens: YAML but no Insomnia data (a CI config, an app's config, a
// dependency's), in .vscode-test/idle-workspace, made anew each run.
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = path.resolve('.vscode-test/idle-workspace');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
fs.mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
fs.writeFileSync(path.join(dir, '.travis.yml'), 'language: node_js\n');
fs.writeFileSync(path.join(dir, 'config', 'app.yaml'), 'name: app\nport: 8080\n');
fs.writeFileSync(path.join(dir, 'config', 'openapi.yaml'), 'openapi: 3.0.4\ninfo:\n  title: not an Insomnia file\n  version: 1.0.0\npaths: {}\n');
fs.writeFileSync(path.join(dir, 'node_modules', 'dep', '.travis.yml'), 'language: node_js\n');
console.log(`[idleWorkspace] ${dir}`);
