import { LwayError } from '../errors.js';
import type { Pixels } from '../pixels.js';
import { rgbToY } from './rgb-to-y.js';

/** Options for {@link psnrY}: crop `border` pixels from every side (SR papers crop `scale`). */
export interface PsnrYOptions {
  readonly border?: number;
}

/**
 * PSNR in dB on BT.601 luma (see {@link rgbToY}), peak 255, the usual SR-paper metric. Infinity for identical luma.
 * Throws BAD_INPUT on a size mismatch or a border that leaves nothing.
 */
export function psnrY(a: Pixels, b: Pixels, options: PsnrYOptions = {}): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new LwayError(
      'BAD_INPUT',
      `psnrY needs equal sizes; got ${a.width}x${a.height} and ${b.width}x${b.height}`,
    );
  }
  const border = options.border ?? 0;
  if (!Number.isInteger(border) || border < 0 || 2 * border >= Math.min(a.width, a.height)) {
    throw new LwayError('BAD_INPUT', `psnrY border must be an integer in [0, min side / 2); got ${border}`);
  }
  const ya = rgbToY(a);
  const yb = rgbToY(b);
  let sum = 0;
  let count = 0;
  for (let y = border; y < a.height - border; y++) {
    for (let x = border; x < a.width - border; x++) {
      const d = ya[y * a.width + x] - yb[y * a.width + x];
      sum += d * d;
      count++;
    }
  }
  const mse = sum / count;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
