import { LwayError } from '../errors.js';
import type { Pixels } from '../pixels.js';

/** Options for {@link psnr}: crop `border` pixels from every side (SR papers crop `scale`), compare RGB only. */
export interface PsnrOptions {
  readonly border?: number;
}

/**
 * PSNR in dB between two 8-bit images of the same size over their RGB channels (alpha ignored).
 * Returns Infinity for identical images. Throws BAD_INPUT on a size mismatch.
 */
export function psnr(a: Pixels, b: Pixels, options: PsnrOptions = {}): number {
  const border = assertComparable('psnr', a, b, options.border ?? 0);
  let sum = 0;
  let count = 0;
  for (let y = border; y < a.height - border; y++) {
    for (let x = border; x < a.width - border; x++) {
      const ia = (y * a.width + x) * a.channels;
      const ib = (y * b.width + x) * b.channels;
      for (let c = 0; c < 3; c++) {
        const d = a.data[ia + c] - b.data[ib + c];
        sum += d * d;
      }
      count += 3;
    }
  }
  return psnrFromMse(sum / count);
}

/** PSNR in dB for 8-bit data (peak 255) from a mean squared error; Infinity when the error is 0. */
export function psnrFromMse(mse: number): number {
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/**
 * Checks two images can be compared with `border` pixels cropped from every side; returns the border.
 * Throws BAD_INPUT naming `metric` on a size mismatch or a border that leaves nothing.
 */
export function assertComparable(metric: string, a: Pixels, b: Pixels, border: number): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new LwayError(
      'BAD_INPUT',
      `${metric} needs equal sizes; got ${a.width}x${a.height} and ${b.width}x${b.height}`,
    );
  }
  if (!Number.isInteger(border) || border < 0 || 2 * border >= Math.min(a.width, a.height)) {
    throw new LwayError(
      'BAD_INPUT',
      `${metric} border must be an integer in [0, min side / 2); got ${border}`,
    );
  }
  return border;
}
