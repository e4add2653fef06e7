// End to end in headless Chromium: the reference editor hosts a plugin through the host SDK (sandboxed iframe),
// the user drags an 8x8 selection and runs "Upscale selection"; a 32x32 layer appears at the selection with real
// content and the original layer is untouched. A cancelled run leaves the document as it was. The same flow runs
// against the Photopea emulator through the Photopea adapter.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { e2eSkipReason, useEditorSuite } from './e2e-harness.js';
import { hashPixels } from './hash-pixels.js';
import { documentLayers } from './document-layers.js';

const skip = e2eSkipReason();

const layers = documentLayers;

async function pluginFrame(page: Page, path: string): Promise<Frame> {
  for (let i = 0; i < 200; i++) {
    const f = page.frames().find((x) => x.url().includes(path));
    if (f) return f;
    await page.waitForTimeout(50);
  }
  throw new Error(`no frame ${path}`);
}

/** Drags a selection from doc (x0, y0) to (x1, y1) on the editor canvas (zoom 2). */
async function dragSelection(page: Page, x0: number, y0: number, x1: number, y1: number): Promise<void> {
  const box = (await page.locator('canvas.doc-canvas').boundingBox())!;
  await page.mouse.move(box.x + x0 * 2, box.y + y0 * 2);
  await page.mouse.down();
  await page.mouse.move(box.x + ((x0 + x1) / 2) * 2, box.y + ((y0 + y1) / 2) * 2);
  await page.mouse.move(box.x + x1 * 2, box.y + y1 * 2);
  await page.mouse.up();
}

function assertNonTrivial(pixels: number[]): void {
  const rgb = pixels.filter((_, i) => i % 4 !== 3);
  const mean = rgb.reduce((a, b) => a + b, 0) / rgb.length;
  const sd = Math.sqrt(rgb.reduce((a, b) => a + (b - mean) ** 2, 0) / rgb.length);
  assert.ok(sd > 5, `upscaled layer has texture (sd ${sd.toFixed(1)})`);
  assert.ok(
    pixels.filter((_, i) => i % 4 === 3).every((a) => a === 255),
    'opaque like its source',
  );
}

describe('e2e: editor + plugin in Chromium', { skip }, () => {
  const suite = useEditorSuite();

  async function openEditor(manifest: string): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width: 1100, height: 700 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${suite.server.url}?plugin=${encodeURIComponent(manifest)}`);
    await page.waitForFunction(() => document.body.dataset.plugin === 'ready', null, { timeout: 60_000 });
    return page;
  }

  it('upscales a dragged 8x8 selection into a new 32x32 layer at the selection', async () => {
    const page = await openEditor('/e2e/test-plugin/manifest.json');
    const before = await layers(page);
    assert.equal(before.length, 1);
    const originalHash = hashPixels(before[0].pixels);

    await dragSelection(page, 10, 12, 18, 20);
    assert.deepEqual(await page.evaluate(() => window.lwayEditor.doc.selection), {
      x: 10,
      y: 12,
      width: 8,
      height: 8,
    });

    await page.click('button[data-command="lway.upscaleSelection"]');
    await page.waitForFunction(() => window.lwayEditor.doc.layers.length === 2, null, { timeout: 60_000 });
    const after = await layers(page);
    const added = after[1];
    assert.deepEqual([added.x, added.y, added.width, added.height], [10, 12, 32, 32]);
    assert.equal(added.name, 'LWay x4');
    assertNonTrivial(added.pixels);
    assert.equal(hashPixels(after[0].pixels), originalHash, 'original layer unchanged');
    await page.close();
  });

  it('the plugin runs sandboxed (origin "null") and can still start its worker', async () => {
    const page = await openEditor('/e2e/test-plugin/manifest.json');
    const frame = await pluginFrame(page, '/e2e/test-plugin/index.html');
    await frame.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    const info = await frame.evaluate(() => ({ ...document.body.dataset }));
    assert.equal(info.pageOrigin, 'null');
    assert.match(info.workerUrl ?? '', /\/e2e\/test-plugin\/echo-worker\.js\?probe=1$/);
    assert.equal(await page.locator('iframe.lway-plugin-frame').getAttribute('sandbox'), 'allow-scripts');
    await page.close();
  });

  it('a run cancelled midway leaves the document as it was', async () => {
    const page = await openEditor('/e2e/test-plugin/manifest-cancel.json');
    const before = await layers(page);
    await dragSelection(page, 4, 4, 44, 44); // 40x40: several 16px tiles, cancelled after the first
    const frame = await pluginFrame(page, '/e2e/test-plugin/index.html');
    await page.click('button[data-command="lway.upscaleSelection"]');
    await frame.waitForFunction(
      () =>
        ['cancelled', 'done'].includes(document.body.dataset.state ?? '') ||
        document.body.dataset.state?.startsWith('error'),
      null,
      { timeout: 60_000 },
    );
    assert.equal(await frame.evaluate(() => document.body.dataset.state), 'cancelled');
    const after = await layers(page);
    assert.equal(after.length, 1);
    assert.equal(hashPixels(after[0].pixels), hashPixels(before[0].pixels));
    await page.close();
  });

  it('a plugin without layer:write cannot add a layer', async () => {
    const page = await openEditor('/e2e/test-plugin/manifest-readonly.json');
    await dragSelection(page, 10, 12, 18, 20);
    const frame = await pluginFrame(page, '/e2e/test-plugin/index.html');
    await page.click('button[data-command="lway.upscaleSelection"]');
    await frame.waitForFunction(() => document.body.dataset.state?.startsWith('error'), null, {
      timeout: 60_000,
    });
    assert.match((await frame.evaluate(() => document.body.dataset.state)) ?? '', /layer:write/);
    assert.equal((await layers(page)).length, 1);
    await page.close();
  });

  it('the plugin reloading mid-session re-handshakes and keeps working', async () => {
    const page = await openEditor('/e2e/test-plugin/manifest.json');
    await page.click('#reload-plugin');
    await page
      .waitForFunction(() => document.body.dataset.plugin === 'loading', null, { timeout: 10_000 })
      .catch(() => undefined);
    await page.waitForFunction(() => document.body.dataset.plugin === 'ready', null, { timeout: 60_000 });
    await dragSelection(page, 0, 0, 8, 8);
    await page.click('button[data-command="lway.upscaleSelection"]');
    await page.waitForFunction(() => window.lwayEditor.doc.layers.length === 2, null, { timeout: 60_000 });
    const added = (await layers(page))[1];
    assert.deepEqual([added.x, added.y, added.width, added.height], [0, 0, 32, 32]);
    await page.close();
  });

  it('Photopea emulator: same flow through the Photopea adapter, surviving early "done"s and late layers', async () => {
    const page = await suite.browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${suite.server.url}e2e/photopea/index.html?selection=10,12,8,8`);
    const frame = await pluginFrame(page, '/e2e/test-plugin/index.html');
    await frame.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    const snap = () =>
      page.evaluate(() =>
        window.emulator.flatLayers().map((l) => ({
          name: l.name,
          x: l.x,
          y: l.y,
          width: l.width,
          height: l.height,
          rasterized: l.rasterized,
          visible: l.visible,
          hash: window.hashPixels(l.pixels),
          pixels: Array.from(l.pixels),
        })),
      );
    const before = await snap();
    await frame.evaluate(() => (window as unknown as { lwayRun: () => Promise<void> }).lwayRun());
    assert.equal(await frame.evaluate(() => document.body.dataset.state), 'done');
    const after = await snap();
    assert.equal(after.length, 2);
    const [added, bg] = after; // Photopea lists the top layer first
    assert.deepEqual([added.x, added.y, added.width, added.height], [10, 12, 32, 32]);
    assert.equal(added.name, 'LWay x4');
    assert.ok(added.rasterized, 'the opened image was rasterised');
    assertNonTrivial(added.pixels);
    assert.equal(bg.hash, before[0].hash, 'original layer unchanged');
    assert.ok(bg.visible, 'visibility restored after the export');
    const stats = await page.evaluate(() => window.emulator.stats);
    assert.deepEqual(stats.errors, []);
    assert.ok(stats.earlyDones > 0, 'early "done"s were sent');
    assert.equal(stats.delayedOpens, 1);
    await page.close();
  });

  it('tui-image-editor (from npm) hosts the plugin through a thin adapter: cropper selection -> new image object', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1000, height: 700 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${suite.server.url}e2e/tui/index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    const flat = () => page.evaluate(() => window.tui.toDataURL({ format: 'png' }));
    const original = await flat();
    // Select like a user: the cropper is tui's rectangular selection; drag it on the canvas (shown at 1:1 here).
    await page.evaluate(() => window.tui.startDrawingMode('CROPPER'));
    const box = (await page.locator('.upper-canvas').boundingBox())!;
    assert.equal(Math.round(box.width), 128, 'canvas shown at 1:1');
    await page.mouse.move(box.x + 10, box.y + 12);
    await page.mouse.down();
    await page.mouse.move(box.x + 14, box.y + 16);
    await page.mouse.move(box.x + 18, box.y + 20);
    await page.mouse.up();
    const crop = await page.evaluate(() => window.tui.getCropzoneRect());
    assert.deepEqual([crop!.left, crop!.top, crop!.width, crop!.height].map(Math.round), [10, 12, 8, 8]);
    const frame = await pluginFrame(page, '/e2e/test-plugin/index.html');
    await frame.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    await page.evaluate(() => window.lwayHost.runCommand('lway.upscaleSelection'));
    await frame.waitForFunction(
      () => document.body.dataset.state !== 'running' && document.body.dataset.state !== 'ready',
      null,
      { timeout: 60_000 },
    );
    assert.equal(await frame.evaluate(() => document.body.dataset.state), 'done');
    const id = Number(
      (await frame.evaluate(() => document.getElementById('log')!.textContent))!.match(/added (\d+)/)![1],
    );
    const placed = await page.evaluate((id) => {
      const tl = window.tui.getObjectPosition(id, 'left', 'top');
      const p = window.tui.getObjectProperties(id, ['width', 'height']);
      return [Math.round(tl.x), Math.round(tl.y), p.width, p.height];
    }, id);
    assert.deepEqual(placed, [10, 12, 32, 32]);
    assert.notEqual(await flat(), original, 'the new object shows on the canvas');
    await page.evaluate((id) => window.tui.removeObject(id), id);
    assert.equal(
      await flat(),
      original,
      'removing it restores the original pixels: the image itself was not touched',
    );
    await page.close();
  });

  it(
    'the real panel (rollup build, as npm start serves it): editor command -> upscale -> "Add as new layer"',
    {
      skip: existsSync('models/realesr-general-x4v3/weights.json')
        ? false
        : 'models/realesr-general-x4v3 missing',
    },
    async () => {
      const page = await suite.browser.newPage({ viewport: { width: 1100, height: 1000 } });
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(suite.server.url);
      await page.waitForFunction(() => document.body.dataset.plugin === 'ready', null, { timeout: 60_000 });
      const frame = await pluginFrame(page, '/plugin/index.html');
      await frame.waitForFunction(
        () =>
          (document.querySelector('lway-panel') as { settings?: { modelId?: string } } | null)?.settings
            ?.modelId,
        null,
        { timeout: 60_000 },
      );
      // Plain upscale: adaptation (LWay) takes ~45 s on SwiftShader and is the panel's and core's to test.
      await frame.evaluate(() => {
        const el = document.querySelector('lway-panel') as unknown as { settings: Record<string, unknown> };
        el.settings = { ...el.settings, adaptEnabled: false };
      });
      const original = hashPixels((await layers(page))[0].pixels);
      await dragSelection(page, 20, 24, 28, 32);
      await page.click('button[data-command="lway.upscaleSelection"]');
      await frame.waitForFunction(
        () => {
          const job = (document.querySelector('lway-panel') as { job?: { phase: string } } | null)?.job;
          return job?.phase === 'result' || job?.phase === 'error';
        },
        null,
        { timeout: 120_000 },
      );
      await frame.evaluate(() => {
        const compare = document.querySelector('lway-panel')?.shadowRoot?.querySelector('lway-compare');
        (compare?.shadowRoot?.querySelector('#add') as HTMLButtonElement).click();
      });
      await page.waitForFunction(() => window.lwayEditor.doc.layers.length === 2, null, { timeout: 30_000 });
      const [bg, added] = await layers(page);
      assert.deepEqual([added.x, added.y, added.width, added.height], [20, 24, 32, 32]);
      assertNonTrivial(added.pixels);
      assert.equal(hashPixels(bg.pixels), original, 'original layer unchanged');
      await page.close();
    },
  );
});
