import type { BlurKernel } from './blur-kernels.js';
import type { FloatImage } from './float-image.js';

/** Mirror index into [0, n) without repeating the edge sample (like numpy/PyTorch `reflect`), for any offset. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - k;
}

/**
 * Drops outer rings of the kernel whose taps are all below 1e-7 of its total weight: a narrow Gaussian drawn in a
 * 21x21 window is mostly zeros, and skipping them makes the blur several times cheaper with no visible change.
 */
export function trimKernel(kernel: BlurKernel): BlurKernel {
  const k = kernel.size;
  const r = (k - 1) / 2;
  let total = 0;
  for (const v of kernel.data) total += Math.abs(v);
  const tiny = 1e-7 * total;
  let keep = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) {
      if (Math.abs(kernel.data[j * k + i]) > tiny) keep = Math.max(keep, Math.abs(i - r), Math.abs(j - r));
    }
  }
  if (keep === r) return kernel;
  const size = 2 * keep + 1;
  const data = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) data[j * size + i] = kernel.data[(j + r - keep) * k + (i + r - keep)];
  }
  return { size, data };
}

/** Correlates each channel with `kernel` (same size out, reflect padding, as Real-ESRGAN's filter2D). */
export function filter2d(img: FloatImage, fullKernel: BlurKernel): FloatImage {
  const kernel = trimKernel(fullKernel);
  if (kernel.size === 1) return { ...img, data: img.data.slice() };
  const { width: w, height: h } = img;
  const k = kernel.size;
  const r = (k - 1) / 2;
  const n = w * h;
  const pw = w + 2 * r;
  const ph = h + 2 * r;
  const padded = new Float32Array(pw * ph);
  const out = new Float32Array(n * 3);
  const kd = new Float32Array(kernel.data);
  const xIdx = Int32Array.from({ length: pw }, (_, x) => reflectIndex(x - r, w));
  for (let c = 0; c < 3; c++) {
    const plane = img.data.subarray(c * n, (c + 1) * n);
    for (let y = 0; y < ph; y++) {
      const row = reflectIndex(y - r, h) * w;
      const prow = y * pw;
      for (let x = 0; x < pw; x++) padded[prow + x] = plane[row + xIdx[x]];
    }
    const o = c * n;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let j = 0; j < k; j++) {
          const prow = (y + j) * pw + x;
          const krow = j * k;
          for (let i = 0; i < k; i++) acc += padded[prow + i] * kd[krow + i];
        }
        out[o + y * w + x] = acc;
      }
    }
  }
  return { data: out, width: w, height: h };
}
