import { Command, InvalidArgumentError, Option } from 'commander';
import {
  CORRECTION_MODES,
  type CorrectionMode,
  ADAPT_OPTION_RANGES,
  DEFAULT_ADAPT_OPTIONS,
  GATED_ADAPT_SETTINGS,
  describeInputProfiles,
  describeJudgement,
  OPERATOR_CHOICES,
  adaptOptionProblem,
  describeRange,
  type AdaptLease,
  type AdaptSession,
  type NumericAdaptSetting,
  type OperatorChoice,
  type SessionAdaptOptions,
  type SrModel,
  type Pixels,
} from '../core/index.js';

/** The core settings `lway upscale` exposes as flags: [flag, setting, what it does]. Ranges and defaults are core's. */
const SETTING_FLAGS = [
  ['--adapt-steps <n>', 'steps', 'adaptation steps'],
  ['--adapt-strength <s>', 'strength', 'weight-map strength'],
  ['--adapt-lr <rate>', 'learningRate', "Adam learning rate (without the gate: the model's default)"],
  [
    '--adapt-anchor <w>',
    'anchorWeight',
    'weight of the perceptual anchor to the unadapted output at HR (lower: more change, more risk); 0 = off',
  ],
  [
    '--adapt-lowpass <sigma>',
    'residualSigma',
    'low-pass the LR residual (Gaussian sigma, LR px) so grain and JPEG blocks are not learned; 0 = off',
  ],
] as const satisfies readonly (readonly [string, NumericAdaptSetting, string])[];

type FlagSetting = (typeof SETTING_FLAGS)[number][1];

/** The adaptation and quick-fix options of `lway upscale`, as commander parses them (settings under core's names). */
export interface UpscaleAdaptCliOptions extends Partial<Record<FlagSetting, number>> {
  readonly adapt?: boolean;
  /** Blur sigma (HR px) of the known-degradation operator. */
  readonly adaptBlur?: number;
  /** Trust region: max mean output change in /255 levels (core's maxDeviation x 255); default off. */
  readonly adaptMaxChange?: number;
  /** `auto` (default): the trained R when models/lway-degradation/x<scale>/ has weights, else `known`. */
  readonly operator?: OperatorChoice;
  /** Stage-1 folder for `--operator r`. */
  readonly stage1?: string;
  /** False with --no-adapt-input-gate: fixed defaults instead of the clean-input gate's per-image ones. */
  readonly adaptInputGate?: boolean;
  /** The quick fix of the whole output: default none, or tone with --adapt (see defaultCorrection). */
  readonly correct?: CorrectionMode;
  /** False with --no-flat-guard: the adapted output as is, grain in flat regions included. */
  readonly flatGuard?: boolean;
}

const number =
  (name: string, min: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min)
      throw new InvalidArgumentError(`${name} must be a number >= ${min}; got ${v}`);
    return n;
  };

/** A flag for core setting `setting`: parsed and checked against core's range, stored under the setting's name. */
function settingFlag(flag: string, setting: NumericAdaptSetting, what: string): Option {
  const range = describeRange(ADAPT_OPTION_RANGES[setting]);
  const fallback = (DEFAULT_ADAPT_OPTIONS as Partial<Record<NumericAdaptSetting, number>>)[setting];
  const gated = GATED_ADAPT_SETTINGS.find((g) => g === setting);
  const otherwise = fallback === undefined ? '' : `, or ${fallback} without the gate`;
  const defaults = gated
    ? `; default per image, ${describeInputProfiles(gated)}${otherwise}`
    : fallback === undefined
      ? ''
      : `; default ${fallback}`;
  const option = new Option(flag, `${what} (${range}${defaults})`);
  const name = option.long ?? flag;
  option.argParser((v: string) => {
    const n = v.trim() === '' ? NaN : Number(v);
    const problem = adaptOptionProblem(setting, n, name);
    if (problem) throw new InvalidArgumentError(problem.replace(/got NaN$/, `got ${v}`));
    return n;
  });
  // The options object speaks core's names (learningRate, not adaptLr); the flag stays what users type.
  option.attributeName = () => setting;
  return option;
}

/**
 * Adds `--adapt`, `--adapt-steps`, `--adapt-strength`, `--adapt-lr`, `--adapt-anchor`, `--adapt-lowpass`, `--adapt-blur`,
 * `--adapt-max-change`, `--operator`, `--stage1`, `--no-adapt-input-gate`, `--no-flat-guard` and `--correct`.
 */
export function addUpscaleAdaptOptions(command: Command): Command {
  command.option('--adapt', 'adapt the model to each image first (LWay test-time adaptation)');
  for (const [flag, setting, what] of SETTING_FLAGS) command.addOption(settingFlag(flag, setting, what));
  return command
    .option(
      '--adapt-blur <sigma>',
      'blur sigma (HR px) of the known-degradation operator (--operator known; default 2)',
      number('--adapt-blur', 0),
    )
    .option(
      '--adapt-max-change <levels>',
      'stop once the output moves more than this many /255 levels on average from the unadapted one (default off)',
      number('--adapt-max-change', 0),
    )
    .addOption(
      new Option(
        '--operator <kind>',
        'adaptation operator: r = trained stage-1 R(y, E(x)); known = blur + area; auto = r when weights exist',
      )
        .choices(OPERATOR_CHOICES)
        .default('auto'),
    )
    .option('--stage1 <dir>', 'stage-1 folder for --operator r (default models/lway-degradation/x<scale>)')
    .option(
      '--no-adapt-input-gate',
      "fixed anchor and low-pass defaults instead of the clean-input gate's per-image choice",
    )
    .option(
      '--no-flat-guard',
      "keep the adapted output's fine texture where the input is flat too (default: there it keeps the unadapted " +
        "model's texture, so adaptation paints no grain; one more upscale pass)",
    )
    .addOption(
      new Option(
        '--correct <mode>',
        'quick fix of the output against its input: tone (per-channel colour/contrast fit, safe), ibp (back-projection: ' +
          'sharper on clean photos, amplifies noise), tone+ibp, none (default: none; tone with --adapt)',
      ).choices(CORRECTION_MODES),
    );
}

/** The core adaptation settings in `options` (flags not given are left to core's defaults). */
export function adaptSettingsOf(options: UpscaleAdaptCliOptions): SessionAdaptOptions {
  const settings: Partial<Record<NumericAdaptSetting, number>> = {};
  for (const [, setting] of SETTING_FLAGS)
    if (options[setting] !== undefined) settings[setting] = options[setting];
  return {
    ...settings,
    ...(options.adaptMaxChange === undefined ? {} : { maxDeviation: options.adaptMaxChange / 255 }),
    ...(options.adaptInputGate === false ? { inputGate: false } : {}),
  };
}

/**
 * With `--adapt`, adapts `model` to `pixels` through `session` and returns the lease (the caller releases it;
 * `model` is untouched); otherwise undefined. Prints the run's notices (LPIPS or R unavailable, noisy input,
 * roll-back...) to stderr as `lway: <file>: <CODE>: <message>` (the file, given as `file`, tells lines of a
 * parallel batch apart).
 */
export async function adaptForUpscale(
  session: AdaptSession,
  model: SrModel,
  pixels: Pixels,
  options: UpscaleAdaptCliOptions,
  onStep?: (step: number, total: number) => void,
  file?: string,
): Promise<AdaptLease | undefined> {
  if (!options.adapt) return undefined;
  const lease = await session.adapt(model, pixels, {
    ...adaptSettingsOf(options),
    onProgress: ({ step, total }) => onStep?.(step, total),
  });
  const prefix = file === undefined ? 'lway:' : `lway: ${file}:`;
  for (const n of lease.notices) console.error(`${prefix} ${n.code}: ${n.message}`);
  if (lease.judgement) console.error(`${prefix} ${describeJudgement(lease.judgement)}`);
  return lease;
}
