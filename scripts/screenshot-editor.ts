// Takes docs/editor.png: the reference editor (built by rollup, as `npm start` serves it) with the LWay panel
// docked, a selection dragged on the sample image and one upscale run shown in the panel.
// Usage: npx tsx scripts/screenshot-editor.ts [--no-build]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
// @ts-expect-error plain JS module without types
import { startServer } from './serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/e2e-harness.js';

if (!process.argv.includes('--no-build')) {
  const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const server = (await startServer({ port: 0 })) as { url: string; close: () => Promise<void> };
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1040 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${server.url}?zoom=4`);
  await page.waitForFunction(() => document.body.dataset.plugin === 'ready', null, { timeout: 60_000 });
  const box = (await page.locator('canvas.doc-canvas').boundingBox())!;
  const [x0, y0, x1, y1] = [40, 44, 56, 60];
  await page.mouse.move(box.x + x0 * 4, box.y + y0 * 4);
  await page.mouse.down();
  await page.mouse.move(box.x + x1 * 4, box.y + y1 * 4, { steps: 4 });
  await page.mouse.up();
  const frame = page.frames().find((f) => f.url().includes('/plugin/index.html'))!;
  // The panel picks its default model once the worker has listed them.
  await frame.waitForFunction(
    () =>
      (document.querySelector('lway-panel') as { settings?: { modelId?: string } } | null)?.settings?.modelId,
    null,
    { timeout: 60_000 },
  );
  const phase = await frame.evaluate(async () => {
    const el = document.querySelector('lway-panel') as unknown as {
      refreshSource(): Promise<void>;
      run(): Promise<void>;
      settings: Record<string, unknown>;
      job: { phase: string; error?: unknown };
    };
    await el.refreshSource();
    el.settings = { ...el.settings, adaptEnabled: false };
    await el.run();
    return el.job.phase === 'error' ? `error ${JSON.stringify(el.job.error)}` : el.job.phase;
  });
  console.log(`panel job phase: ${phase}`);
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/editor.png' });
  console.log('wrote docs/editor.png');
} finally {
  await browser.close();
  await server.close();
}
