import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyCorrection,
  correctOutput,
  fitCorrection,
} from '../../../src/core/correct/closed-form-correction.js';
import { backProjectionField, addUpscaledCorrection } from '../../../src/core/correct/back-projection.js';
import { fitToneMatch } from '../../../src/core/correct/tone-match.js';
import { floatImageFromPixels, resize, type FloatImage } from '../../../src/core/degrade/index.js';
import { LwayError } from '../../../src/core/errors.js';
import type { Pixels } from '../../../src/core/pixels.js';

/** A smooth-plus-detail RGB pattern, w x h. */
function pattern(w: number, h: number, channels: 3 | 4 = 3, seed = 1): Pixels {
  const data = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * channels;
      data[i] = Math.round(120 + 80 * Math.sin((x + seed) * 0.31) * Math.cos(y * 0.17));
      data[i + 1] = Math.round(128 + 60 * Math.cos((x - y) * 0.23 + seed));
      data[i + 2] = ((x * 7 + y * 3 + seed * 11) % 97) + 60;
      if (channels === 4) data[i + 3] = (x + y) % 5 === 0 ? 0 : 255;
    }
  }
  return { data, width: w, height: h, channels };
}

const area = (img: FloatImage, s: number): FloatImage => resize(img, img.width / s, img.height / s, 'area');

test('fitToneMatch recovers a per-channel affine map exactly', () => {
  const d = floatImageFromPixels(pattern(12, 10));
  const gain = [0.8, 1.25, 0.6];
  const offset = [0.05, -0.1, 0.2];
  const n = 12 * 10;
  const x: FloatImage = {
    ...d,
    data: d.data.map((v, i) => gain[Math.floor(i / n)] * v + offset[Math.floor(i / n)]),
  };
  const t = fitToneMatch(x, d);
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(t.gain[c] - gain[c]) < 1e-5, `gain ${c}: ${t.gain[c]}`);
    assert.ok(Math.abs(t.offset[c] - offset[c]) < 1e-5, `offset ${c}: ${t.offset[c]}`);
  }
});

test('fitToneMatch keeps gain 1 on a flat channel (no slope to fit) and only shifts it', () => {
  const flat: FloatImage = { data: new Float32Array(3 * 16).fill(0.5), width: 4, height: 4 };
  const x: FloatImage = { data: new Float32Array(3 * 16).fill(0.6), width: 4, height: 4 };
  const t = fitToneMatch(x, flat);
  assert.deepEqual([...t.gain], [1, 1, 1]);
  for (const o of t.offset) assert.ok(Math.abs(o - 0.1) < 1e-6);
});

test('backProjectionField equals 10 iterations of y += bicubic_up(x - area_down(y)) done at HR size', () => {
  const lr = floatImageFromPixels(pattern(9, 7, 3, 2));
  const y0 = floatImageFromPixels(pattern(36, 28, 3, 5));
  let y = y0;
  for (let k = 0; k < 10; k++) {
    const d = area(y, 4);
    const r: FloatImage = { ...lr, data: lr.data.map((v, i) => v - d.data[i]) };
    y = addUpscaledCorrection(y, r);
  }
  const fast = addUpscaledCorrection(y0, backProjectionField(lr, area(y0, 4), 4, 10));
  let maxDiff = 0;
  for (let i = 0; i < y.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(y.data[i] - fast.data[i]));
  assert.ok(maxDiff < 1e-4, `max difference ${maxDiff}`);
});

test('back-projection makes the area-downscaled output match the LR closer than before', () => {
  const lr = pattern(12, 12, 3, 3);
  const sr = pattern(48, 48, 3, 9);
  const err = (p: Pixels): number => {
    const d = area(floatImageFromPixels(p), 4);
    const x = floatImageFromPixels(lr);
    return d.data.reduce((s, v, i) => s + Math.abs(v - x.data[i]), 0) / d.data.length;
  };
  const before = err(sr);
  const after = err(correctOutput(lr, sr, 'ibp'));
  assert.ok(after < 0.2 * before, `LR error ${before} -> ${after}`);
  const toned = err(correctOutput(lr, sr, 'tone'));
  assert.ok(toned < before, `tone: ${before} -> ${toned}`);
});

test('applyCorrection keeps the alpha channel and never changes its input', () => {
  const lr = pattern(8, 8, 4, 1);
  const sr = pattern(32, 32, 4, 4);
  const copy = Uint8Array.from(sr.data);
  const out = correctOutput(lr, sr, 'tone+ibp');
  assert.equal(out.channels, 4);
  for (let i = 3; i < out.data.length; i += 4) assert.equal(out.data[i], sr.data[i]);
  assert.deepEqual(sr.data, copy);
  assert.notDeepEqual(out.data, sr.data);
});

test("mode 'none' returns an equal copy", () => {
  const lr = pattern(8, 8);
  const sr = pattern(32, 32, 3, 4);
  const out = applyCorrection(sr, fitCorrection(lr, sr, 'none'));
  assert.deepEqual(out.data, sr.data);
  assert.notEqual(out.data, sr.data);
});

test('fitCorrection rejects a non-integer scale and an unknown mode with BAD_INPUT', () => {
  assert.throws(
    () => fitCorrection(pattern(8, 8), pattern(30, 30), 'tone'),
    (e: unknown) => e instanceof LwayError && e.code === 'BAD_INPUT' && /integer multiple/.test(e.message),
  );
  assert.throws(
    () => fitCorrection(pattern(8, 8), pattern(32, 32), 'sharpen' as never),
    (e: unknown) => e instanceof LwayError && e.code === 'BAD_INPUT' && /tone\+ibp/.test(e.message),
  );
});
