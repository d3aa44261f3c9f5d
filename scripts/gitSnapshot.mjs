// Turns a folder into a git repository on branch main with everything in it in one commit,
// with a fixed author and date so the commit is the same on every machine.
import { execFileSync } from 'node:child_process';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Hammock Tests',
  GIT_AUTHOR_EMAIL: 'tests@hammock.invalid',
  GIT_AUTHOR_DATE: '2025-01-01T12:00:00Z',
  GIT_COMMITTER_NAME: 'Hammock Tests',
  GIT_COMMITTER_EMAIL: 'tests@hammock.invalid',
  GIT_COMMITTER_DATE: '2025-01-01T12:00:00Z',
};

/**
 * `git init -b main` + add everything + commit in `dir`. Returns the commit id.
 * @param {string} dir
 * @param {string} message
 * @returns {string}
 */
export function gitSnapshot(dir, message) {
  const git = (...args) =>
    execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
      cwd: dir,
      env: { ...process.env, ...IDENTITY, GIT_CONFIG_NOSYSTEM: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', message);
  return git('rev-parse', 'HEAD');
}
