import { LwayError } from '../errors.js';
import { lumaPlane } from '../image/index.js';
import { assertPixels, type Pixels } from '../pixels.js';

/** Options of {@link flatRegionNoise}. */
export interface FlatRegionNoiseOptions {
  /** Block side in LR pixels. Default 8 (32 output px at x4). */
  readonly block?: number;
  /** Fraction of blocks, the flattest in the LR, that are measured. Default 0.25. */
  readonly fraction?: number;
  /**
   * Haar level of the HH band, 1 = the output's finest. Level n averages 2^(n-1) x 2^(n-1) cells first, so at x4
   * level 3 is the LR's own pixel scale: where an LR-consistency loss would make S repaint the source's grain
   * (blobs of one LR pixel), which the finest band barely sees. Averaging also lifts the measure above the
   * 8-bit quantisation floor (~0.29 levels) that dominates level 1 on smooth outputs. Default 1.
   */
  readonly level?: number;
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
  const level = options.level ?? 1;
  if (!(Number.isInteger(level) && level >= 1 && level <= 8)) {
    throw new LwayError('BAD_INPUT', `level must be an integer in [1, 8]; got ${level}`);
  }
  const cell = 2 ** (level - 1);
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
  const lrLuma = lumaPlane(lr);
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
    const y = lumaPlane(out);
    const side = block * scale;
    if (side % (2 * cell) !== 0) {
      throw new LwayError(
        'BAD_INPUT',
        `level ${level} needs blocks of a multiple of ${2 * cell} output px; got ${side}`,
      );
    }
    // Mean luma of the cell x cell square at (x, y): the Haar approximation at this level, up to scale.
    const at = (x: number, yy: number): number => {
      let s = 0;
      for (let v = 0; v < cell; v++) for (let u = 0; u < cell; u++) s += y[(yy + v) * out.width + x + u];
      return s / (cell * cell);
    };
    const hh: number[] = [];
    for (const b of flat) {
      // Offsets in steps of 2 cells so the Haar squares tile the block.
      for (let yy = b.y * side; yy < (b.y + 1) * side; yy += 2 * cell) {
        for (let xx = b.x * side; xx < (b.x + 1) * side; xx += 2 * cell) {
          hh.push(
            Math.abs(at(xx, yy) - at(xx + cell, yy) - at(xx, yy + cell) + at(xx + cell, yy + cell)) / 2,
          );
        }
      }
    }
    hh.sort((a, b) => a - b);
    const mid = hh.length >> 1;
    const median = hh.length % 2 ? hh[mid] : (hh[mid - 1] + hh[mid]) / 2;
    return median / 0.6745;
  });
}
