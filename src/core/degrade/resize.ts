import { keysCubic } from '../image/index.js';
import { createFloatImage, type FloatImage } from './float-image.js';

/** Resampling filters of Real-ESRGAN's random resize (PyTorch `interpolate` modes). */
export type ResizeMode = 'area' | 'bilinear' | 'bicubic';
export const RESIZE_MODES: readonly ResizeMode[] = ['area', 'bilinear', 'bicubic'];

export interface ResizeOptions {
  /**
   * Widen bilinear/bicubic taps by the downscale factor (MATLAB/PIL style). Default false, as PyTorch's
   * interpolate (and so Real-ESRGAN) does; the `bicubic` preset turns it on to match the classic bicubic LR.
   */
  readonly antialias?: boolean;
}

/** Keys cubic with a = -0.75, PyTorch's choice. */
const cubic = (x: number): number => keysCubic(x, -0.75);
const linear = (x: number): number => Math.max(0, 1 - Math.abs(x));

interface Taps {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float32Array;
  readonly stride: number;
}

/**
 * 1-D resampling weights from `inSize` to `outSize` samples (half-pixel centres, align_corners=false).
 * Area mode integrates a box of width inSize/outSize, so it is exact block averaging for integer factors.
 */
function taps(inSize: number, outSize: number, mode: ResizeMode, antialias: boolean): Taps {
  const ratio = inSize / outSize;
  let support: number;
  let f: (x: number) => number;
  let stretch = 1;
  if (mode === 'area') {
    const half = ratio / 2;
    support = half + 1;
    // overlap of the box [centre - half, centre + half] with source pixel [p - 0.5, p + 0.5]
    f = (d) => Math.max(0, Math.min(d + 0.5, half) - Math.max(d - 0.5, -half));
  } else {
    const base = mode === 'bilinear' ? linear : cubic;
    stretch = antialias && ratio > 1 ? ratio : 1;
    support = (mode === 'bilinear' ? 1 : 2) * stretch;
    f = (d) => base(d / stretch);
  }
  const stride = Math.ceil(2 * support) + 2;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * stride);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * ratio - 0.5;
    const lo = Math.floor(centre - support) + 1;
    const hi = Math.ceil(centre + support) - 1;
    const ws: number[] = [];
    const idx: number[] = [];
    for (let p = lo; p <= hi; p++) {
      const w = f(p - centre);
      if (w === 0) continue;
      // clamp to the edge (replicate), as PyTorch does for bilinear/bicubic
      idx.push(Math.min(inSize - 1, Math.max(0, p)));
      ws.push(w);
    }
    const sum = ws.reduce((a, b) => a + b, 0);
    // edge clamping repeats indices, so fold the weights onto consecutive taps from the first index
    const base = idx[0];
    let maxRel = 0;
    for (let t = 0; t < idx.length; t++) {
      weights[o * stride + idx[t] - base] += ws[t] / sum;
      maxRel = Math.max(maxRel, idx[t] - base);
    }
    start[o] = base;
    count[o] = maxRel + 1;
  }
  return { start, count, weights, stride };
}

/** Resizes to exactly `outWidth` x `outHeight`, separably (rows, then columns). */
export function resize(
  img: FloatImage,
  outWidth: number,
  outHeight: number,
  mode: ResizeMode,
  options: ResizeOptions = {},
): FloatImage {
  const { width: w, height: h } = img;
  const aa = options.antialias ?? false;
  const tx = taps(w, outWidth, mode, aa);
  const ty = taps(h, outHeight, mode, aa);
  const n = w * h;
  const tmp = new Float32Array(outWidth * h);
  const out = createFloatImage(outWidth, outHeight);
  const on = outWidth * outHeight;
  for (let c = 0; c < 3; c++) {
    const plane = img.data.subarray(c * n, (c + 1) * n);
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < outWidth; x++) {
        const s = row + tx.start[x];
        const wo = x * tx.stride;
        let acc = 0;
        for (let t = 0; t < tx.count[x]; t++) acc += plane[s + t] * tx.weights[wo + t];
        tmp[y * outWidth + x] = acc;
      }
    }
    const o = c * on;
    for (let y = 0; y < outHeight; y++) {
      const s = ty.start[y];
      const wo = y * ty.stride;
      for (let x = 0; x < outWidth; x++) {
        let acc = 0;
        for (let t = 0; t < ty.count[y]; t++) acc += tmp[(s + t) * outWidth + x] * ty.weights[wo + t];
        out.data[o + y * outWidth + x] = acc;
      }
    }
  }
  return out;
}
