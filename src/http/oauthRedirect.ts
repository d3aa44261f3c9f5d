// The OAuth 2.0 authorization code grant's way back into Hammock: a one-shot loopback HTTP listener. Pure (no 'vscode').
import * as http from 'node:http';

/** How long the authorization code grant waits for the browser to come back. */
const CODE_WAIT_MS = 5 * 60 * 1000;

/**
 * OAuth 2.0 authorization code: listens once on the redirect URL, which must be a loopback `http://` URL
 * (`http://127.0.0.1:<port>/...` or `http://localhost:<port>/...`, as RFC 8252 recommends for native apps), and
 * resolves with the `code` and `state` the browser brings back. Gives up after CODE_WAIT_MS or when cancelled.
 * Anything on this machine can reach the port (a web page, a script's `insomnia.sendRequest`): a redirect whose
 * `state` is not the one Hammock sent is answered 400 and ignored, so it can neither plant its own code nor end the
 * wait for the real one.
 */
export function receiveCodeOnLoopback(redirectUrl: string, state: string, signal?: AbortSignal): Promise<{ code: string; state?: string }> {
  let target: URL;
  try {
    target = new URL(redirectUrl);
  } catch {
    return Promise.reject(new Error(`The OAuth 2.0 redirect URL "${redirectUrl}" is not a URL; use http://127.0.0.1:<port>/callback`));
  }
  if (target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname) || !target.port) {
    return Promise.reject(new Error(`Hammock receives the OAuth 2.0 code on a loopback redirect URL with a port (http://127.0.0.1:<port>/callback), not ${redirectUrl}`));
  }
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', target);
      if (url.pathname !== target.pathname) {
        res.statusCode = 404;
        res.end();
        return;
      }
      if (url.searchParams.get('state') !== state) {
        res.statusCode = 400;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('This redirect does not carry the state of the login Hammock started: ignored.');
        return;
      }
      const code = url.searchParams.get('code');
      const error = url.searchParams.get('error');
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(code ? 'Hammock got the authorization code. You can close this tab.' : `Authorization failed: ${error ?? 'no code'}`);
      done(code ? undefined : new Error(`The authorization server answered ${error ?? 'without a code'}`), code ? { code, state: url.searchParams.get('state') ?? undefined } : undefined);
    });
    const timer = setTimeout(() => done(new Error('No OAuth 2.0 redirect came back within 5 minutes')), CODE_WAIT_MS);
    const onAbort = () => done(new Error('Cancelled'));
    signal?.addEventListener('abort', onAbort);
    function done(err?: Error, value?: { code: string; state?: string }): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      server.close();
      if (err) reject(err);
      else resolve(value as { code: string; state?: string });
    }
    server.on('error', (err) => done(err));
    server.listen(Number(target.port), target.hostname === 'localhost' ? '127.0.0.1' : target.hostname.replace(/^\[|\]$/g, ''));
  });
}
