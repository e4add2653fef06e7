import type { Pixels } from '../pixels.js';

/**
 * Copies a region of `pixels` into a new NHWC float buffer in [0, 1] (RGB only), `outWidth` x `outHeight` in size.
 * Reads past the image border repeat the nearest edge pixel (edge padding), which is how a tile is padded up to
 * the model's tile multiple or minimum size. Plain JS rather than a tensor op: it builds each tile straight from
 * the bytes, so the whole image never has to sit in GPU memory.
 */
export function readRgbTile(
  pixels: Pixels,
  x0: number,
  y0: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const { data, width, height, channels } = pixels;
  const out = new Float32Array(outWidth * outHeight * 3);
  const inv = 1 / 255;
  let o = 0;
  for (let j = 0; j < outHeight; j++) {
    const y = Math.min(y0 + j, height - 1);
    const row = y * width;
    for (let i = 0; i < outWidth; i++) {
      const p = (row + Math.min(x0 + i, width - 1)) * channels;
      out[o++] = data[p] * inv;
      out[o++] = data[p + 1] * inv;
      out[o++] = data[p + 2] * inv;
    }
  }
  return out;
}
