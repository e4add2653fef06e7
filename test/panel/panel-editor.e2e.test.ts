// End to end in headless Chromium: the reference editor embeds the real panel (sandboxed iframe, opaque origin),
// the panel starts the real worker (core upscale with realesr-general-x4v3), and "Add as new layer" lands in the
// editor's document. Bundles with esbuild (seconds) instead of the full rollup build. Skips without Chromium or
// the model weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
// @ts-expect-error plain JS module without types
import { startServer } from '../../scripts/serve.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = 'build/panel-e2e';
const skip = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM}`
  : !existsSync('models/realesr-general-x4v3/weights.json')
    ? 'models/realesr-general-x4v3 missing (run scripts/setup-models.ts)'
    : false;

async function bundle(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  await build({
    entryPoints: {
      editor: 'editor/main.ts',
      'plugin/panel': 'src/panel/main.ts',
      'plugin/worker': 'src/panel/worker/main.ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: OUT,
    external: ['fs', 'path', 'os', 'crypto', 'worker_threads', 'perf_hooks', 'util', 'url', 'module'],
    logLevel: 'error',
  });
  const files: [string, string][] = [
    ['editor/index.html', 'index.html'],
    ['editor/editor.css', 'editor.css'],
    ['editor/plugin.html', 'plugin/index.html'],
    ['editor/icon.svg', 'plugin/icon.svg'],
    ['manifest.json', 'manifest.json'],
    ['samples/sample.png', 'samples/sample.png'],
  ];
  for (const [from, to] of files) {
    mkdirSync(dirname(join(OUT, to)), { recursive: true });
    copyFileSync(from, join(OUT, to));
  }
}

interface EditorLayer {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  pixels: Uint8ClampedArray | Uint8Array;
}

test('editor -> panel -> worker -> new layer, in a sandboxed plugin iframe', { skip }, async () => {
  await bundle();
  const server = (await startServer({ port: 0, mounts: { '/models/': 'models', '/': OUT } })) as {
    url: string;
    close: () => Promise<void>;
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu-sandbox', '--enable-unsafe-webgpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => 'lwayEditor' in window);
    await page.evaluate(async () => {
      const ed = (
        window as unknown as {
          lwayEditor: { ready: Promise<unknown>; doc: { setSelection(r: object): void } };
        }
      ).lwayEditor;
      await ed.ready;
      ed.doc.setSelection({ x: 40, y: 44, width: 8, height: 6 });
    });
    // The iframe may exist before it has navigated to the plugin page: wait for the page itself.
    let frame = page.frames().find((f) => f.url().includes('/plugin/'));
    for (let i = 0; !frame && i < 300; i++) {
      await page.waitForTimeout(100);
      frame = page.frames().find((f) => f.url().includes('/plugin/'));
    }
    assert.ok(frame, 'plugin iframe');
    await frame.waitForLoadState('domcontentloaded');
    // The plugin runs with an opaque origin: this is what makes the worker start from a blob.
    assert.equal(await frame.evaluate(() => globalThis.origin), 'null');
    await frame.waitForFunction(
      () =>
        (document.querySelector('lway-panel') as { settings?: { modelId: string } } | null)?.settings
          ?.modelId,
      undefined,
      { timeout: 60000 },
    );
    const run = await frame.evaluate(async () => {
      type Panel = HTMLElement & {
        refreshSource(): Promise<void>;
        run(): Promise<void>;
        settings: Record<string, unknown>;
        source?: { x: number; y: number; pixels: { width: number; height: number } };
        job: {
          phase: string;
          error?: unknown;
          result?: { pixels: { width: number; height: number; data: Uint8Array } };
        };
      };
      const el = document.querySelector('lway-panel') as unknown as Panel;
      await el.refreshSource();
      el.settings = { ...el.settings, adaptEnabled: false };
      await el.run();
      const r = el.job.result?.pixels;
      let sum = 0; // order-sensitive checksum, compared with the layer the editor receives
      for (const v of r?.data ?? []) sum = (sum * 31 + v) >>> 0;
      return {
        sum,
        phase: el.job.phase,
        error: el.job.error,
        source: el.source && [el.source.x, el.source.y, el.source.pixels.width, el.source.pixels.height],
        out: r && [r.width, r.height],
      };
    });
    const { sum, ...rest } = run;
    assert.ok(sum > 0, 'the result has pixels');
    assert.deepEqual(rest, { phase: 'result', error: undefined, source: [40, 44, 8, 6], out: [32, 24] });
    await frame.evaluate(() => {
      const panel = document.querySelector('lway-panel');
      const compare = panel?.shadowRoot?.querySelector('lway-compare');
      (compare?.shadowRoot?.querySelector('#add') as HTMLButtonElement).click();
    });
    await page.waitForFunction(
      () =>
        (window as unknown as { lwayEditor: { doc: { layers: unknown[] } } }).lwayEditor.doc.layers.length ===
        2,
    );
    const added = await page.evaluate(() => {
      const l = (window as unknown as { lwayEditor: { doc: { layers: EditorLayer[] } } }).lwayEditor.doc
        .layers[1];
      let sum = 0;
      for (const v of l.pixels) sum = (sum * 31 + v) >>> 0;
      return { name: l.name, x: l.x, y: l.y, width: l.width, height: l.height, sum };
    });
    assert.deepEqual(added, { name: 'sample.png ×4', x: 40, y: 44, width: 32, height: 24, sum });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
