// Renders the panel in headless Chromium (playwright-core) with fakes and saves docs/panel-{idle,running,result}.png,
// so the screenshots stay current. Skips with a message when Chromium is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { build } from 'esbuild';
import sharp, { type Sharp } from 'sharp';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { DEFAULT_ADAPT_OPTIONS } from '../../src/core/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SAMPLE = 'samples/sample.png';

async function raw(img: Sharp): Promise<{ width: number; height: number; data: number[] }> {
  const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: Array.from(data) };
}

/** A page with the screenshot bundle loaded and the panel mounted with `input` (state, theme, pixels). */
async function mountPanelPage(
  browser: Browser,
  script: string,
  input: Record<string, unknown>,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(options);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setContent('<!doctype html><html><body style="margin:16px"></body></html>');
  await page.addScriptTag({ content: script, type: 'module' });
  await page.waitForFunction(() => 'lwayScreenshot' in globalThis);
  await page.evaluate(
    (i) =>
      (
        globalThis as unknown as { lwayScreenshot: { mount(i: unknown): Promise<void> } }
      ).lwayScreenshot.mount(i),
    input,
  );
  return { page, errors };
}

test(
  'panel screenshots (idle, running, result) are saved to docs/',
  { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` },
  async () => {
    const bundle = await build({
      entryPoints: ['test/panel/screenshot-page.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    });
    const script = bundle.outputFiles[0].text;
    // A 48x40 crop of the sample photo as the "selection"; the stand-in result is its Lanczos x4 resize.
    const crop = sharp(SAMPLE).extract({ left: 40, top: 44, width: 48, height: 40 });
    const source = await raw(crop.clone());
    const after = await raw(
      sharp(await crop.clone().png().toBuffer()).resize(192, 160, { kernel: 'lanczos3' }),
    );
    // A simple edge map for the W overlay: local gradient magnitude of luma, normalised, then blended towards all
    // ones by the default strength as haarWeightMap does (at strength 0 the preview is flat, as in the product).
    const strength = DEFAULT_ADAPT_OPTIONS.strength;
    const luma = (i: number): number =>
      0.299 * source.data[4 * i] + 0.587 * source.data[4 * i + 1] + 0.114 * source.data[4 * i + 2];
    const weights: number[] = [];
    for (let y = 0; y < source.height; y++)
      for (let x = 0; x < source.width; x++) {
        const i = y * source.width + x;
        const gx = x + 1 < source.width ? luma(i + 1) - luma(i) : 0;
        const gy = y + 1 < source.height ? luma(i + source.width) - luma(i) : 0;
        weights.push(1 - strength + strength * Math.min(1, Math.hypot(gx, gy) / 60));
      }

    mkdirSync('docs', { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const shots = [
        { state: 'idle', theme: 'light', file: 'docs/panel-idle.png' },
        { state: 'running', theme: 'dark', file: 'docs/panel-running.png' },
        { state: 'result', theme: 'light', file: 'docs/panel-result.png' },
      ] as const;
      for (const shot of shots) {
        const { page, errors } = await mountPanelPage(
          browser,
          script,
          { state: shot.state, theme: shot.theme, source, after, weights },
          { viewport: { width: 420, height: 1000 }, deviceScaleFactor: 1 },
        );
        const panel = page.locator('lway-panel');
        if (shot.state === 'running') await panel.locator('lway-loss-curve').waitFor();
        if (shot.state === 'result') await panel.locator('lway-compare #add').waitFor();
        await panel.screenshot({ path: shot.file });
        assert.deepEqual(errors, []);
        const meta = await sharp(shot.file).metadata();
        assert.ok(
          (meta.width ?? 0) > 300 && (meta.height ?? 0) > 300,
          `${shot.file} is ${meta.width}x${meta.height}`,
        );
        assert.ok(statSync(shot.file).size > 5000);
        await page.close();
      }

      // Without a host theme the panel follows prefers-color-scheme, live.
      const { page, errors } = await mountPanelPage(
        browser,
        script,
        { state: 'idle', source, weights },
        { colorScheme: 'dark' },
      );
      const theme = () => page.locator('lway-panel').getAttribute('data-theme');
      assert.equal(await theme(), 'dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.waitForFunction(() => document.querySelector('lway-panel')?.dataset.theme === 'light');
      assert.equal(await theme(), 'light');
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await browser.close();
    }
  },
);
