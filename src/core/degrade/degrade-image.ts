import { LwayError } from '../errors.js';
import { assertPixels, type Pixels } from '../pixels.js';
import {
  DEGRADATION_PRESETS,
  DEGRADATION_PRESET_NAMES,
  isDegradationPresetName,
} from './degradation-presets.js';
import type { DegradationPresetName } from './degradation-presets.js';
import { floatImageFromPixels, floatImageToPixels } from './float-image.js';
import { createRng } from './prng.js';

export interface DegradeImageOptions {
  /** 2, 3 or 4. */
  readonly scale: number;
  /** Default `realesrgan`. */
  readonly preset?: DegradationPresetName;
  /** Same seed, same bytes (in every JS engine). Default 0. */
  readonly seed?: number;
}

export const SUPPORTED_SCALES: readonly number[] = [2, 3, 4];

/**
 * Synthesises a realistic LR image of floor(HR / scale) from a clean HR image with a named preset.
 * Deterministic in `seed`. Alpha is dropped; the result is RGB.
 */
export function degradeImage(hr: Pixels, options: DegradeImageOptions): Pixels {
  assertPixels(hr, 'hr');
  const { scale, preset = 'realesrgan', seed = 0 } = options;
  if (!SUPPORTED_SCALES.includes(scale)) {
    throw new LwayError('BAD_INPUT', `scale must be one of ${SUPPORTED_SCALES.join(', ')}; got ${scale}`);
  }
  if (!isDegradationPresetName(preset)) {
    throw new LwayError(
      'BAD_INPUT',
      `preset must be one of ${DEGRADATION_PRESET_NAMES.join(', ')}; got ${preset}`,
    );
  }
  if (hr.width < scale || hr.height < scale) {
    throw new LwayError(
      'BAD_INPUT',
      `hr must be at least ${scale}x${scale} at x${scale}; got ${hr.width}x${hr.height}`,
    );
  }
  const lr = DEGRADATION_PRESETS[preset].apply(floatImageFromPixels(hr), scale, createRng(seed));
  return floatImageToPixels(lr);
}
