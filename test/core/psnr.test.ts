import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psnr } from '../../src/core/metrics/psnr.js';
import type { Pixels } from '../../src/core/pixels.js';

const img = (w: number, h: number, f: (i: number) => number, channels: 3 | 4 = 3): Pixels => ({
  width: w,
  height: h,
  channels,
  data: Uint8Array.from({ length: w * h * channels }, (_, i) => f(i)),
});

test('psnr: identical images are infinite, a uniform error of 1 gives 48.13 dB', () => {
  const a = img(8, 6, (i) => (i * 7) % 200);
  assert.equal(psnr(a, a), Infinity);
  const b = img(8, 6, (i) => ((i * 7) % 200) + 1);
  assert.ok(Math.abs(psnr(a, b) - 48.1308) < 1e-3);
});

test('psnr: border crop ignores edge errors; alpha is ignored', () => {
  const a = img(6, 6, () => 100, 4);
  const b = img(6, 6, (i) => (i % 4 === 3 ? 0 : i < 6 * 4 ? 0 : 100), 4);
  assert.ok(Number.isFinite(psnr(a, b)));
  assert.equal(psnr(a, b, { border: 1 }), Infinity);
  assert.throws(
    () =>
      psnr(
        a,
        img(5, 6, () => 0, 4),
      ),
    /equal sizes/,
  );
});
