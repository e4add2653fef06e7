import { LwayError } from '../errors.js';
import { PAPER_LEARNING_RATE, PRESETS } from '../models/index.js';
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
 * - anchorWeight 0.2 (with the phone-fine-tuned R, 2026-11-30): without an anchor the PSNR gain was bought by
 *   softening the output above the LR's Nyquist (the gain and the LPIPS loss both sat in the band above a 2 px HR
 *   Gaussian). On all 12 validation images per set, 0.2 / 0.3 / 0.1 against the best closed-form control:
 *   City100 +0.04 / -0.06 / +0.19 dB, Kodak24-synth +0.03 / +0.03 / +0.02, Kodak-phone +0.15 / +0.14 / +0.16;
 *   0.2 is the only weight at or above the best control on every set with LPIPS below both references on two of
 *   three (Kodak24-synth +0.002) and no image above the unadapted LPIPS by more than 0.011; 0.1 raised single
 *   images' LPIPS by 0.016-0.017 on the noisy sets. (With the step-4,000 R, 0.3 was chosen: at 0.1 Kodak-phone
 *   lost 0.14 dB.)
 * - strength 0 (plain L1, no weight map): the Haar map puts the loss where noise and JPEG blocks are (the old
 *   ablation: Kodak24-synth +0.70 dB at 0 vs +0.34 at 1); the slider stays for the user.
 * - steps 50: PSNR and LPIPS at 50 steps were within 0.07 dB / 0.001 of 100 and 150 on every set.
 *   30 steps (40 % less time; decisions log section 13) kept PSNR within 0.02 dB on the noisy sets but gave back
 *   LPIPS (Kodak24-synth back to the unadapted model's 0.5494, one image +0.0104).
 */
export const DEFAULT_ADAPT_OPTIONS = {
  steps: 50,
  strength: 0,
  lpipsWeight: 0,
  anchorWeight: 0.2,
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

/** The settings stage 2 picks per input kind. */
export interface InputProfile {
  readonly anchorWeight: number;
  readonly residualSigma: number;
  /** Multiplies the model's default learning rate (DEFAULT_LEARNING_RATES). */
  readonly learningRateScale: number;
}

/**
 * Stage-2 settings by the clean-input gate's verdict (stage-1 folder's `clean-gate.json`), used for the settings
 * the caller leaves unset; without a gate (or with `inputGate: false`) DEFAULT_ADAPT_OPTIONS apply. Chosen on the
 * validation split (images 13-24; docs/lway-stage2-decisions.md section 9):
 * - clean (sharp LR, detail to trust): anchor 0.05 and 2.5x the learning rate (5e-6 for the x4 presets). On the 12
 *   City100 validation images, against tone+ibp: anchor 0.1 at 2e-6 +0.19 dB, 0.1 at 5e-6 +0.21, **0.05 at 5e-6
 *   +0.36 (LPIPS 0.2384 vs 0.2542)**, 0.05 at 1e-5 +0.26 (one image -0.63 dB). A noisy image misjudged clean
 *   costs little with it: on Kodak-phone validation this profile is still +0.04 dB over tone (LPIPS +0.008).
 * - noisy (noise, JPEG): anchor 0.3 and the residual low-pass sigma 2, so the LR's grain is not a target.
 *   Sigma 1 (section 9): Kodak-phone +0.21 dB over tone and Kodak24-synth +0.07, where the fixed default gave +0.15
 *   and +0.03; sigma 2 (section 11, with the flat-region guard) +0.23 and +0.11 with LPIPS lower on both sets.
 *   Sigma 3, lr 5e-6 and 100 steps moved neither set by more than 0.01 dB beyond that.
 * The output gets tone either way. Back-projection after adaptation (+0.07 dB more on City100) is not in the
 * clean profile: on a noisy image the gate misjudges (7-14 % of the synthetic noisy crops) it costs up to 15 dB.
 */
export const INPUT_PROFILES: Readonly<Record<'clean' | 'noisy', InputProfile>> = {
  clean: { anchorWeight: 0.05, residualSigma: 0, learningRateScale: 2.5 },
  noisy: { anchorWeight: 0.3, residualSigma: 2, learningRateScale: 1 },
};

/** The settings the gate picks (INPUT_PROFILES) when the caller leaves them unset. */
export const GATED_ADAPT_SETTINGS = [
  'anchorWeight',
  'residualSigma',
  'learningRate',
] as const satisfies readonly NumericAdaptSetting[];

/**
 * The gate's verdict for a user, e.g. "Judged clean (p 0.92): anchor 0.05, 2.5x the learning rate, unless set." —
 * what the panel shows beside a result and the CLI prints, so a user can tell why two selections adapted differently.
 */
export function describeJudgement(judgement: {
  readonly kind: 'clean' | 'noisy';
  readonly probability: number;
}): string {
  const p = INPUT_PROFILES[judgement.kind];
  const settings = [
    `anchor ${p.anchorWeight}`,
    ...(p.learningRateScale === 1 ? [] : [`${p.learningRateScale}x the learning rate`]),
    ...(p.residualSigma === 0 ? [] : [`residual low-pass ${p.residualSigma}`]),
  ];
  return (
    `Judged ${judgement.kind} (p(clean) ${judgement.probability.toFixed(2)}): adapted with ` +
    `${settings.join(', ')} where not set by hand.`
  );
}

/** What the gate picks for `setting`, in words, e.g. "clean 0.05, noisy 0.3" (for help texts). */
export function describeInputProfiles(setting: (typeof GATED_ADAPT_SETTINGS)[number]): string {
  const value = (p: InputProfile): string =>
    setting === 'learningRate' ? `${p.learningRateScale}x the model's` : String(p[setting]);
  return `clean ${value(INPUT_PROFILES.clean)}, noisy ${value(INPUT_PROFILES.noisy)}`;
}

/** The learning rate adaptation uses for `modelId` when none is given. */
export function defaultLearningRateFor(modelId: string): number {
  return DEFAULT_LEARNING_RATES[modelId] ?? DEFAULT_LEARNING_RATE;
}

/**
 * The settings of an adaptation: every option that changes the adapted weights (what a cache key is made of), i.e.
 * AdaptOptions without the operator, the LPIPS function, the signal and the progress callback.
 */
export type AdaptSettings = Omit<AdaptOptions, 'operator' | 'lpips' | 'signal' | 'onProgress'>;

/** AdaptSettings with every default filled in (learningRate from the model's default). */
export type ResolvedAdaptSettings = Omit<
  ResolvedAdaptOptions,
  'operator' | 'lpips' | 'signal' | 'onProgress'
>;

/** Allowed values of a numeric option: [min, max] (either end open when flagged); `step` is a control's increment. */
export interface OptionRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer?: boolean;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

/** The numeric AdaptSettings. */
export type NumericAdaptSetting = {
  [K in keyof ResolvedAdaptSettings]-?: ResolvedAdaptSettings[K] extends number ? K : never;
}[keyof ResolvedAdaptSettings];

/**
 * The one declaration of each numeric setting's range: resolveAdaptOptions validates with it, the CLI's flags
 * parse with it and the panel's controls take their min, max and step from it (and clamp into it).
 */
export const ADAPT_OPTION_RANGES: Readonly<Record<NumericAdaptSetting, OptionRange>> = {
  // The paper adapts for 100-600 steps; 10,000 is hours on a CPU.
  steps: { min: 0, max: 10_000, step: 1, integer: true },
  learningRate: { min: 0, max: Infinity, step: 1e-7, minExclusive: true, maxExclusive: true },
  strength: { min: 0, max: 1, step: 0.05 },
  lpipsWeight: { min: 0, max: Infinity, step: 0.1, maxExclusive: true },
  anchorWeight: { min: 0, max: Infinity, step: 0.05, maxExclusive: true },
  paramFraction: { min: 0, max: 1, step: 0.05, minExclusive: true },
  cropSize: { min: 1, max: Infinity, step: 1, integer: true },
  cropsPerStep: { min: 1, max: Infinity, step: 1, integer: true },
  // The grain guard: the lead's real phone photo (CLI --adapt-lowpass 1) needed sigma 1.
  residualSigma: { min: 0, max: Infinity, step: 0.5, maxExclusive: true },
  holdoutFraction: { min: 0, max: 1, step: 0.05, maxExclusive: true },
  evalEvery: { min: 1, max: Infinity, step: 1, integer: true },
  // Infinity disables the noise guard and the trust region.
  maxNoiseSigma: { min: 0, max: Infinity, step: 0.005, minExclusive: true },
  maxDeviation: { min: 0, max: Infinity, step: 0.005, minExclusive: true },
  divergenceFactor: { min: 1, max: Infinity, step: 0.5, minExclusive: true },
  seed: { min: -Infinity, max: Infinity, step: 1, integer: true },
};

/** The range in words, e.g. "in [0, 1]", "an integer in [0, 10000]", "a finite number >= 0", "an integer >= 1". */
export function describeRange(r: OptionRange): string {
  const finite = r.max === Infinity && r.maxExclusive && !r.integer;
  const kind = r.integer ? 'an integer' : finite ? 'a finite number' : 'a number';
  const lo = r.min === -Infinity ? undefined : `${r.minExclusive ? '>' : '>='} ${r.min}`;
  const hi = r.max === Infinity ? undefined : `${r.maxExclusive ? '<' : '<='} ${r.max}`;
  if (lo && hi) {
    const interval = `${r.minExclusive ? '(' : '['}${r.min}, ${r.max}${r.maxExclusive ? ')' : ']'}`;
    return r.integer ? `an integer in ${interval}` : `in ${interval}`;
  }
  return lo || hi ? `${kind} ${lo ?? hi}` : kind;
}

/** True when `v` is allowed for `r` (Infinity only where the range is open above). */
export function inRange(v: number, r: OptionRange): boolean {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  const aboveMin = r.minExclusive ? v > r.min : v >= r.min;
  const belowMax = r.maxExclusive ? v < r.max : v <= r.max;
  return aboveMin && belowMax;
}

/**
 * The problem with `value` for setting `name`, as "<name> must be <range>; got <value>", or undefined when it is
 * allowed. `label` replaces the name in the text (a CLI flag, say).
 */
export function adaptOptionProblem(
  name: NumericAdaptSetting,
  value: number,
  label: string = name,
): string | undefined {
  const r = ADAPT_OPTION_RANGES[name];
  return inRange(value, r) ? undefined : `${label} must be ${describeRange(r)}; got ${String(value)}`;
}

/**
 * `value` moved into `name`'s range (rounded for integers; an open end moved in by one step); a non-finite value
 * that the range does not allow gives `fallback`. For controls, which must never send a value core refuses.
 */
export function clampAdaptOption(name: NumericAdaptSetting, value: number, fallback: number): number {
  const r = ADAPT_OPTION_RANGES[name];
  if (inRange(value, r)) return value;
  if (!Number.isFinite(value)) return fallback;
  const lo = r.minExclusive ? r.min + r.step : r.min;
  const hi = r.maxExclusive ? r.max - r.step : r.max;
  const v = Math.min(hi, Math.max(lo, value));
  return r.integer ? Math.round(v) : v;
}

/**
 * Fills defaults for `modelId` and validates every setting once (against ADAPT_OPTION_RANGES); throws BAD_INPUT
 * naming the bad value and what is allowed. The operator is not needed here (see resolveAdaptOptions).
 */
export function resolveAdaptSettings(settings: AdaptSettings, modelId: string): ResolvedAdaptSettings {
  const learningRate = settings.learningRate ?? defaultLearningRateFor(modelId);
  const o = { ...DEFAULT_ADAPT_OPTIONS, ...stripUndefined(settings), learningRate };
  for (const name of Object.keys(ADAPT_OPTION_RANGES) as NumericAdaptSetting[]) {
    const problem = adaptOptionProblem(name, o[name]);
    if (problem) throw new LwayError('BAD_INPUT', problem);
  }
  if (typeof o.toneInLoop !== 'boolean') {
    throw new LwayError('BAD_INPUT', `toneInLoop must be true or false; got ${String(o.toneInLoop)}`);
  }
  if (o.paramNames !== undefined && !(Array.isArray(o.paramNames) && o.paramNames.length > 0)) {
    throw new LwayError('BAD_INPUT', `paramNames must be a non-empty array; got ${String(o.paramNames)}`);
  }
  return o;
}

/** Fills defaults for `modelId` and validates once; throws BAD_INPUT naming the bad value and what is allowed. */
export function resolveAdaptOptions(options: AdaptOptions, modelId: string): ResolvedAdaptOptions {
  if (!options || typeof options.operator?.reconstruct !== 'function') {
    throw new LwayError('BAD_INPUT', 'adapt needs options.operator (a ReconstructionOperator)');
  }
  const { operator, lpips, signal, onProgress, ...settings } = options;
  return { ...resolveAdaptSettings(settings, modelId), operator, lpips, signal, onProgress };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A stable string of the settings (everything that changes the adapted weights; for cache keys). The LPIPS
 * weights are included as asked for: whether LPIPS loaded is the session's business, and it does not change
 * within one.
 */
export function adaptSettingsKey(o: ResolvedAdaptSettings): string {
  return JSON.stringify([
    o.steps,
    o.learningRate,
    o.strength,
    o.lpipsWeight,
    o.anchorWeight,
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

/**
 * The quick fix an upscale gets unless the user picks one: none for a plain upscale (the model's own output), and
 * for an adapted one what its training assumed ({@link defaultCorrectionFor}).
 */
export function defaultCorrection(adapting: boolean, toneInLoop?: boolean): 'tone' | 'none' {
  return adapting ? defaultCorrectionFor(toneInLoop) : 'none';
}
