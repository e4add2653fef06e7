import { keysCubic } from './keys-cubic.js';

/**
 * Resizes one 8-bit plane (e.g. the alpha channel) by an integer factor with bicubic interpolation (Keys, a = -0.5,
 * pixel centres aligned, edges clamped), rounding and clamping to 0..255. Written here because TF.js has no bicubic
 * resize and core cannot use sharp; separable, so it costs O(outW * outH * 8).
 */
export function resizeAlphaBicubic(
  plane: Uint8Array,
  width: number,
  height: number,
  scale: number,
): Uint8Array {
  const outW = width * scale;
  const outH = height * scale;
  const hx = bicubicTaps(width, scale);
  const hy = bicubicTaps(height, scale);
  // Horizontal pass into floats, then vertical pass into bytes.
  const mid = new Float32Array(outW * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const out = y * outW;
    for (let x = 0; x < outW; x++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += hx.weights[x * 4 + k] * plane[row + hx.index[x * 4 + k]];
      mid[out + x] = s;
    }
  }
  const result = new Uint8Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const out = y * outW;
    for (let x = 0; x < outW; x++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += hy.weights[y * 4 + k] * mid[hy.index[y * 4 + k] * outW + x];
      result[out + x] = s <= 0 ? 0 : s >= 255 ? 255 : Math.round(s);
    }
  }
  return result;
}

/** For each output coordinate, the 4 source indices (clamped) and their cubic weights. */
function bicubicTaps(size: number, scale: number): { index: Int32Array; weights: Float32Array } {
  const n = size * scale;
  const index = new Int32Array(n * 4);
  const weights = new Float32Array(n * 4);
  for (let o = 0; o < n; o++) {
    const src = (o + 0.5) / scale - 0.5;
    const base = Math.floor(src);
    const t = src - base;
    for (let k = 0; k < 4; k++) {
      index[o * 4 + k] = Math.min(size - 1, Math.max(0, base - 1 + k));
      weights[o * 4 + k] = keysCubic(t - (k - 1), -0.5);
    }
  }
  return { index, weights };
}
