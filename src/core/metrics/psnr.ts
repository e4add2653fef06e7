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
  if (a.width !== b.width || a.height !== b.height) {
    throw new LwayError(
      'BAD_INPUT',
      `psnr needs equal sizes; got ${a.width}x${a.height} and ${b.width}x${b.height}`,
    );
  }
  const border = options.border ?? 0;
  if (!Number.isInteger(border) || border < 0 || 2 * border >= Math.min(a.width, a.height)) {
    throw new LwayError('BAD_INPUT', `psnr border must be an integer in [0, min side / 2); got ${border}`);
  }
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
  const mse = sum / count;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
