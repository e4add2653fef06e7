import {
  correctOutput,
  flatRegionGuardSteps,
  type CorrectionMode,
  type FlatRegionGuardOptions,
} from '../correct/index.js';
import { runSteps, runStepsCooperatively, type Steps } from '../cooperative-steps.js';
import type { SrModel } from '../models/index.js';
import type { Pixels } from '../pixels.js';
import { upscale } from './upscale.js';
import type { UpscaleOptions } from './upscale-options.js';

export interface FinishedUpscaleOptions extends UpscaleOptions {
  /** The quick fix, fitted on the whole image against the whole output (after tiling). Default none. */
  readonly correction?: CorrectionMode;
  /**
   * The unadapted model that `model` was adapted from. When given, the output gets the flat-region guard
   * (correct/flat-region-guard.ts) against this model's output under the same correction: one more upscale pass.
   */
  readonly guardAgainst?: SrModel;
  /** The guard's thresholds (default DEFAULT_FLAT_REGION_GUARD). */
  readonly flatGuard?: FlatRegionGuardOptions;
}

/**
 * The product's whole output step, shared by the CLI and the panel's engine: a tiled upscale, the quick fix, and
 * for an adapted model the flat-region guard. Progress counts the tiles of both passes when the guard runs.
 * Alpha is kept. `signal` is checked between tiles and between the whole-image steps after them (seconds on a
 * large output).
 */
export async function upscaleFinished(
  model: SrModel,
  pixels: Pixels,
  options: FinishedUpscaleOptions = {},
): Promise<Pixels> {
  const { correction = 'none', guardAgainst, flatGuard, onProgress, ...tiling } = options;
  const passes = guardAgainst ? 2 : 1;
  const pass = (m: SrModel, index: number): Promise<Pixels> =>
    upscale(m, pixels, {
      ...tiling,
      onProgress: onProgress
        ? (p) => onProgress({ ...p, done: index * p.total + p.done, total: passes * p.total })
        : undefined,
    });
  const output = await pass(model, 0);
  const reference = guardAgainst ? await pass(guardAgainst, 1) : undefined;
  return runStepsCooperatively(
    finishSteps(pixels, output, { correction, reference, flatGuard }),
    options.signal,
  );
}

/** Options of {@link finishOutput}. */
export interface FinishOutputOptions {
  readonly correction?: CorrectionMode;
  /** The unadapted model's raw output: when given, the flat-region guard runs against it. */
  readonly reference?: Pixels;
  readonly flatGuard?: FlatRegionGuardOptions;
}

/**
 * The output step on outputs already made (the benches): the quick fix of `output` against `lr`,
 * then, when `reference` (the unadapted model's raw output) is given, the flat-region guard against the reference
 * under the same quick fix.
 */
export function finishOutput(lr: Pixels, output: Pixels, options: FinishOutputOptions = {}): Pixels {
  return runSteps(finishSteps(lr, output, options));
}

/** {@link finishOutput} as steps: the quick fix of each output, then the guard's own steps. */
function* finishSteps(lr: Pixels, output: Pixels, options: FinishOutputOptions): Steps<Pixels> {
  const correction = options.correction ?? 'none';
  const fix = (p: Pixels): Pixels => (correction === 'none' ? p : correctOutput(lr, p, correction));
  const fixed = fix(output);
  if (!options.reference) return fixed;
  yield;
  const reference = fix(options.reference);
  yield;
  return yield* flatRegionGuardSteps(lr, fixed, reference, options.flatGuard);
}
