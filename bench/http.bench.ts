// send_overhead_ratio: Hammock's render (context + templates) + build + send of a small GET against a raw undici
// request to the same loopback server (both keep-alive, each sample = a batch of requests, medians, paired).
// send_50mb_rss_mb: peak RSS growth (MB) while receiving a 50 MB response (the body past 10 MB spills to a temp file).
import { promises as fsp } from 'node:fs';
import { Agent, request } from 'undici';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';
import { collectGarbage, measurePaired } from './measure';
import { buildRenderContext, closeConnections, renderRequest, sendRequest } from '../src/http';
import type { Collection, HttpRequest } from '../src/collections/model';
import { startTestServer } from '../test/support/httpServer';

export const targets: BenchTargets = { send_overhead_ratio: 1.2, send_50mb_rss_mb: 100 };

const BATCH = 50;

function smallGetCollection(baseUrl: string): { collection: Collection; request: HttpRequest } {
  const src = { file: '/bench/none.yml', yamlPath: [], line: 0 };
  const req: HttpRequest = {
    id: 'req_bench',
    kind: 'request',
    parentId: 'wrk_bench',
    name: 'small GET',
    description: '',
    sortKey: 0,
    source: src,
    method: 'GET',
    url: '{{ _.base_url }}/echo',
    parameters: [{ name: 'q', value: '{{ q }}' }],
    pathParameters: [],
    headers: [{ name: 'Accept', value: 'application/json' }],
    body: {},
    authentication: { type: 'bearer', token: '{{ token }}' },
    scripts: { preRequest: '', afterResponse: '' },
    settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true },
  };
  const collection: Collection = {
    id: 'wrk_bench',
    format: 'legacy',
    path: '/bench/none',
    name: 'bench',
    description: '',
    scope: 'collection',
    children: [req],
    baseEnvironment: { id: 'env_b', parentId: 'wrk_bench', name: 'Base', data: { base_url: baseUrl, q: 'x', token: 't0k' }, color: null, sortKey: 0, isPrivate: false, source: src, subEnvironments: [] },
    problems: [],
    source: src,
  };
  return { collection, request: req };
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const server = await startTestServer();
  const raw = new Agent({ keepAliveTimeout: 4000 });
  try {
    const { collection, request: req } = smallGetCollection(server.httpUrl);
    const hammock = async (): Promise<void> => {
      for (let i = 0; i < BATCH; i++) {
        const context = buildRenderContext(collection, req.id);
        const rendered = await renderRequest(req, collection, context);
        const res = await sendRequest(rendered, { followRedirects: true, rejectUnauthorized: true });
        if (res.status !== 200) throw new Error(`status ${res.status}`);
      }
    };
    const url = `${server.httpUrl}/echo?q=x`;
    const baseline = async (): Promise<void> => {
      for (let i = 0; i < BATCH; i++) {
        const res = await request(url, { headers: { accept: 'application/json', authorization: 'Bearer t0k' }, dispatcher: raw });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      }
    };
    const paired = await measurePaired(hammock, baseline, { warmup: ctx.warmup + 1, iterations: ctx.iterations });
    ctx.log(`small GET x${BATCH}: hammock ${paired.subjectMs.toFixed(1)} ms, raw undici ${paired.baselineMs.toFixed(1)} ms`);

    // 50 MB: peak RSS growth sampled every 5 ms while the response streams in
    const tmp = await ctx.tempDir('http');
    const big = await renderRequest({ ...req, url: `${server.httpUrl}/big?mb=50`, parameters: [] }, collection, buildRenderContext(collection, req.id));
    collectGarbage();
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    const res = await sendRequest(big, { followRedirects: true, rejectUnauthorized: true, tempDir: tmp });
    peak = Math.max(peak, process.memoryUsage.rss());
    clearInterval(sampler);
    if (res.bodySize !== 50 * 1024 * 1024) throw new Error(`got ${res.bodySize} bytes`);
    if (res.bodyFile) await fsp.rm(res.bodyFile, { force: true });
    const growthMb = (peak - before) / (1024 * 1024);
    ctx.log(`50 MB response: peak RSS +${growthMb.toFixed(1)} MB (in memory ${res.body.length} bytes, rest in a temp file)`);
    return {
      send_overhead_ratio: paired.ratio,
      send_small_get_ms: paired.subjectMs / BATCH,
      send_small_get_raw_ms: paired.baselineMs / BATCH,
      send_50mb_rss_mb: growthMb,
    };
  } finally {
    await raw.close();
    await closeConnections();
    await server.close();
  }
}
