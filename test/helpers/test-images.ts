import type { Pixels } from '../../src/core/pixels.js';

/** A smooth, textured, deterministic test image (gradients plus a sine pattern) with 3 or 4 channels. */
export function makeTestImage(
  width: number,
  height: number,
  channels: 3 | 4 = 3,
  alpha?: (x: number, y: number) => number,
): Pixels {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = Math.round(127 + 100 * Math.sin(x * 0.7 + y * 0.3));
      data[i + 1] = Math.round((255 * x) / Math.max(1, width - 1));
      data[i + 2] = Math.round((255 * y) / Math.max(1, height - 1));
      if (channels === 4) data[i + 3] = alpha ? alpha(x, y) : 255;
    }
  }
  return { data, width, height, channels };
}

/** Largest absolute difference between two byte buffers of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
