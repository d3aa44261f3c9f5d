// The working tree a path is in (isomorphic-git's findRoot: the nearest folder above holding `.git`), for the CLI.

import * as fs from 'node:fs';
import { isogit } from './isogit';

/** The repository's root folder holding `dir`; rejects when `dir` is in no git repository. */
export function findRepositoryRoot(dir: string): Promise<string> {
  return isogit().findRoot({ fs, filepath: dir });
}
