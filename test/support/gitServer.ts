// A smart-HTTP git server on loopback for tests: Node http in front of the system's `git http-backend` (CGI).
// HTTP Basic on every request (any user name; the password must equal the token, or auth is off with token null),
// chunked and gzip request bodies, protocol v2, and bare repositories whose `main` a pre-receive hook can protect.

import * as http from 'http';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync, spawn } from 'child_process';

export interface GitServerOptions {
  /** folder holding the bare repositories (`<name>.git`). */
  projectRoot: string;
  /** the password every request must carry; null disables authentication. */
  token?: string | null;
  port?: number;
  log?: (line: string) => void;
}

export const PROTECTION_MESSAGE = 'BRANCH PROTECTION: direct pushes to main are not allowed; push a branch and open a pull request';

const PRE_RECEIVE = `#!/bin/sh
# Simulated branch protection: reject any update of refs/heads/main.
status=0
while read old new ref; do
  if [ "$ref" = "refs/heads/main" ]; then
    echo "${PROTECTION_MESSAGE}" >&2
    status=1
  fi
done
exit $status
`;

export class GitServer {
  /** requests seen, with whether they carried an Authorization header (for "sent up front" assertions). */
  readonly requests: { method: string; url: string; authorized: boolean; status: number }[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    readonly projectRoot: string,
  ) {}

  static async start(options: GitServerOptions): Promise<GitServer> {
    const projectRoot = path.resolve(options.projectRoot);
    const token = options.token === undefined ? 'secret-token' : options.token;
    const log = options.log ?? (() => undefined);
    const backend = path.join(execFileSync('git', ['--exec-path']).toString().trim(), 'git-http-backend');
    let self: GitServer | undefined;
    const server = http.createServer((req, res) => {
      const m = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      const [user, pass] = m ? Buffer.from(m[1], 'base64').toString().split(/:(.*)/s) : [];
      const record = { method: req.method ?? 'GET', url: req.url ?? '', authorized: !!m, status: 200 };
      self?.requests.push(record);
      if (token && pass !== token) {
        record.status = 401;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
        res.end('Unauthorized\n');
        return;
      }
      const u = new URL(req.url ?? '/', 'http://localhost');
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: user || 'anonymous', // a non-empty REMOTE_USER enables receive-pack
        REMOTE_ADDR: req.socket.remoteAddress ?? '',
        REQUEST_METHOD: req.method,
        PATH_INFO: decodeURIComponent(u.pathname),
        QUERY_STRING: u.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        SERVER_PROTOCOL: 'HTTP/1.1',
        GATEWAY_INTERFACE: 'CGI/1.1',
      };
      if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) env['HTTP_' + k.toUpperCase().replace(/-/g, '_')] = Array.isArray(v) ? v.join(', ') : v;
      }
      const cgi = spawn(backend, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      cgi.on('error', (e) => {
        log(`spawn failed: ${e.message}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      req.pipe(cgi.stdin);
      cgi.stdin.on('error', () => undefined);
      cgi.stderr.on('data', (d) => log(String(d).trimEnd()));
      let head = Buffer.alloc(0);
      let headersDone = false;
      cgi.stdout.on('data', (chunk: Buffer) => {
        if (headersDone) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        let idx = head.indexOf('\r\n\r\n');
        let sep = 4;
        if (idx < 0) {
          idx = head.indexOf('\n\n');
          sep = 2;
        }
        if (idx < 0) return;
        let status = 200;
        let statusMsg = 'OK';
        const headers: Record<string, string> = {};
        for (const line of head.subarray(0, idx).toString().split(/\r?\n/)) {
          const i = line.indexOf(':');
          const key = line.slice(0, i).trim();
          const val = line.slice(i + 1).trim();
          if (key.toLowerCase() === 'status') {
            status = parseInt(val, 10);
            statusMsg = val.replace(/^\d+\s*/, '') || statusMsg;
          } else headers[key] = val;
        }
        record.status = status;
        res.writeHead(status, statusMsg, headers);
        headersDone = true;
        if (head.length > idx + sep) res.write(head.subarray(idx + sep));
      });
      cgi.on('close', (code) => {
        if (!headersDone) {
          if (!res.headersSent) res.writeHead(500);
          res.end(`git-http-backend exited ${code}\n`);
        } else res.end();
      });
      res.on('close', () => {
        if (cgi.exitCode === null) cgi.kill();
      });
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
    self = new GitServer(server, port, projectRoot);
    return self;
  }

  url(name: string): string {
    return `http://127.0.0.1:${this.port}/${name}.git`;
  }

  /**
   * Creates `<projectRoot>/<name>.git`. `seedDir`: a local repository whose HEAD becomes `main` (fetched, so hooks
   * do not run). `protectMain`: a pre-receive hook rejects every update of refs/heads/main with PROTECTION_MESSAGE.
   */
  createBareRepo(name: string, options: { protectMain?: boolean; seedDir?: string } = {}): string {
    return createBareRepo(this.projectRoot, name, options);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

export function createBareRepo(projectRoot: string, name: string, options: { protectMain?: boolean; seedDir?: string } = {}): string {
  const bare = path.join(projectRoot, name + '.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  execFileSync('git', ['-C', bare, 'config', 'http.receivepack', 'true']);
  if (options.seedDir) execFileSync('git', ['-C', bare, 'fetch', '-q', path.resolve(options.seedDir), '+HEAD:refs/heads/main']);
  if (options.protectMain) fs.writeFileSync(path.join(bare, 'hooks', 'pre-receive'), PRE_RECEIVE, { mode: 0o755 });
  return bare;
}

// CLI, for benchmarks that keep the server out of the measured process:
//   node --require tsx/cjs test/support/gitServer.ts <projectRoot> [token]   -> prints "listening <port>"
if (require.main === module) {
  const [projectRoot, token = 'secret-token'] = process.argv.slice(2);
  if (!projectRoot) {
    process.stderr.write('usage: gitServer.ts <projectRoot> [token]\n');
    process.exit(2);
  }
  void GitServer.start({ projectRoot, token }).then((s) => process.stdout.write(`listening ${s.port}\n`));
}
