import type { Pixels } from '../pixels.js';

/** BT.601 luma of an 8-bit image (0-255), one value per pixel; alpha is ignored. */
export function lumaPlane(p: Pixels): Float32Array {
  const out = new Float32Array(p.width * p.height);
  for (let i = 0; i < out.length; i++) {
    const j = i * p.channels;
    out[i] = 0.299 * p.data[j] + 0.587 * p.data[j + 1] + 0.114 * p.data[j + 2];
  }
  return out;
}
