import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatRegionNoise } from '../../../src/core/metrics/flat-region-noise.js';
import { createRng } from '../../../src/core/degrade/prng.js';
import type { Pixels } from '../../../src/core/pixels.js';

/** LR: left half flat grey, right half a strong checkerboard (busy). */
function lrImage(): Pixels {
  const w = 32;
  const h = 16;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = x < 16 ? 128 : (x + y) % 2 ? 30 : 220;
  return { data, width: w, height: h, channels: 3 };
}

/** x4 nearest upscale of the LR plus Gaussian noise of `sigma` levels in the region `where`. */
function output(sigma: number, where: 'flat' | 'busy'): Pixels {
  const lr = lrImage();
  const w = lr.width * 4;
  const h = lr.height * 4;
  const rng = createRng(3);
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inFlat = x < w / 2;
      const e = (where === 'flat') === inFlat ? sigma * rng.normal() : 0;
      for (let c = 0; c < 3; c++) {
        const v = lr.data[(Math.floor(y / 4) * lr.width + Math.floor(x / 4)) * 3 + c] + e;
        data[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, width: w, height: h, channels: 3 };
}

test('flatRegionNoise measures grain added where the LR is flat, in levels', () => {
  const [clean, grainy] = flatRegionNoise(lrImage(), [output(0, 'flat'), output(6, 'flat')], { block: 8 });
  assert.ok(clean < 0.5, `clean ${clean}`);
  assert.ok(grainy > 4 && grainy < 8, `grainy ${grainy}`);
});

test('flatRegionNoise ignores texture added only where the LR is busy', () => {
  const [busy] = flatRegionNoise(lrImage(), [output(6, 'busy')], { block: 8, fraction: 0.5 });
  assert.ok(busy < 0.5, `busy-only noise measured as ${busy}`);
});

test('flatRegionNoise rejects an output that is not an integer multiple of the LR', () => {
  const odd: Pixels = { data: new Uint8Array(30 * 30 * 3), width: 30, height: 30, channels: 3 };
  assert.throws(() => flatRegionNoise(lrImage(), [odd]), /integer multiple/);
});

/** x4 nearest upscale of the LR with LR-pixel-sized blobs of noise of `sigma` levels: grain at the source's scale. */
function blobbyOutput(sigma: number): Pixels {
  const lr = lrImage();
  const rng = createRng(5);
  const blobs = Float64Array.from({ length: lr.width * lr.height }, () => sigma * rng.normal());
  const w = lr.width * 4;
  const data = new Uint8Array(w * lr.height * 4 * 3);
  for (let y = 0; y < lr.height * 4; y++)
    for (let x = 0; x < w; x++) {
      const k = Math.floor(y / 4) * lr.width + Math.floor(x / 4);
      for (let c = 0; c < 3; c++)
        data[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(lr.data[k * 3 + c] + blobs[k])));
    }
  return { data, width: w, height: lr.height * 4, channels: 3 };
}

test('flatRegionNoise level 3 sees grain painted at the LR pixel scale, which the finest band misses', () => {
  const out = blobbyOutput(6);
  const [fine] = flatRegionNoise(lrImage(), [out], { block: 8 });
  const [lrScale] = flatRegionNoise(lrImage(), [out], { block: 8, level: 3 });
  assert.ok(fine < 0.5, `finest band ${fine}`);
  assert.ok(lrScale > 4 && lrScale < 8, `level 3 ${lrScale}`);
  // Pixel-scale white noise fades at level 3 (averaged over 4x4 cells: sigma / 4).
  const [white] = flatRegionNoise(lrImage(), [output(6, 'flat')], { block: 8, level: 3 });
  assert.ok(white < 2.5, `white noise at level 3 ${white}`);
  assert.throws(() => flatRegionNoise(lrImage(), [out], { level: 0 }), /level/);
});
