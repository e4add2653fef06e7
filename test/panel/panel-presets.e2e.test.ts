// End to end in headless Chromium: every preset in the panel's model picker loads in the real worker over HTTP
// from /models/<id>/ (what `npm start` serves: models/, filled by scripts/setup-models.ts) and upscales a tiny
// selection of the reference editor's document. Adaptation off, wasm backend, 8x8 input: the point is that each
// preset's files are there and load, not speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { PRESETS } from '../../src/core/models/preset-info.js';
import { CHROMIUM, openEditorWithSelection, withPanelEditorPage, type Panel } from './panel-e2e-harness.js';

const OUT = 'build/panel-presets-e2e';
const SELECTION = { x: 40, y: 44, width: 8, height: 8 };
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

test(
  'every preset in the panel picker loads from /models/<id>/ and upscales an 8x8 selection',
  { skip },
  async () => {
    await withPanelEditorPage(OUT, async (page, url, errors) => {
      const failedFetches: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failedFetches.push(`${r.status()} ${r.url()}`);
      });
      const frame = await openEditorWithSelection(page, url, SELECTION);
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
    });
  },
);
