import { LwayError } from '../errors.js';
import { PAPER_LEARNING_RATE, PRESETS } from '../models/preset-info.js';
import type { tf } from '../tf.js';
import type { ReconstructionOperator } from './reconstruction-operator.js';

/** Progress of an adaptation run; `loss` is the training-batch loss of this step. */
export interface AdaptProgress {
  readonly stage: 'adapt';
  readonly step: number;
  readonly total: number;
  readonly loss: number;
  readonly etaSeconds: number;
}

/**
 * A differentiable perceptual distance: NHWC batches in [0, 1] -> scalar mean over the batch (e.g. LPIPS-alex).
 * The caller owns the result; inputs are not disposed.
 */
export type PerceptualLoss = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Scalar;

/** Options of {@link adapt}. Only `operator` is required. */
export interface AdaptOptions {
  /** LR reconstruction x' = R(S(x)). Not disposed by adapt. */
  readonly operator: ReconstructionOperator;
  /** Adam steps. Default 200. */
  readonly steps?: number;
  /** Adam learning rate. Default: per model, see {@link DEFAULT_LEARNING_RATES}. */
  readonly learningRate?: number;
  /** Weight-map strength s in [0, 1] (W_s = 1 - s + s W). Default 1. */
  readonly strength?: number;
  /**
   * lambda of the paper's perceptual term, LPIPS(W * R(S(x)), W * x) at LR; used only when `lpips` is given.
   * Default 0: see DEFAULT_ADAPT_OPTIONS for what was measured.
   */
  readonly lpipsWeight?: number;
  /**
   * lambda_a of the perceptual anchor at HR, LPIPS(T(S(x)), S_0(x)) on the training crops (S_0: the unadapted
   * model): the LR loss cannot see detail above the LR's Nyquist frequency, and without the anchor adaptation
   * buys PSNR by softening it. Used only when `lpips` is given.
   */
  readonly anchorWeight?: number;
  /**
   * Fit the closed-form per-channel tone correction inside the loss (T above), so the steps go to structure rather
   * than to the global colour and contrast that a closed form fixes. The final output is then tone-corrected too
   * (the caller's `correction`, 'tone' by default). Default true.
   */
  readonly toneInLoop?: boolean;
  readonly lpips?: PerceptualLoss;
  /** Fraction of parameters (scalars, counted from the output side) to train. Default 0.65. */
  readonly paramFraction?: number;
  /** Explicit parameter names to train; overrides `paramFraction`. */
  readonly paramNames?: readonly string[];
  /** LR crop side (rounded down to the model's tileMultiple; the whole image when smaller). Default 48. */
  readonly cropSize?: number;
  /** Crops per step (the batch; distinct crops, so fewer when the image holds fewer cells). Default 4. */
  readonly cropsPerStep?: number;
  /**
   * Safeguard 1: Gaussian sigma (LR px) of the low-pass applied to the residual R(S(x)) - x before the weighted L1,
   * so the model is not pushed to reproduce noise and JPEG artefacts that R does not model. 0 disables. Default 0:
   * measured at lr 1e-4 on 4 Kodak crops, sigma 1 cut the clean gain from +1.45 to +0.61 dB and on noise + JPEG
   * q60 moved PSNR from -0.72 to 0.00 dB but LPIPS got worse either way (+0.17 / +0.20); the deviation limit
   * below does better on both.
   */
  readonly residualSigma?: number;
  /**
   * Safeguard 2: fraction of the image's crop cells held out of training; the loss on them is measured every
   * `evalEvery` steps and the weights with the best held-out loss are returned (step 0 = unadapted counts).
   * Default 0.25 (none when the image has a single cell).
   */
  readonly holdoutFraction?: number;
  /** Steps between held-out evaluations. Default 10. */
  readonly evalEvery?: number;
  /**
   * Safeguard 3: estimated LR noise sigma (in [0, 1] units, Donoho's MAD of the Haar HH band) above which
   * adaptation is skipped and the unadapted weights are returned with a NOISY_INPUT notice. Infinity disables.
   * Default 0.04 (10/255): only grossly noisy selections. Measured on 48x48 LR crops it cannot tell JPEG'd noise
   * from texture (clean blurred Kodak 0.5-4.9/255, + noise 5.1/255 and JPEG q60 0.7-4.7/255, City100 real LR
   * 1.0-7.4/255), so the held-out selection is the main guard there.
   */
  readonly maxNoiseSigma?: number;
  /**
   * Safeguard 4, a trust region: stop when the mean |S_adapted(x) - S_unadapted(x)| on the held-out crops
   * exceeds this ([0, 1] units) and keep the best weights seen within it. Default Infinity (off): at 4/255 it cut
   * noise painting on Kodak + noise + JPEG q60 (lr 2e-5, known operator: -0.41 -> -0.21 dB), but on real camera
   * pairs the useful correction is larger than that (City100 validation crops moved 4-15/255 while gaining
   * +0.7 to +4.1 dB at lr 2e-6 / 200 steps with R), so the limit stopped every City100 run at step 0.
   */
  readonly maxDeviation?: number;
  /** Divergence: stop and roll back when the held-out loss exceeds this multiple of its initial value. Default 3. */
  readonly divergenceFactor?: number;
  /** Seed of crop sampling. Default 1. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: AdaptProgress) => void;
}

export type ResolvedAdaptOptions = Required<
  Omit<AdaptOptions, 'lpips' | 'paramNames' | 'signal' | 'onProgress' | 'learningRate'>
> &
  Pick<AdaptOptions, 'lpips' | 'paramNames' | 'signal' | 'onProgress'> & { readonly learningRate: number };

/** Per-model Adam learning rates, from the preset table (preset-info.ts, where the measurement is described). */
export const DEFAULT_LEARNING_RATES: Readonly<Record<string, number>> = Object.fromEntries(
  PRESETS.map((p) => [p.id, p.defaultLearningRate]),
);
/** Fallback learning rate for models outside the preset table (the paper's CNN setting). */
export const DEFAULT_LEARNING_RATE = PAPER_LEARNING_RATE;

/**
 * Stage-2 defaults, chosen on the validation split (images 13-24 of City100, Kodak24-synth and Kodak-phone;
 * never the bench images), with realesr-general-x4v3 and the trained R; PSNR/LPIPS against HR along single runs
 * (the experiment log is in docs/lway-stage2-decisions.md):
 * - toneInLoop: on. Most of the old default's gain was a global colour/contrast fix (x4v3 over-saturates); with
 *   the tone fit inside the loss the steps go to structure. On 4 City100 images it reached the closed-form
 *   tone+IBP control's PSNR in 100 steps instead of staying below it.
 * - lpipsWeight 0 (the paper's LR LPIPS term off): with it on, LPIPS vs HR rose (City100 +0.004 to +0.057 over the
 *   unadapted model on 4 images) — on 48 px LR crops LPIPS rewards reproducing the LR's grain.
 * - anchorWeight 0.3: without an anchor the PSNR gain was bought by softening the output above the LR's Nyquist
 *   (the gain and the LPIPS loss both sat in the band above a 2 px HR Gaussian); at 0.3 LPIPS vs HR fell below
 *   the unadapted model's on every City100 and Kodak-phone image (12 / 12 ... see the log) and rose by at most
 *   0.009 on Kodak24-synth, while City100 kept +0.95 dB over tone alone; at 0.1 Kodak-phone lost 0.14 dB.
 * - strength 0 (plain L1, no weight map): the Haar map puts the loss where noise and JPEG blocks are (the old
 *   ablation: Kodak24-synth +0.70 dB at 0 vs +0.34 at 1); the slider stays for the user.
 * - steps 50: PSNR and LPIPS at 50 steps were within 0.07 dB / 0.001 of 100 and 150 on every set.
 */
export const DEFAULT_ADAPT_OPTIONS = {
  steps: 50,
  strength: 0,
  lpipsWeight: 0,
  anchorWeight: 0.3,
  toneInLoop: true,
  paramFraction: 0.65,
  cropSize: 48,
  cropsPerStep: 4,
  residualSigma: 0,
  holdoutFraction: 0.25,
  evalEvery: 10,
  maxNoiseSigma: 0.04,
  maxDeviation: Infinity,
  divergenceFactor: 3,
  seed: 1,
} as const;

function check(ok: boolean, name: string, value: unknown, allowed: string): void {
  if (!ok) throw new LwayError('BAD_INPUT', `${name} must be ${allowed}; got ${String(value)}`);
}

/** Fills defaults for `modelId` and validates once; throws BAD_INPUT naming the bad value and what is allowed. */
export function resolveAdaptOptions(options: AdaptOptions, modelId: string): ResolvedAdaptOptions {
  if (!options || typeof options.operator?.reconstruct !== 'function') {
    throw new LwayError('BAD_INPUT', 'adapt needs options.operator (a ReconstructionOperator)');
  }
  const learningRate = options.learningRate ?? DEFAULT_LEARNING_RATES[modelId] ?? DEFAULT_LEARNING_RATE;
  const o = { ...DEFAULT_ADAPT_OPTIONS, ...stripUndefined(options), learningRate };
  const isInt = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;
  check(isInt(o.steps, 0), 'steps', o.steps, 'an integer >= 0');
  check(
    o.learningRate > 0 && Number.isFinite(o.learningRate),
    'learningRate',
    o.learningRate,
    'a finite number > 0',
  );
  check(o.strength >= 0 && o.strength <= 1, 'strength', o.strength, 'in [0, 1]');
  check(
    o.lpipsWeight >= 0 && Number.isFinite(o.lpipsWeight),
    'lpipsWeight',
    o.lpipsWeight,
    'a finite number >= 0',
  );
  check(
    o.anchorWeight >= 0 && Number.isFinite(o.anchorWeight),
    'anchorWeight',
    o.anchorWeight,
    'a finite number >= 0',
  );
  check(typeof o.toneInLoop === 'boolean', 'toneInLoop', o.toneInLoop, 'true or false');
  check(o.paramFraction > 0 && o.paramFraction <= 1, 'paramFraction', o.paramFraction, 'in (0, 1]');
  check(isInt(o.cropSize, 1), 'cropSize', o.cropSize, 'an integer >= 1');
  check(isInt(o.cropsPerStep, 1), 'cropsPerStep', o.cropsPerStep, 'an integer >= 1');
  check(
    o.residualSigma >= 0 && Number.isFinite(o.residualSigma),
    'residualSigma',
    o.residualSigma,
    'a finite number >= 0',
  );
  check(o.holdoutFraction >= 0 && o.holdoutFraction < 1, 'holdoutFraction', o.holdoutFraction, 'in [0, 1)');
  check(isInt(o.evalEvery, 1), 'evalEvery', o.evalEvery, 'an integer >= 1');
  check(o.maxNoiseSigma > 0, 'maxNoiseSigma', o.maxNoiseSigma, 'a number > 0 (Infinity disables)');
  check(o.maxDeviation > 0, 'maxDeviation', o.maxDeviation, 'a number > 0 (Infinity disables)');
  check(o.divergenceFactor > 1, 'divergenceFactor', o.divergenceFactor, 'a number > 1');
  check(Number.isInteger(o.seed), 'seed', o.seed, 'an integer');
  if (o.paramNames !== undefined) {
    check(
      Array.isArray(o.paramNames) && o.paramNames.length > 0,
      'paramNames',
      o.paramNames,
      'a non-empty array',
    );
  }
  return { ...o, operator: options.operator };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A stable string of the options that change the adapted weights (for cache keys): everything but the operator,
 * callbacks, signal and the LPIPS function itself (whether one was given is included).
 */
export function adaptSettingsKey(o: ResolvedAdaptOptions): string {
  return JSON.stringify([
    o.steps,
    o.learningRate,
    o.strength,
    o.lpips ? o.lpipsWeight : 0,
    o.lpips ? o.anchorWeight : 0,
    o.toneInLoop,
    o.paramNames ?? o.paramFraction,
    o.cropSize,
    o.cropsPerStep,
    o.residualSigma,
    o.holdoutFraction,
    o.evalEvery,
    o.maxNoiseSigma,
    o.maxDeviation,
    o.divergenceFactor,
    o.seed,
  ]);
}

/**
 * The closed-form correction an adapted model's output needs: 'tone' when adaptation fitted tone inside its loss
 * (the network was trained to be right *after* that fit), else 'none'. `toneInLoop` undefined = the default.
 */
export function defaultCorrectionFor(toneInLoop: boolean | undefined): 'tone' | 'none' {
  return (toneInLoop ?? DEFAULT_ADAPT_OPTIONS.toneInLoop) ? 'tone' : 'none';
}
