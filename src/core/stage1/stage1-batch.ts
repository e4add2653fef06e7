import { LwayError } from '../errors.js';
import {
  DEGRADATION_PRESETS,
  type DegradationPresetName,
  floatImageFromPixels,
  floatImageToHwc,
  type Rng,
  type RngState,
} from '../degrade/index.js';
import type { Pixels } from '../pixels.js';

/** Supplies random HR training crops (`size` x `size`), drawing every random choice from `rng`. */
export type CropSampler = (rng: Rng, size: number) => Pixels | Promise<Pixels>;

/** What a batch is made of. */
export interface Stage1BatchSpec {
  readonly batch: number;
  /** HR crop side. */
  readonly crop: number;
  readonly scale: number;
  /** Relative frequency of each degradation preset. */
  readonly presetMix: Readonly<Partial<Record<DegradationPresetName, number>>>;
}

/** One batch as NHWC float32 data, and the RNG state right after drawing it (what a checkpoint must store). */
export interface Stage1Batch {
  /** [batch, crop, crop, 3]. */
  readonly hr: Float32Array;
  /** [batch, crop / scale, crop / scale, 3]. */
  readonly lr: Float32Array;
  readonly rngState: RngState;
}

/**
 * Draws `batch` HR crops and degrades each with a preset drawn from `presetMix`, all from `rng`, so the same RNG
 * state always gives the same batch (in-process or in a worker).
 */
export async function synthesizeStage1Batch(
  rng: Rng,
  sampleCrop: CropSampler,
  spec: Stage1BatchSpec,
): Promise<Stage1Batch> {
  const { crop, batch, scale, presetMix } = spec;
  const names = Object.keys(presetMix) as DegradationPresetName[];
  const weights = names.map((n) => presetMix[n] ?? 0);
  const lrSide = crop / scale;
  const hrData = new Float32Array(batch * crop * crop * 3);
  const lrData = new Float32Array(batch * lrSide * lrSide * 3);
  for (let b = 0; b < batch; b++) {
    const px = await sampleCrop(rng, crop);
    if (px.width !== crop || px.height !== crop) {
      throw new LwayError(
        'BAD_INPUT',
        `sampleCrop must return ${crop}x${crop}; got ${px.width}x${px.height}`,
      );
    }
    const hr = floatImageFromPixels(px);
    const lr = DEGRADATION_PRESETS[names[rng.choice(weights)]].apply(hr, scale, rng);
    hrData.set(floatImageToHwc(hr), b * crop * crop * 3);
    lrData.set(floatImageToHwc(lr), b * lrSide * lrSide * 3);
  }
  return { hr: hrData, lr: lrData, rngState: rng.getState() };
}

/**
 * A stream of batches produced elsewhere (e.g. a worker thread, so synthesis overlaps training). It must start from
 * `startState` and yield exactly the batches synthesizeStage1Batch would draw in sequence from that state.
 */
export interface Stage1BatchSource {
  next(): Promise<Stage1Batch>;
  dispose(): void;
}

export type Stage1BatchSourceFactory = (startState: RngState, spec: Stage1BatchSpec) => Stage1BatchSource;
