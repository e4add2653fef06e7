/**
 * Where each output row (or column) of a TF.js image resize reads from, mirroring the forward kernels'
 * coordinate rules (alignCorners, halfPixelCenters), so gradient kernels scatter to exactly those sources.
 */
export interface ResizeAxisMap {
  /** First (or only) source index per output index. */
  lo: Int32Array;
  /** Second source index (bilinear); equals `lo` at the borders. */
  hi: Int32Array;
  /** Weight of `hi` (bilinear); `lo` gets 1 - frac. */
  frac: Float32Array;
}

/** Sources along one axis of a resize for the forward kernel's alignCorners / halfPixelCenters flags. */
export type AxisMapFn = (
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
) => ResizeAxisMap;

/**
 * Source coordinate of each output index: r * o, or r * (o + 0.5) - `halfPixelShift` with half-pixel centers
 * (bilinear shifts by half a pixel, nearest-neighbour does not).
 */
function sourceCoords(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
  halfPixelShift: number,
): Float64Array {
  const r = alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  const src = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) src[o] = halfPixelCenters ? r * (o + 0.5) - halfPixelShift : r * o;
  return src;
}

/** Bilinear sources along one axis. */
export const bilinearAxisMap: AxisMapFn = (inSize, outSize, alignCorners, halfPixelCenters) => {
  const coords = sourceCoords(inSize, outSize, alignCorners, halfPixelCenters, 0.5);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  coords.forEach((src, o) => {
    const floor = Math.max(0, Math.floor(src));
    lo[o] = floor;
    hi[o] = Math.min(inSize - 1, Math.ceil(src));
    frac[o] = src - floor;
  });
  return { lo, hi, frac };
};

/** Nearest-neighbour sources along one axis (`hi` = `lo`, `frac` = 0). */
export const nearestAxisMap: AxisMapFn = (inSize, outSize, alignCorners, halfPixelCenters) => {
  const coords = sourceCoords(inSize, outSize, alignCorners, halfPixelCenters, 0);
  const lo = new Int32Array(outSize);
  coords.forEach((src, o) => {
    const i = Math.min(inSize - 1, alignCorners ? Math.round(src) : Math.floor(src));
    lo[o] = halfPixelCenters ? Math.max(0, i) : i;
  });
  return { lo, hi: lo, frac: new Float32Array(outSize) };
};

/**
 * dx for a separable resize: scatters each dy element to its (up to) four sources. A JS loop over typed
 * arrays: it is memory-bound and touches each dy element once (about 1 ms per million elements here), a small
 * fraction of a training step, so it needs no XNNPACK path.
 */
export function scatterResizeGrad(
  dy: Float32Array,
  dyShape: readonly number[],
  inShape: readonly number[],
  rows: ResizeAxisMap,
  cols: ResizeAxisMap,
): Float32Array {
  const [n, ho, wo, c] = dyShape;
  const [, h, w] = inShape;
  const dx = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    const inBase = b * h * w * c;
    for (let oy = 0; oy < ho; oy++) {
      const y0 = rows.lo[oy];
      const y1 = rows.hi[oy];
      const fy = rows.frac[oy];
      for (let ox = 0; ox < wo; ox++) {
        const x0 = cols.lo[ox];
        const x1 = cols.hi[ox];
        const fx = cols.frac[ox];
        const w00 = (1 - fy) * (1 - fx);
        const w01 = (1 - fy) * fx;
        const w10 = fy * (1 - fx);
        const w11 = fy * fx;
        const p00 = inBase + (y0 * w + x0) * c;
        const p01 = inBase + (y0 * w + x1) * c;
        const p10 = inBase + (y1 * w + x0) * c;
        const p11 = inBase + (y1 * w + x1) * c;
        const q = ((b * ho + oy) * wo + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          const g = dy[q + ch];
          dx[p00 + ch] += g * w00;
          dx[p01 + ch] += g * w01;
          dx[p10 + ch] += g * w10;
          dx[p11 + ch] += g * w11;
        }
      }
    }
  }
  return dx;
}
