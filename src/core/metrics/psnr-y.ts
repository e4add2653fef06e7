import type { Pixels } from '../pixels.js';
import { assertComparable, psnrFromMse } from './psnr.js';
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
  const border = assertComparable('psnrY', a, b, options.border ?? 0);
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
  return psnrFromMse(sum / count);
}
