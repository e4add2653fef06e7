import type { Pixels } from '../pixels.js';

/** How reads past the image border are filled: repeat the edge pixel, or mirror without repeating it. */
export type BorderMode = 'edge' | 'reflect';

/**
 * Copies a region of `pixels` into a new NHWC float buffer in [0, 1] (RGB only), `outWidth` x `outHeight` in size.
 * `x0`/`y0` may be negative and the region may run past the image: those reads follow `border` — 'edge' repeats the
 * nearest edge pixel; 'reflect' mirrors about the edge pixel (like tf.mirrorPad 'reflect' and the ncnn Real-ESRGAN
 * tool), which gives an SR model context that looks like image content rather than a smeared edge.
 * Plain JS rather than a tensor op: it builds each tile straight from the bytes, so the whole image never has to sit
 * in GPU memory.
 */
export function readRgbTile(
  pixels: Pixels,
  x0: number,
  y0: number,
  outWidth: number,
  outHeight: number,
  border: BorderMode = 'edge',
): Float32Array {
  const { data, width, height, channels } = pixels;
  const out = new Float32Array(outWidth * outHeight * 3);
  const inv = 1 / 255;
  const xs = Int32Array.from({ length: outWidth }, (_, i) => borderIndex(x0 + i, width, border));
  let o = 0;
  for (let j = 0; j < outHeight; j++) {
    const row = borderIndex(y0 + j, height, border) * width;
    for (let i = 0; i < outWidth; i++) {
      const p = (row + xs[i]) * channels;
      out[o++] = data[p] * inv;
      out[o++] = data[p + 1] * inv;
      out[o++] = data[p + 2] * inv;
    }
  }
  return out;
}

/** Maps a coordinate that may lie outside [0, size) back inside, by `mode`. */
export function borderIndex(i: number, size: number, mode: BorderMode): number {
  if (i >= 0 && i < size) return i;
  if (mode === 'edge' || size === 1) return i < 0 ? 0 : size - 1;
  // Mirror with period 2(size - 1); repeated folding handles pads wider than the image.
  const period = 2 * (size - 1);
  const m = ((i % period) + period) % period;
  return m < size ? m : period - m;
}
