// A loopback TCP proxy for fault tests: forwards every connection to a target port (the git server of
// test/support/gitServer.ts) byte for byte, and can break one HTTP exchange on purpose: cut the connection (FIN, or
// RST) or stall it (stop forwarding, keep it open) once N bytes of that exchange's response (or request body) have
// passed, or call back at that moment (to cancel an operation mid-transfer).
//
// Exchanges are told apart without parsing HTTP: a client does not pipeline, so bytes the client sends after the
// server has answered start the next request on that connection. Each exchange is named by its request line
// (`GET /repo.git/info/refs?service=git-upload-pack HTTP/1.1`), which rules match.

import * as net from 'net';

export type FaultAction = 'cut' | 'reset' | 'stall' | 'none';

export interface FaultRule {
  /** which exchange: matched against its request line. */
  request: RegExp;
  /** the n-th exchange matching `request` since the rule was set (1-based; default 1). */
  nth?: number;
  /** whose bytes are counted: the server's response (default) or the client's request. */
  direction?: 'response' | 'request';
  /** act once this many bytes of that direction have passed (the bytes before are forwarded). */
  afterBytes: number;
  /** cut: the rest is dropped and both sides closed (FIN); reset: closed with RST; stall: nothing more is forwarded. */
  action: FaultAction;
  /** called when the rule fires. */
  onFire?: () => void;
}

export interface Exchange {
  line: string;
  requestBytes: number;
  responseBytes: number;
}

interface Pipe {
  client: net.Socket;
  upstream: net.Socket;
  current: { exchange: Exchange; matchIndex: number | undefined } | undefined;
  answered: boolean;
  stalled: boolean;
}

export class CutProxy {
  /** every exchange seen since the last `reset()`, with the bytes that passed. */
  readonly exchanges: Exchange[] = [];
  private rule: FaultRule | undefined;
  private matches = 0;
  /** the rule acted (on the exchange it names). */
  fired = false;
  private readonly pipes = new Set<Pipe>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<CutProxy> {
    let self: CutProxy | undefined;
    const server = net.createServer((client) => self!.accept(client));
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
    self = new CutProxy(server, port, targetPort);
    return self;
  }

  /** The URL of repository `name` through the proxy. */
  url(name: string): string {
    return `http://127.0.0.1:${this.port}/${name}.git`;
  }

  /** Sets the fault for the next exchanges (undefined: pass everything through) and forgets what was seen. */
  setRule(rule: FaultRule | undefined): void {
    this.rule = rule;
    this.matches = 0;
    this.fired = false;
    this.exchanges.length = 0;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pipe: Pipe = { client, upstream, current: undefined, answered: false, stalled: false };
    this.pipes.add(pipe);
    const close = (): void => {
      this.pipes.delete(pipe);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', () => {
      if (!pipe.stalled) close();
    });
    upstream.on('close', () => {
      if (!pipe.stalled) client.end();
    });
    client.on('data', (chunk: Buffer) => this.fromClient(pipe, chunk));
    upstream.on('data', (chunk: Buffer) => this.fromServer(pipe, chunk));
  }

  private startExchange(pipe: Pipe, chunk: Buffer): void {
    const end = chunk.indexOf('\r\n');
    const exchange: Exchange = { line: chunk.toString('latin1', 0, end < 0 ? Math.min(chunk.length, 200) : end), requestBytes: 0, responseBytes: 0 };
    this.exchanges.push(exchange);
    let matchIndex: number | undefined;
    if (this.rule && !this.fired && this.rule.request.test(exchange.line)) matchIndex = ++this.matches;
    pipe.current = { exchange, matchIndex };
    pipe.answered = false;
  }

  /** Whether the rule applies to the pipe's current exchange in `direction`. */
  private ruleFor(pipe: Pipe, direction: 'request' | 'response'): FaultRule | undefined {
    const r = this.rule;
    if (!r || this.fired || !pipe.current || pipe.current.matchIndex !== (r.nth ?? 1)) return undefined;
    return (r.direction ?? 'response') === direction ? r : undefined;
  }

  private fromClient(pipe: Pipe, chunk: Buffer): void {
    if (pipe.stalled) return;
    if (!pipe.current || pipe.answered) this.startExchange(pipe, chunk);
    const ex = pipe.current!.exchange;
    const rule = this.ruleFor(pipe, 'request');
    if (rule && ex.requestBytes + chunk.length >= rule.afterBytes) {
      const keep = Math.max(0, rule.afterBytes - ex.requestBytes);
      ex.requestBytes += keep;
      pipe.upstream.write(chunk.subarray(0, keep));
      this.fire(pipe, rule);
      if (rule.action === 'none') this.fromClient(pipe, chunk.subarray(keep));
      return;
    }
    ex.requestBytes += chunk.length;
    pipe.upstream.write(chunk);
  }

  private fromServer(pipe: Pipe, chunk: Buffer): void {
    if (pipe.stalled || !pipe.current) return;
    pipe.answered = true;
    const ex = pipe.current.exchange;
    const rule = this.ruleFor(pipe, 'response');
    if (rule && ex.responseBytes + chunk.length >= rule.afterBytes) {
      const keep = Math.max(0, rule.afterBytes - ex.responseBytes);
      ex.responseBytes += keep;
      pipe.client.write(chunk.subarray(0, keep));
      this.fire(pipe, rule);
      if (rule.action === 'none') this.fromServer(pipe, chunk.subarray(keep));
      return;
    }
    ex.responseBytes += chunk.length;
    pipe.client.write(chunk);
  }

  private fire(pipe: Pipe, rule: FaultRule): void {
    this.fired = true;
    rule.onFire?.();
    switch (rule.action) {
      case 'none':
        return;
      case 'stall':
        pipe.stalled = true;
        pipe.upstream.pause();
        return;
      case 'cut':
        pipe.stalled = true;
        pipe.upstream.destroy();
        pipe.client.end();
        return;
      case 'reset':
        pipe.stalled = true;
        pipe.upstream.destroy();
        pipe.client.resetAndDestroy();
        return;
    }
  }

  async close(): Promise<void> {
    for (const p of this.pipes) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pipes.clear();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
