import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  resolveUpscaleOptions,
  DEFAULT_UPSCALE_OPTIONS,
  MAX_AUTO_TILE_SIZE,
  bytesPerInputPixel,
} from '../../src/core/upscale/upscale-options.js';
import { LwayError } from '../../src/core/errors.js';

const ctx = { backend: 'wasm', scale: 4 };

test('defaults: overlap from DEFAULT_UPSCALE_OPTIONS, tile from the backend budget, capped', () => {
  const o = resolveUpscaleOptions({}, ctx);
  assert.equal(o.overlap, DEFAULT_UPSCALE_OPTIONS.overlap);
  const expected = Math.min(
    MAX_AUTO_TILE_SIZE,
    // The budget covers the tile plus its context margin on both sides.
    Math.floor(Math.sqrt(o.memoryBudgetBytes / bytesPerInputPixel(4))) - 2 * o.contextPad,
  );
  assert.equal(o.tileSize, expected);
});

test('a smaller memory budget gives a smaller tile; default overlap shrinks to fit', () => {
  const o = resolveUpscaleOptions({ memoryBudgetBytes: 2 * 1024 * 1024 }, ctx);
  assert.equal(
    o.tileSize,
    Math.floor(Math.sqrt((2 * 1024 * 1024) / bytesPerInputPixel(4))) - 2 * o.contextPad,
  );
  assert.ok(o.tileSize < 64);
  assert.ok(o.overlap * 2 <= o.tileSize);
  const tiny = resolveUpscaleOptions({ memoryBudgetBytes: 1 }, ctx);
  assert.equal(tiny.tileSize, 8);
});

test('explicit tileSize wins over the budget', () => {
  assert.equal(resolveUpscaleOptions({ tileSize: 40, memoryBudgetBytes: 1 }, ctx).tileSize, 40);
});

const bad: [string, object, RegExp][] = [
  ['tileSize too small', { tileSize: 4 }, /tileSize must be an integer >= 8; got 4/],
  ['tileSize fractional', { tileSize: 33.3 }, /tileSize must be an integer >= 8; got 33.3/],
  ['tileSize NaN', { tileSize: NaN }, /got NaN/],
  ['overlap negative', { overlap: -2 }, /overlap must be an integer >= 0; got -2/],
  ['contextPad negative', { contextPad: -1 }, /contextPad must be an integer in \[0, 64\]; got -1/],
  ['contextPad too big', { contextPad: 65 }, /contextPad must be an integer in \[0, 64\]; got 65/],
  ['overlap too big', { tileSize: 32, overlap: 17 }, /overlap must be at most tileSize\/2 \(16\); got 17/],
  ['budget zero', { memoryBudgetBytes: 0 }, /memoryBudgetBytes must be a positive number; got 0/],
  ['onProgress not a function', { onProgress: 3 }, /onProgress must be a function; got number/],
];
for (const [name, opts, message] of bad) {
  test(`resolveUpscaleOptions rejects ${name}`, () => {
    assert.throws(
      () => resolveUpscaleOptions(opts, ctx),
      (err: unknown) => err instanceof LwayError && err.code === 'BAD_INPUT' && message.test(err.message),
    );
  });
}

test("contextPad: explicit option, else the model's own, else 10", () => {
  assert.equal(resolveUpscaleOptions({}, ctx).contextPad, 10);
  assert.equal(resolveUpscaleOptions({}, { ...ctx, contextPad: 0 }).contextPad, 0);
  assert.equal(resolveUpscaleOptions({ contextPad: 4 }, { ...ctx, contextPad: 0 }).contextPad, 4);
});
