import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ssim } from '../../../src/core/metrics/ssim.js';
import { psnrY } from '../../../src/core/metrics/psnr-y.js';
import { rgbToY } from '../../../src/core/metrics/rgb-to-y.js';
import type { Pixels } from '../../../src/core/pixels.js';

const W = 20;
const H = 16;
const img = (f: (i: number) => number, channels: 3 | 4 = 3): Pixels => ({
  width: W,
  height: H,
  channels,
  data: Uint8Array.from({ length: W * H * channels }, (_, i) => f(i)),
});
// The same pair was scored by an independent numpy implementation of Wang et al. 2004 (explicit 11x11 Gaussian
// windows, sigma 1.5, valid region): RGB 0.9940182205, Y 0.9940654501, PSNR-Y 34.1380799842 dB.
const a = img((i) => (i * 37 + Math.floor(i / 7) * 11) % 256);
const b = img((i) =>
  Math.min(255, Math.max(0, ((i * 37 + Math.floor(i / 7) * 11) % 256) + (((i * 13) % 7) - 3) * 4)),
);

test('ssim: identical images score 1 on RGB and Y', () => {
  assert.ok(Math.abs(ssim(a, a) - 1) < 1e-12);
  assert.ok(Math.abs(ssim(a, a, { channel: 'y' }) - 1) < 1e-12);
});

test('ssim and psnrY match an independent numpy computation', () => {
  assert.ok(Math.abs(ssim(a, b) - 0.9940182205) < 1e-8, `rgb ${ssim(a, b)}`);
  assert.ok(Math.abs(ssim(a, b, { channel: 'y' }) - 0.9940654501) < 1e-8);
  assert.ok(Math.abs(psnrY(a, b) - 34.1380799842) < 1e-8);
});

test('ssim of two flat images is the luminance term (2 m1 m2 + C1) / (m1^2 + m2^2 + C1)', () => {
  const c1 = (0.01 * 255) ** 2;
  const expected = (2 * 100 * 120 + c1) / (100 * 100 + 120 * 120 + c1);
  assert.ok(
    Math.abs(
      ssim(
        img(() => 100),
        img(() => 120),
      ) - expected,
    ) < 1e-12,
  );
});

test('ssim ignores alpha, crops borders and rejects bad sizes', () => {
  const a4 = img((i) => (i % 4 === 3 ? 7 : (i * 37) % 256), 4);
  const b4 = img((i) => (i % 4 === 3 ? 200 : (i * 37) % 256), 4);
  assert.ok(Math.abs(ssim(a4, b4) - 1) < 1e-12);
  assert.throws(() => ssim(a, b, { border: 3 }), /at least 11x11/);
  assert.ok(ssim(a, b, { border: 2 }) < 1);
  assert.throws(() => ssim(a, { ...a, width: 10, data: a.data.subarray(0, 10 * H * 3) }), /equal sizes/);
});

test('rgbToY uses BT.601 studio swing: black 16, white 235', () => {
  const y = rgbToY({ width: 2, height: 1, channels: 3, data: Uint8Array.from([0, 0, 0, 255, 255, 255]) });
  assert.ok(Math.abs(y[0] - 16) < 1e-9);
  assert.ok(Math.abs(y[1] - 235) < 1e-9);
  assert.equal(psnrY(a, a), Infinity);
});
