import { LwayError } from '../errors.js';
import { assertPixels, type Pixels } from '../pixels.js';

/** Options of {@link flatRegionNoise}. */
export interface FlatRegionNoiseOptions {
  /** Block side in LR pixels. Default 8 (32 output px at x4). */
  readonly block?: number;
  /** Fraction of blocks, the flattest in the LR, that are measured. Default 0.25. */
  readonly fraction?: number;
}

/**
 * A no-reference grain measure: for each output (all scale x `lr`), the noise sigma by Donoho's MAD estimator,
 * median(|HH|) / 0.6745 over the finest orthonormal Haar diagonal band of BT.601 luma (0-255 units), taken only in
 * the blocks that are flattest in the LR source (lowest luma standard deviation). Every output is measured on the
 * same blocks, so a larger value means the output has more fine texture where the source has none: painted grain.
 * The blocks are chosen from the LR, not from the outputs, so an output cannot make a block look busy and escape.
 */
export function flatRegionNoise(
  lr: Pixels,
  outputs: readonly Pixels[],
  options: FlatRegionNoiseOptions = {},
): number[] {
  assertPixels(lr, 'lr');
  const block = options.block ?? 8;
  const fraction = options.fraction ?? 0.25;
  if (!(Number.isInteger(block) && block >= 2)) {
    throw new LwayError('BAD_INPUT', `block must be an integer >= 2; got ${block}`);
  }
  if (!(fraction > 0 && fraction <= 1))
    throw new LwayError('BAD_INPUT', `fraction must be in (0, 1]; got ${fraction}`);
  const bx = Math.floor(lr.width / block);
  const by = Math.floor(lr.height / block);
  if (bx * by === 0) {
    throw new LwayError('BAD_INPUT', `lr must be at least ${block}x${block}; got ${lr.width}x${lr.height}`);
  }
  const lrLuma = luma(lr);
  const blocks: { x: number; y: number; std: number }[] = [];
  for (let j = 0; j < by; j++) {
    for (let i = 0; i < bx; i++) {
      let s = 0;
      let s2 = 0;
      for (let y = j * block; y < (j + 1) * block; y++) {
        for (let x = i * block; x < (i + 1) * block; x++) {
          const v = lrLuma[y * lr.width + x];
          s += v;
          s2 += v * v;
        }
      }
      const n = block * block;
      blocks.push({ x: i, y: j, std: Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) });
    }
  }
  blocks.sort((a, b) => a.std - b.std);
  const flat = blocks.slice(0, Math.max(1, Math.round(fraction * blocks.length)));
  return outputs.map((out, k) => {
    assertPixels(out, `outputs[${k}]`);
    const scale = out.width / lr.width;
    if (!Number.isInteger(scale) || out.height !== lr.height * scale) {
      throw new LwayError(
        'BAD_INPUT',
        `outputs[${k}] must be an integer multiple of the LR; got ${out.width}x${out.height} for ${lr.width}x${lr.height}`,
      );
    }
    const y = luma(out);
    const side = block * scale;
    const hh: number[] = [];
    for (const b of flat) {
      // Even offsets so the 2x2 Haar cells tile the block.
      for (let yy = b.y * side; yy + 1 < (b.y + 1) * side; yy += 2) {
        for (let xx = b.x * side; xx + 1 < (b.x + 1) * side; xx += 2) {
          const i = yy * out.width + xx;
          hh.push(Math.abs(y[i] - y[i + 1] - y[i + out.width] + y[i + out.width + 1]) / 2);
        }
      }
    }
    hh.sort((a, b) => a - b);
    const mid = hh.length >> 1;
    const median = hh.length % 2 ? hh[mid] : (hh[mid - 1] + hh[mid]) / 2;
    return median / 0.6745;
  });
}

function luma(p: Pixels): Float64Array {
  const out = new Float64Array(p.width * p.height);
  for (let i = 0; i < out.length; i++) {
    const j = i * p.channels;
    out[i] = 0.299 * p.data[j] + 0.587 * p.data[j + 1] + 0.114 * p.data[j + 2];
  }
  return out;
}
