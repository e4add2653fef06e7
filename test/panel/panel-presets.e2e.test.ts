// End to end in headless Chromium: every preset in the panel's model picker loads in the real worker over HTTP
// from /models/<id>/ (what `npm start` serves: models/, filled by scripts/setup-models.ts) and upscales a tiny
// selection of the reference editor's document. Adaptation off, wasm backend, 8x8 input: the point is that each
// preset's files are there and load, not speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
// @ts-expect-error plain JS module without types
import { startServer } from '../../scripts/serve.mjs';
import { PRESETS } from '../../src/core/models/preset-info.js';
import { bundlePanelEditor, openEditorWithSelection, type Panel } from './panel-e2e-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = 'build/panel-presets-e2e';
const SELECTION = { x: 40, y: 44, width: 8, height: 8 };
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

test(
  'every preset in the panel picker loads from /models/<id>/ and upscales an 8x8 selection',
  { skip },
  async () => {
    await bundlePanelEditor(OUT);
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
      const failedFetches: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failedFetches.push(`${r.status()} ${r.url()}`);
      });
      const frame = await openEditorWithSelection(page, server.url, SELECTION);
      const picker = frame.locator('lway-model-picker select#model');
      const offered = await picker
        .locator('option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      assert.deepEqual(
        offered,
        PRESETS.map((p) => p.id),
        'the picker offers every preset',
      );
      await frame.evaluate(async () => {
        const el = document.querySelector('lway-panel') as unknown as Panel;
        await el.refreshSource();
        el.settings = { ...el.settings, adaptEnabled: false, backend: 'wasm' };
      });

      const results: Record<string, unknown> = {};
      for (const id of offered) {
        await picker.selectOption(id); // through the picker's own change handler, as a user would
        results[id] = await frame.evaluate(async () => {
          const el = document.querySelector('lway-panel') as unknown as Panel;
          await el.run();
          const r = el.job.result;
          return {
            model: el.settings.modelId,
            phase: el.job.phase,
            error: el.job.error ?? null,
            out: r ? [r.pixels.width, r.pixels.height] : null,
          };
        });
      }
      const want = Object.fromEntries(
        PRESETS.map((p) => [
          p.id,
          { model: p.id, phase: 'result', error: null, out: [8 * p.scale, 8 * p.scale] },
        ]),
      );
      assert.deepEqual(results, want);
      assert.deepEqual(failedFetches, []);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
