// The UI driver of the in-host tests: a loopback HTTP endpoint through which a test running in the extension host
// asks the runner's Playwright page to act on the real workbench as a person does (click, type at human speed,
// select all and type over, press keys) inside a webview, and to read what the page shows. Posting messages into
// the host proves the host; this proves the page.
//
// POST /act  { frame: { selector, text? }, steps: Step[] }  -> { ok: true, results: unknown[] } | { ok: false, error }
//   frame: the webview frame holding an element `selector` (whose text is `text`, when given), found among the page's
//          frames (webviews are nested iframes), waited for up to 20 s.
//   Step:  { click: selector } | { hover: selector } | { type: text, delayMs?, jitterMs? } | { clipboard: text } | { press: key }
//          | { value: selector }
//          | { drag: selector, to: selector } | { attribute: selector, name } | { rect: selector } | { screenshot: name }
//          (rect: left, right, width, the frame's visible width, and the lines the element's text is drawn on)
//          | { wait: ms }
//   The frame may be the workbench's own page (a selector only it holds, as a tree row): then the steps act on the
//   workbench, as `drag` does to move a tree item with the mouse.
// The runner passes the driver's URL to the tests as HAMMOCK_UI_DRIVER.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/**
 * Starts the driver on 127.0.0.1 (any free port). `setPage(page)` hands it the Playwright page once the browser is up;
 * a request before that waits for it.
 * @param {{ screenshotDir: string, say?: (msg: string) => void }} options
 */
export async function startUiDriver({ screenshotDir, say = () => undefined }) {
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  /** @type {((p: import('playwright-core').Page) => void)[]} */
  const waiting = [];
  const pageReady = () => (page ? Promise.resolve(page) : new Promise((resolve) => waiting.push(resolve)));

  const findFrame = async (p, spec) => {
    const deadline = Date.now() + 20000;
    for (;;) {
      for (const f of p.frames()) {
        if (f.isDetached()) continue;
        try {
          const loc = spec.text === undefined ? f.locator(spec.selector) : f.locator(spec.selector, { hasText: spec.text });
          // a frame being torn down (a closed webview) may never answer: give it a second
          const seen = await Promise.race([loc.count().then(async (n) => n > 0 && (await loc.first().isVisible())), new Promise((r) => setTimeout(() => r(false), 1000))]);
          if (seen) return f;
        } catch { /* a frame that went away */ }
      }
      if (Date.now() > deadline) throw new Error(`no visible frame holds ${spec.selector}${spec.text === undefined ? '' : ` with the text ${JSON.stringify(spec.text)}`}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const act = async (body) => {
    const p = await pageReady();
    const frame = await findFrame(p, body.frame);
    const results = [];
    for (const step of body.steps ?? []) {
      if (step.click !== undefined) {
        await frame.locator(step.click).first().click();
        results.push(null);
      } else if (step.hover !== undefined) {
        // the mouse over the element: what shows a tree row's inline actions (Run Test) in the workbench
        await frame.locator(step.hover).first().hover();
        results.push(null);
      } else if (step.type !== undefined) {
        const base = step.delayMs ?? 40;
        const jitter = step.jitterMs ?? 0;
        for (const ch of step.type) {
          await p.keyboard.type(ch);
          await p.waitForTimeout(base + (jitter ? Math.floor(Math.random() * jitter) : 0));
        }
        results.push(null);
      } else if (step.drag !== undefined) {
        const source = frame.locator(step.drag).first();
        const target = frame.locator(step.to).first();
        // a person's drag: press on the item, move in steps (HTML5 drag and drop needs the moves), release on the target
        const from = await source.boundingBox({ timeout: 5000 });
        if (!from) throw new Error(`cannot drag ${step.drag}: not visible`);
        const x0 = from.x + from.width / 2;
        const y0 = from.y + from.height / 2;
        await p.mouse.move(x0, y0);
        await p.mouse.down();
        // start the drag, then head for the target where it is now (a list may scroll once a drag starts)
        await p.mouse.move(x0 + 5, y0 + 5, { steps: 3 });
        await p.waitForTimeout(100);
        for (let i = 0; i < 3; i++) {
          const to = await target.boundingBox({ timeout: 5000 });
          if (!to) throw new Error(`cannot drag to ${step.to}: not visible`);
          await p.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
          await p.waitForTimeout(150);
        }
        await p.mouse.up();
        results.push(null);
      } else if (step.clipboard !== undefined) {
        // puts text on the clipboard (the workbench page's, which the webviews share), for a Ctrl+V to paste
        await p.evaluate((t) => navigator.clipboard.writeText(t), step.clipboard);
        results.push(null);
      } else if (step.press !== undefined) {
        await p.keyboard.press(step.press);
        results.push(null);
      } else if (step.attribute !== undefined) {
        // every matching element's attribute, in page order (what a row says it is, say)
        results.push(await frame.locator(step.attribute).evaluateAll((els, name) => els.map((el) => el.getAttribute(name)), step.name));
      } else if (step.text !== undefined) {
        results.push(await frame.locator(step.text).first().evaluate((el) => el.textContent));
      } else if (step.value !== undefined) {
        results.push(await frame.locator(step.value).first().evaluate((el) => el.value ?? el.textContent));
      } else if (step.screenshot !== undefined) {
        fs.mkdirSync(screenshotDir, { recursive: true });
        const file = path.join(screenshotDir, `${String(step.screenshot).replace(/[^\w.-]/g, '_')}.png`);
        await p.screenshot({ path: file });
        results.push(file);
      } else if (step.rect !== undefined) {
        // where the first matching element sits in its frame, and the frame's visible width (what a person can see)
        results.push(await frame.locator(step.rect).first().evaluate((el) => {
          const r = el.getBoundingClientRect();
          // the lines its text is drawn on (a badge broken over two lines: 2)
          const range = document.createRange();
          range.selectNodeContents(el);
          const lines = new Set([...range.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, viewport: document.documentElement.clientWidth, lines };
        }));
      } else if (step.wait !== undefined) {
        await p.waitForTimeout(step.wait);
        results.push(null);
      } else {
        throw new Error(`unknown step ${JSON.stringify(step)}`);
      }
    }
    return results;
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const reply = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST' || req.url !== '/act') return reply(404, { ok: false, error: 'POST /act' });
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        reply(200, { ok: true, results: await act(body) });
      } catch (e) {
        say(`ui driver: ${e.message}`);
        reply(200, { ok: false, error: e.message });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    setPage(p) {
      page = p;
      for (const w of waiting.splice(0)) w(p);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
