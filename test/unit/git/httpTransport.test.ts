// The HTTP client given to isomorphic-git: a proxy (plain HTTP and CONNECT tunnels), TLS verification
// (http.proxyStrictSSL), against the loopback git server.

import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import * as tls from 'tls';
import { execFileSync } from 'child_process';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { GitServer } from '../../support/gitServer';
import { initRepo, legacySeed, TempDirs } from './gitTestRepos';

const TOKEN = 'proxy-token';
const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };

describe('HTTP transport', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let url: string;
  let proxy: http.Server;
  let proxyPort: number;
  const proxied: string[] = [];
  let tlsFront: tls.Server;
  let tlsPort: number;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make(), token: TOKEN });
    server.createBareRepo('p', { seedDir: initRepo(tmp.make(), legacySeed(2)) });
    url = server.url('p');

    // a forward proxy: absolute-URL requests for http, CONNECT tunnels for https
    proxy = http.createServer((req, res) => {
      proxied.push(`${req.method} ${req.url}`);
      const target = new URL(req.url!);
      const up = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    proxy.on('connect', (req, socket: net.Socket, head) => {
      proxied.push(`CONNECT ${req.url}`);
      const [host, port] = req.url!.split(':');
      const up = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on('error', () => socket.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    proxyPort = (proxy.address() as net.AddressInfo).port;

    // TLS in front of the git server, with a self-signed certificate
    const certDir = tmp.make();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', 'key.pem', '-out', 'cert.pem'], {
      cwd: certDir,
      stdio: 'ignore',
    });
    tlsFront = tls.createServer({ key: fs.readFileSync(path.join(certDir, 'key.pem')), cert: fs.readFileSync(path.join(certDir, 'cert.pem')) }, (s) => {
      const up = net.connect(server.port, '127.0.0.1');
      s.pipe(up).pipe(s);
      up.on('error', () => s.destroy());
      s.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => tlsFront.listen(0, '127.0.0.1', () => r()));
    tlsPort = (tlsFront.address() as net.AddressInfo).port;
  });

  after(async () => {
    proxy.closeAllConnections();
    proxy.close();
    tlsFront.close();
    await server.close();
    tmp.cleanup();
  });

  it('goes through an HTTP proxy', async () => {
    proxied.length = 0;
    const client = await GitClient.clone({ url, dir: path.join(tmp.make(), 'r'), auth, transport: { proxy: `http://127.0.0.1:${proxyPort}` } });
    assert.ok(fs.existsSync(path.join(client.dir, '.insomnia/Workspace/wrk_1.yml')));
    assert.ok(proxied.some((l) => l.startsWith(`GET ${url}/info/refs`)), proxied.join('\n'));
  });

  it('refuses a self-signed certificate unless strictSSL is off; tunnels https through the proxy', async () => {
    const httpsUrl = `https://127.0.0.1:${tlsPort}/p.git`;
    let err: unknown;
    try {
      await GitClient.clone({ url: httpsUrl, dir: path.join(tmp.make(), 'r'), auth });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof GitError && err.code === GitErrorCode.TlsCertificate, String(err));
    assert.match((err as GitError).message, /proxyStrictSSL/);

    const direct = await GitClient.clone({ url: httpsUrl, dir: path.join(tmp.make(), 'r'), auth, transport: { strictSSL: false } });
    assert.ok(fs.existsSync(path.join(direct.dir, '.insomnia/Request/req_1.yml')));

    proxied.length = 0;
    const viaProxy = await GitClient.clone({
      url: httpsUrl,
      dir: path.join(tmp.make(), 'r'),
      auth,
      transport: { strictSSL: false, proxy: `http://127.0.0.1:${proxyPort}` },
    });
    assert.ok(fs.existsSync(path.join(viaProxy.dir, '.insomnia/Request/req_1.yml')));
    assert.ok(proxied.includes(`CONNECT 127.0.0.1:${tlsPort}`), proxied.join('\n'));
  });
});
