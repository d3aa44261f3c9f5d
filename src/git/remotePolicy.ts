// Which remotes a token may be sent to. `https://` always; `http://` only to a loopback address (a local test
// server, an SSH tunnel), or after the user accepted that the token travels in clear text: anyone on the path
// can read it. The decision is pure; the asking is the caller's (`GitAuthProvider.confirmCleartext`, a modal
// warning on the VS Code side). Used by AuthSession before anything is sent.

import * as net from 'net';
import { GitError, GitErrorCode } from './gitError';

export type TransportVerdict =
  /** https: nothing to ask. */
  | { kind: 'secure' }
  /** http to this machine: nothing leaves it. */
  | { kind: 'loopback' }
  /** http to another host: the token would travel in clear text. */
  | { kind: 'cleartext'; host: string };

/** `localhost`, `*.localhost` (RFC 6761), 127.0.0.0/8, ::1 and ::ffff:127.x. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1' || /^0*:(0*:){0,6}0*1$/.test(h) || /^(0+:){7}0*1$/.test(h)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return !!mapped && mapped[1].startsWith('127.');
  }
  return false;
}

/** What sending credentials to `url` means. Anything not http(s) is judged elsewhere (parseRemoteUrl, SSH). */
export function transportVerdict(url: string): TransportVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'secure' };
  }
  if (parsed.protocol !== 'http:') return { kind: 'secure' };
  return isLoopbackHost(parsed.hostname) ? { kind: 'loopback' } : { kind: 'cleartext', host: parsed.host };
}

/** The message of the modal warning (one wording for the prompt and the error). */
export function cleartextWarning(host: string): string {
  return `http://${host} is not encrypted: your access token would travel in clear text, readable by anyone on the network path. Use https:// if the server offers it.`;
}

/**
 * Throws InsecureRemote for an `http://` remote that is not loopback unless `confirm` says yes (asked once per
 * call; the caller remembers the answer if it wants to).
 */
export async function assertTransportAllowed(url: string, confirm?: (url: string, host: string) => Promise<boolean> | boolean): Promise<void> {
  const verdict = transportVerdict(url);
  if (verdict.kind !== 'cleartext') return;
  if (confirm && (await confirm(url, verdict.host))) return;
  const httpsUrl = new URL(url);
  httpsUrl.protocol = 'https:';
  if (httpsUrl.port === '80') httpsUrl.port = '';
  throw new GitError(
    GitErrorCode.InsecureRemote,
    `Refused to use http://${verdict.host}: the access token would travel in clear text. Use an https:// URL (http:// is accepted only for this machine, or after you confirm the warning).`,
    { httpsUrl: httpsUrl.toString() },
  );
}
