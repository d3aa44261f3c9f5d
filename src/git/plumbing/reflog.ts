// Reflog entries, as git writes them (`.git/logs/HEAD`, `.git/logs/refs/heads/<branch>`): one line
// `<old> <new> <name> <<email>> <seconds> <+hhmm>\t<message>` appended per ref update, so `git reflog` and
// `HEAD@{1}` can find what Hammock's commits, checkouts, merges and pulls moved. core.logAllRefUpdates=false turns
// them off as in git.

import * as fsp from 'fs/promises';
import * as path from 'path';
import { GitConfig } from './gitConfig';
import { assertRefPath, realGitPath } from './gitFs';

export const ZERO_OID = '0000000000000000000000000000000000000000';

export interface ReflogIdentity {
  name: string;
  email: string;
}

function tz(date: Date): string {
  const off = -date.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
}

export function reflogLine(oldOid: string | null, newOid: string, who: ReflogIdentity, message: string, date = new Date()): string {
  // git's copy_reflog_msg: runs of (ASCII) whitespace become one space, none at either end
  const clean = message.split('\n', 1)[0].replace(/[ \t\r]+/g, ' ').replace(/^ | $/g, '');
  return `${oldOid ?? ZERO_OID} ${newOid} ${who.name} <${who.email}> ${Math.floor(date.getTime() / 1000)} ${tz(date)}\t${clean}\n`;
}

/** Appends one entry to the reflog of `ref` (`HEAD`, `refs/heads/main`, ...); `evenIfSame`: HEAD moving between branches on one commit. */
export async function appendReflog(gitdir: string, ref: string, oldOid: string | null, newOid: string, who: ReflogIdentity, message: string, evenIfSame = false): Promise<void> {
  if (oldOid === newOid && !evenIfSame) return;
  if (!GitConfig.load(gitdir).bool('core.logallrefupdates', true)) return;
  assertRefPath(ref);
  const file = realGitPath(path.join(gitdir, 'logs', ref));
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.appendFile(file, reflogLine(oldOid, newOid, who, message));
}
