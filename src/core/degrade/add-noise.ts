import type { FloatImage } from './float-image.js';
import type { Rng } from './prng.js';

/**
 * Adds zero-mean Gaussian noise of standard deviation `sigma` (on the [0, 1] scale) in place. `gray` draws one
 * noise value per pixel shared by R, G and B (luminance noise); otherwise each channel gets its own.
 */
export function addGaussianNoise(img: FloatImage, rng: Rng, sigma: number, gray: boolean): FloatImage {
  const n = img.width * img.height;
  const d = img.data;
  if (gray) {
    for (let i = 0; i < n; i++) addToPixel(d, n, i, sigma * rng.normal());
  } else {
    for (let i = 0; i < 3 * n; i++) d[i] += sigma * rng.normal();
  }
  return img;
}

/** Number of distinct 8-bit levels in a plane set, rounded up to a power of two (Real-ESRGAN's `vals`). */
function levelCount(values: Float32Array): number {
  const seen = new Uint8Array(256);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.min(255, Math.max(0, Math.round(values[i] * 255)));
    if (!seen[v]) {
      seen[v] = 1;
      count++;
    }
  }
  return 2 ** Math.ceil(Math.log2(Math.max(2, count)));
}

/**
 * Adds Poisson (shot) noise in place: noise = (Poisson(x * vals) / vals - x) * scale, vals the image's level count
 * rounded up to a power of two, so its standard deviation is scale * sqrt(x / vals). `gray` computes it on the
 * luminance and adds the same value to every channel.
 */
export function addPoissonNoise(img: FloatImage, rng: Rng, scale: number, gray: boolean): FloatImage {
  const n = img.width * img.height;
  const d = img.data;
  const clamp = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
  if (gray) {
    const lum = new Float32Array(n);
    for (let i = 0; i < n; i++) lum[i] = clamp(0.299 * d[i] + 0.587 * d[n + i] + 0.114 * d[2 * n + i]);
    const vals = levelCount(lum);
    for (let i = 0; i < n; i++) addToPixel(d, n, i, (rng.poisson(lum[i] * vals) / vals - lum[i]) * scale);
  } else {
    const vals = levelCount(d);
    for (let i = 0; i < 3 * n; i++) {
      const x = clamp(d[i]);
      d[i] += (rng.poisson(x * vals) / vals - x) * scale;
    }
  }
  return img;
}

/** Adds `e` to pixel `i` of every channel of a planar RGB buffer with `n` pixels per plane (gray noise). */
function addToPixel(d: Float32Array, n: number, i: number, e: number): void {
  d[i] += e;
  d[n + i] += e;
  d[2 * n + i] += e;
}
