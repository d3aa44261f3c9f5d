// An sshd on loopback for tests, as the HTTP git server is for HTTPS: Debian's openssh-server run as the current
// user with its own config (no PAM, a host key and a client key generated in a temp dir, public-key login only),
// serving bare repositories by their absolute paths (`ssh://<user>@127.0.0.1:<port><path>`). The client side is
// GIT_SSH_COMMAND with that key, no known_hosts and BatchMode: nothing ever prompts.
// openssh-server is one of scripts/systemPackages.mjs's packages: installed when missing (as root with apt-get,
// as .ci/run does), else the test fails saying the one command to run.

import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { createBareRepo } from './gitServer';

const SSHD = '/usr/sbin/sshd';

async function ensureSshd(): Promise<void> {
  if (fs.existsSync(SSHD)) return;
  // from test/support (mocha) or out/test/<suite> (the integration bundle): the project's scripts/ above
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'scripts', 'systemPackages.mjs')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const modulePath = path.join(dir, 'scripts', 'systemPackages.mjs');
  const { ensureSystemPackages } = (await import(modulePath)) as { ensureSystemPackages: (names: string[], o: { why: string }) => void };
  ensureSystemPackages(['openssh-server'], { why: 'the SSH tests (test/support/sshServer.ts)' });
}

/** A free loopback port (the OS picks it; the server started next binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export class SshServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** the temp dir holding keys and config. */
    readonly home: string,
    /** the private key the client uses. */
    readonly clientKey: string,
    readonly user: string,
    readonly log: string[],
  ) {}

  /** Starts sshd on a free loopback port and resolves once it listens. */
  static async start(): Promise<SshServer> {
    await ensureSshd();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-sshd-'));
    const hostKey = path.join(home, 'host_ed25519');
    const clientKey = path.join(home, 'client_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hammock-test', '-f', clientKey]);
    fs.copyFileSync(clientKey + '.pub', path.join(home, 'authorized_keys'));
    const user = os.userInfo().username;
    const isRoot = process.getuid?.() === 0;
    // sshd started as root insists on its privilege separation directory
    if (isRoot) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(home, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(home, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `PermitRootLogin ${isRoot ? 'prohibit-password' : 'no'}`,
      `AllowUsers ${user}`,
      'AllowTcpForwarding no',
      'X11Forwarding no',
      'PrintMotd no',
      'LogLevel INFO',
    ].join('\n');
    const configFile = path.join(home, 'sshd_config');
    fs.writeFileSync(configFile, config + '\n');
    const log: string[] = [];
    const child = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      const onData = (d: Buffer): void => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) {
          log.push(line);
          if (/Server listening on 127\.0\.0\.1 port/.test(line)) resolve();
        }
      };
      child.stderr!.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`sshd exited with ${code} before listening:\n${log.join('\n')}${buf}`)));
    });
    child.removeAllListeners('exit');
    return new SshServer(child, port, home, clientKey, user, log);
  }

  /** The environment a git client needs to reach this server without prompts. */
  get clientEnv(): Record<string, string> {
    return {
      GIT_SSH_COMMAND: [
        'ssh',
        '-F /dev/null',
        `-i ${this.clientKey}`,
        '-o IdentitiesOnly=yes',
        '-o StrictHostKeyChecking=no',
        '-o UserKnownHostsFile=/dev/null',
        '-o BatchMode=yes',
        '-o LogLevel=ERROR',
      ].join(' '),
    };
  }

  /** `ssh://user@127.0.0.1:port/abs/path`. */
  url(bareRepo: string): string {
    return `ssh://${this.user}@127.0.0.1:${this.port}${path.resolve(bareRepo)}`;
  }

  /** A bare repository in `projectRoot` (see gitServer.ts's createBareRepo). */
  createBareRepo(projectRoot: string, name: string, options: { protectMain?: boolean; seedDir?: string } = {}): string {
    return createBareRepo(projectRoot, name, options);
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
