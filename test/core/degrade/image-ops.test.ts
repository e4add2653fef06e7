import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resize, RESIZE_MODES } from '../../../src/core/degrade/resize.js';
import { addGaussianNoise, addPoissonNoise } from '../../../src/core/degrade/add-noise.js';
import { jpegRoundTrip } from '../../../src/core/degrade/jpeg-compress.js';
import { filter2d, trimKernel } from '../../../src/core/degrade/filter2d.js';
import { gaussianKernel, sincKernel } from '../../../src/core/degrade/blur-kernels.js';
import { createFloatImage, type FloatImage } from '../../../src/core/degrade/float-image.js';
import { createRng } from '../../../src/core/degrade/prng.js';

const filled = (w: number, h: number, f: (x: number, y: number, c: number) => number): FloatImage => {
  const img = createFloatImage(w, h);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data[c * w * h + y * w + x] = f(x, y, c);
  return img;
};
const texture = (w: number, h: number) =>
  filled(
    w,
    h,
    (x, y, c) => 0.5 + 0.3 * Math.sin(x * 0.7 + c) * Math.cos(y * 0.45) + 0.1 * Math.sin(x * y * 0.05),
  );
const std = (d: Float32Array) => {
  const m = d.reduce((a, b) => a + b, 0) / d.length;
  return Math.sqrt(d.reduce((a, b) => a + (b - m) * (b - m), 0) / d.length);
};

test('resize: every mode gives the requested size and keeps a constant image constant', () => {
  const flat = filled(37, 23, (_x, _y, c) => 0.2 + 0.3 * c);
  for (const mode of RESIZE_MODES) {
    for (const [w, h] of [
      [9, 6],
      [12, 7],
      [50, 31],
      [37, 23],
    ]) {
      const out = resize(flat, w, h, mode);
      assert.equal(out.width, w);
      assert.equal(out.height, h);
      assert.equal(out.data.length, w * h * 3);
      for (let i = 0; i < out.data.length; i++) {
        const c = Math.floor(i / (w * h));
        assert.ok(Math.abs(out.data[i] - (0.2 + 0.3 * c)) < 1e-5, `${mode} ${w}x${h}`);
      }
    }
  }
});

test('resize: area at an integer factor is block averaging; bilinear x2 down averages pairs', () => {
  const img = texture(8, 6);
  const area = resize(img, 4, 3, 'area');
  const bil = resize(img, 4, 3, 'bilinear');
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        const p = (xx: number, yy: number) => img.data[c * 48 + yy * 8 + xx];
        const mean =
          (p(2 * x, 2 * y) + p(2 * x + 1, 2 * y) + p(2 * x, 2 * y + 1) + p(2 * x + 1, 2 * y + 1)) / 4;
        assert.ok(Math.abs(area.data[c * 12 + y * 4 + x] - mean) < 1e-6);
        assert.ok(Math.abs(bil.data[c * 12 + y * 4 + x] - mean) < 1e-6);
      }
    }
  }
  // bicubic differs from both (it has negative lobes)
  const bic = resize(img, 4, 3, 'bicubic');
  assert.ok(Math.abs(bic.data[5] - area.data[5]) > 1e-4);
});

test('filter2d: a unit-sum kernel keeps a constant image and lowers the variance of a texture', () => {
  const k = gaussianKernel(9, { sigmaX: 1.5, sigmaY: 1.5, theta: 0 });
  const flat = filled(12, 10, () => 0.4);
  assert.ok(filter2d(flat, k).data.every((v) => Math.abs(v - 0.4) < 1e-6));
  const tex = texture(20, 16);
  assert.ok(std(filter2d(tex, k).data) < 0.8 * std(tex.data));
  // a kernel bigger than the image still works (reflect padding wraps)
  assert.equal(
    filter2d(texture(5, 4), gaussianKernel(21, { sigmaX: 3, sigmaY: 3, theta: 0 })).data.length,
    60,
  );
});

test('gaussian noise has the requested std; grey noise is equal across channels', () => {
  for (const sigma of [5 / 255, 20 / 255]) {
    const img = filled(64, 64, () => 0.5);
    addGaussianNoise(img, createRng(1), sigma, false);
    const measured = std(img.data);
    assert.ok(Math.abs(measured - sigma) < 0.03 * sigma, `std ${measured} vs ${sigma}`);
  }
  const g = filled(16, 16, () => 0.5);
  addGaussianNoise(g, createRng(2), 0.05, true);
  const n = 256;
  for (let i = 0; i < n; i++) {
    assert.equal(g.data[i], g.data[n + i]);
    assert.equal(g.data[i], g.data[2 * n + i]);
  }
});

test('poisson noise: std = scale * sqrt(x / vals), larger scale is noisier', () => {
  // an image with 2 levels (0 and 0.5) has vals = 2, so the noise on 0.5 has std scale * sqrt(0.25) = scale / 2
  const img = filled(64, 64, (x) => (x === 0 ? 0 : 0.5));
  const plane = (im: FloatImage) => im.data.filter((_, i) => i % 64 !== 0);
  addPoissonNoise(img, createRng(3), 0.2, false);
  const s = std(plane(img));
  assert.ok(Math.abs(s - 0.1) < 0.01, `poisson std ${s}`);
  const a = addPoissonNoise(texture(32, 32), createRng(4), 0.5, true);
  const b = addPoissonNoise(texture(32, 32), createRng(4), 2, true);
  const clean = texture(32, 32).data;
  const err = (im: FloatImage) => std(im.data.map((v, i) => v - clean[i]));
  assert.ok(err(b) > 3 * err(a));
});

test('jpeg: quality changes the bytes; lower quality loses more', () => {
  const img = texture(48, 40);
  const errOf = (q: number) => {
    const { bytes, encodedLength } = jpegRoundTrip(img, q);
    let e = 0;
    for (let i = 0; i < img.data.length; i++) e += (bytes.data[i] - img.data[i]) ** 2;
    return { mse: e / img.data.length, encodedLength, bytes };
  };
  const hi = errOf(95);
  const mid = errOf(60);
  const lo = errOf(20);
  assert.equal(hi.bytes.width, 48);
  assert.equal(hi.bytes.height, 40);
  assert.notDeepEqual(hi.bytes.data, lo.bytes.data);
  assert.ok(hi.encodedLength > mid.encodedLength && mid.encodedLength > lo.encodedLength);
  assert.ok(hi.mse < mid.mse && mid.mse < lo.mse, `${hi.mse} ${mid.mse} ${lo.mse}`);
  assert.ok(hi.mse > 0);
});

test('trimKernel drops only negligible rings: narrow Gaussians shrink, sinc kernels keep their ringing', () => {
  const narrow = gaussianKernel(21, { sigmaX: 0.5, sigmaY: 0.5, theta: 0 });
  const t = trimKernel(narrow);
  assert.ok(t.size < 9, `trimmed to ${t.size}`);
  const img = texture(24, 20);
  const a = filter2d(img, narrow);
  const b = filter2d(img, t);
  for (let i = 0; i < a.data.length; i++) assert.ok(Math.abs(a.data[i] - b.data[i]) < 1e-5);
  assert.equal(trimKernel(sincKernel(21, Math.PI / 4)).size, 21);
});
