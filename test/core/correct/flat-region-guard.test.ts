// The flat-region guard: adaptation's fine-scale change is dropped where the LR is flat (within a few noise
// sigmas), kept where the LR has structure, and its smooth change is kept everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guardFlatRegions, structureMap } from '../../../src/core/correct/flat-region-guard.js';
import { createRng } from '../../../src/core/degrade/index.js';
import type { Pixels } from '../../../src/core/pixels.js';

const SCALE = 4;

function image(
  w: number,
  h: number,
  f: (x: number, y: number, c: number) => number,
  channels: 3 | 4 = 3,
): Pixels {
  const data = new Uint8ClampedArray(w * h * channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < channels; c++) data[(y * w + x) * channels + c] = f(x, y, c);
  return { data, width: w, height: h, channels };
}

/** Mean absolute difference of the first three channels, over a region of a `scale` x output. */
function meanAbsDiff(a: Pixels, b: Pixels, x0: number, x1: number): number {
  let s = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++)
    for (let x = x0; x < x1; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * a.width + x) * a.channels + c;
        s += Math.abs(a.data[i] - b.data[i]);
        n++;
      }
  return s / n;
}

// LR: left half flat grey with mild noise (sigma ~2 levels), right half a strong checkerboard (structure).
const rng = createRng(3);
const lr = image(32, 16, (x, y) =>
  x < 16 ? 128 + Math.round((rng.next() - 0.5) * 7) : (x >> 1) % 2 === (y >> 1) % 2 ? 40 : 220,
);
const W = lr.width * SCALE;
const H = lr.height * SCALE;
const reference = image(W, H, (x) => (x < W / 2 ? 128 : 130));
// Adapted = reference + a brightness lift of 6 everywhere + a +-12 one-LR-pixel grain pattern everywhere.
const grain = (x: number, y: number): number => (((x >> 2) + (y >> 2)) % 2 ? 12 : -12);
const adapted = image(W, H, (x, y) => (x < W / 2 ? 128 : 130) + 6 + grain(x, y));

test('structureMap: flat noisy half near 0, checkerboard half near 1, noise sigma floored', () => {
  const m = structureMap(lr);
  const at = (x: number, y: number): number => m.data[y * m.width + x];
  assert.ok(m.noiseSigma >= 1, `noise sigma ${m.noiseSigma} >= the floor`);
  assert.ok(at(4, 8) < 0.05, `flat: ${at(4, 8)}`);
  assert.ok(at(26, 8) > 0.95, `structure: ${at(26, 8)}`);
  const clean = structureMap(image(16, 16, () => 90));
  assert.equal(clean.noiseSigma, 1);
  assert.ok(
    clean.data.every((v) => v === 0),
    'a constant image is flat everywhere',
  );
});

test('guardFlatRegions drops the grain where the LR is flat, keeps it on structure, keeps the smooth lift', () => {
  const out = guardFlatRegions(lr, adapted, reference);
  // Flat half (away from the boundary): the grain is gone, the +6 lift stays.
  const lift = meanAbsDiff(out, reference, 8, W / 2 - 24);
  assert.ok(Math.abs(lift - 6) < 1.5, `flat half: mean |out - reference| ${lift.toFixed(2)} ~ the lift 6`);
  assert.ok(meanAbsDiff(out, adapted, 8, W / 2 - 24) > 9, 'flat half: the grain was removed');
  // Structured half: unchanged from adapted.
  assert.ok(meanAbsDiff(out, adapted, W / 2 + 24, W) < 0.5, 'structured half: adapted kept');
});

test('guardFlatRegions keeps the alpha of adapted and is the identity when adapted equals reference', () => {
  const a4 = image(W, H, (x, y, c) => (c === 3 ? (x + y) % 256 : 100), 4);
  const out = guardFlatRegions(lr, a4, a4);
  assert.equal(out.channels, 4);
  assert.deepEqual(Array.from(out.data), Array.from(a4.data));
});

test('guardFlatRegions rejects mismatched sizes and inverted thresholds with BAD_INPUT', () => {
  const small = image(W - 4, H, () => 0);
  assert.throws(() => guardFlatRegions(lr, small, reference), { code: 'BAD_INPUT' });
  assert.throws(() => guardFlatRegions(lr, adapted, small), { code: 'BAD_INPUT' });
  assert.throws(() => guardFlatRegions(lr, adapted, reference, { flatBelow: 4, detailAbove: 2 }), {
    code: 'BAD_INPUT',
  });
  assert.throws(() => guardFlatRegions(lr, adapted, reference, { blurSigma: Number.NaN }), {
    code: 'BAD_INPUT',
  });
});
