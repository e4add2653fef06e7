// End to end in headless Chromium: the reference editor embeds the real panel (sandboxed iframe, opaque origin),
// the panel starts the real worker (realesr-general-x4v3), adapts it with 2 real LWay steps on a 16x12 selection
// (operator: the shipped stage-1 R, fetched over HTTP) and upscales; "Add as new layer" lands in the editor's
// document at the selection, 4x its size, and the original layer's pixels are unchanged. Cancelling during
// adaptation leaves the document as it was. The job runs on the wasm backend (the panel's Performance > Backend
// choice): one LWay step on SwiftShader WebGPU takes ~43 s, on wasm well under a second. Bundles with esbuild
// (seconds) instead of the full rollup build. Skips without Chromium or the model weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { hashPixels } from '../e2e/hash-pixels.js';
import { documentLayers } from '../e2e/document-layers.js';
import { CHROMIUM, openEditorWithSelection, withPanelEditorPage, type Panel } from './panel-e2e-harness.js';

const OUT = 'build/panel-e2e';
const STAGE1_X4 = 'models/lway-degradation/x4/weights.json';
const skip = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM}`
  : !existsSync('models/realesr-general-x4v3/weights.json')
    ? 'models/realesr-general-x4v3 missing (run scripts/setup-models.ts)'
    : false;

interface LayerFacts {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  hash: string;
  /** Distinct RGBA values: a flat or empty layer has one or two. */
  distinct: number;
}

/** The editor document's layers, each reduced to position, size and a pixel hash. */
async function layerFacts(page: Page): Promise<LayerFacts[]> {
  return (await documentLayers(page)).map(({ pixels, id: _id, ...l }) => {
    const distinct = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4)
      distinct.add(((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]) * 256 + pixels[i + 3]);
    return { ...l, hash: hashPixels(pixels), distinct: distinct.size };
  });
}

const SELECTION = { x: 40, y: 44, width: 16, height: 12 };

test(
  'editor -> panel -> worker (2 LWay steps on wasm) -> new layer; cancel mid-adaptation changes nothing',
  { skip },
  async () => {
    await withPanelEditorPage(OUT, async (page, url, errors) => {
      const frame = await openEditorWithSelection(page, url, SELECTION);
      // The plugin runs with an opaque origin: this is what makes the worker start from a blob.
      assert.equal(await frame.evaluate(() => globalThis.origin), 'null');
      const before = await layerFacts(page);
      assert.equal(before.length, 1);

      // Cancel during adaptation: many steps, so the job is surely still adapting when Cancel is pressed.
      await frame.evaluate(async () => {
        const el = document.querySelector('lway-panel') as unknown as Panel;
        await el.refreshSource();
        el.settings = { ...el.settings, adaptEnabled: true, backend: 'wasm', steps: 200 };
        void el.run();
      });
      await frame
        .waitForFunction(
          () => (document.querySelector('lway-panel') as unknown as Panel).job.progress?.stage === 'adapt',
          undefined,
          { timeout: 30000 },
        )
        .catch(async (err: unknown) => {
          const job = await frame.evaluate(() => {
            const { phase, error, progress } = (document.querySelector('lway-panel') as unknown as Panel).job;
            return { phase, error, progress };
          });
          throw new Error(`the job never reached the adapt stage: ${JSON.stringify(job)} (${String(err)})`);
        });
      await frame.evaluate(() => {
        const panel = document.querySelector('lway-panel');
        (panel?.shadowRoot?.querySelector('#cancel') as HTMLButtonElement).click();
      });
      assert.equal(
        await frame.evaluate(() => (document.querySelector('lway-panel') as unknown as Panel).job.phase),
        'idle',
      );
      await page.waitForTimeout(500); // anything the worker still sends for that job must change nothing
      assert.deepEqual(await layerFacts(page), before, 'a cancelled run leaves the document as it was');

      // A real run: 2 LWay steps, then the upscale.
      const run = await frame.evaluate(async () => {
        const el = document.querySelector('lway-panel') as unknown as Panel;
        el.settings = { ...el.settings, steps: 2 };
        await el.run();
        const r = el.job.result;
        return {
          phase: el.job.phase,
          error: el.job.error,
          backend: r?.backend,
          adaptedSteps: r?.adaptedSteps,
          l1Only: r?.notices.some((n) => n.includes('falls back to L1 alone')),
          knownOperatorNotices: r?.notices.filter((n) => n.includes('known-degradation operator')).length,
          source: el.source && [el.source.x, el.source.y, el.source.pixels.width, el.source.pixels.height],
          out: r && [r.pixels.width, r.pixels.height],
        };
      });
      assert.deepEqual(run, {
        phase: 'result',
        error: undefined,
        backend: 'wasm',
        adaptedSteps: 2,
        l1Only: false, // the LPIPS weights ship in models/lpips/, served under /models/
        // The trained stage-1 R from /models/lway-degradation/x4/; without it, the fallback says so.
        knownOperatorNotices: existsSync(STAGE1_X4) ? 0 : 1,
        source: [SELECTION.x, SELECTION.y, SELECTION.width, SELECTION.height],
        out: [SELECTION.width * 4, SELECTION.height * 4],
      });
      await frame.evaluate(() => {
        const panel = document.querySelector('lway-panel');
        const compare = panel?.shadowRoot?.querySelector('lway-compare');
        (compare?.shadowRoot?.querySelector('#add') as HTMLButtonElement).click();
      });
      await page.waitForFunction(
        () =>
          (window as unknown as { lwayEditor: { doc: { layers: unknown[] } } }).lwayEditor.doc.layers
            .length === 2,
      );
      const after = await layerFacts(page);
      assert.deepEqual(after[0], before[0], "the original layer's pixels are unchanged");
      const { hash, distinct, ...added } = after[1];
      assert.deepEqual(added, {
        name: 'sample.png ×4 (LWay)',
        x: SELECTION.x,
        y: SELECTION.y,
        width: SELECTION.width * 4,
        height: SELECTION.height * 4,
      });
      assert.ok(distinct > 100, `the new layer has real content (${distinct} distinct colours)`);
      assert.notEqual(hash, before[0].hash);
      assert.deepEqual(errors, []);
    });
  },
);
