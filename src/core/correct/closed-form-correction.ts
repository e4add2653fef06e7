import { LwayError } from '../errors.js';
import { floatImageFromPixels, floatImageToPixels, type FloatImage, resize } from '../degrade/index.js';
import { assertPixels, type Pixels } from '../pixels.js';
import { addUpscaledCorrection, backProjectionField } from './back-projection.js';
import { applyToneMatch, fitToneMatch, IDENTITY_TONE, type ToneMatch } from './tone-match.js';

/**
 * Closed-form corrections of an SR output against its own LR input (milliseconds, no training):
 * - `tone`: per-channel affine fit so the area-downscaled output matches the LR (fixes a model's global colour and
 *   contrast habits, e.g. realesr-general-x4v3's over-saturation);
 * - `ibp`: iterative back-projection, 10 x y += bicubic_up(x - area_down(y));
 * - `tone+ibp`: tone first, then back-projection of the toned output.
 */
export type CorrectionMode = 'none' | 'tone' | 'ibp' | 'tone+ibp';
export const CORRECTION_MODES: readonly CorrectionMode[] = ['none', 'tone', 'ibp', 'tone+ibp'];
export const BACK_PROJECTION_ITERATIONS = 10;

export function isCorrectionMode(v: unknown): v is CorrectionMode {
  return typeof v === 'string' && (CORRECTION_MODES as readonly string[]).includes(v);
}

/** A fitted correction: the affine tone map, then an LR-sized back-projection field (null: none). */
export interface Correction {
  readonly mode: CorrectionMode;
  readonly scale: number;
  readonly tone: ToneMatch;
  readonly field: FloatImage | null;
}

/** Fits `mode` for SR output `sr` of `lr` (sr must be exactly scale x lr). Alpha is ignored. */
export function fitCorrection(lr: Pixels, sr: Pixels, mode: CorrectionMode): Correction {
  assertPixels(lr, 'lr');
  assertPixels(sr, 'sr');
  const scale = sr.width / lr.width;
  if (!Number.isInteger(scale) || scale < 1 || sr.height !== lr.height * scale) {
    throw new LwayError(
      'BAD_INPUT',
      `the SR output must be an integer multiple of the LR; got ${lr.width}x${lr.height} -> ${sr.width}x${sr.height}`,
    );
  }
  if (!isCorrectionMode(mode)) {
    throw new LwayError(
      'BAD_INPUT',
      `correction must be one of ${CORRECTION_MODES.join(', ')}; got ${String(mode)}`,
    );
  }
  if (mode === 'none') return { mode, scale, tone: IDENTITY_TONE, field: null };
  const x = floatImageFromPixels(lr);
  let down = resize(floatImageFromPixels(sr), lr.width, lr.height, 'area');
  let tone = IDENTITY_TONE;
  if (mode === 'tone' || mode === 'tone+ibp') {
    tone = fitToneMatch(x, down);
    down = applyToneMatch(down, tone);
  }
  const field =
    mode === 'ibp' || mode === 'tone+ibp'
      ? backProjectionField(x, down, scale, BACK_PROJECTION_ITERATIONS)
      : null;
  return { mode, scale, tone, field };
}

/** Applies a fitted correction to `sr` (new Pixels, same channels; alpha copied unchanged). */
export function applyCorrection(sr: Pixels, correction: Correction): Pixels {
  assertPixels(sr, 'sr');
  if (correction.mode === 'none') return { ...sr, data: new Uint8Array(sr.data) };
  let y = applyToneMatch(floatImageFromPixels(sr), correction.tone);
  if (correction.field) y = addUpscaledCorrection(y, correction.field);
  return floatImageToPixels(y, sr);
}

/** fitCorrection then applyCorrection. */
export function correctOutput(lr: Pixels, sr: Pixels, mode: CorrectionMode): Pixels {
  return applyCorrection(sr, fitCorrection(lr, sr, mode));
}
