import { Command, InvalidArgumentError, Option } from 'commander';
import { tryLoadLpips } from '../core/lpips/index.js';
import { adapt } from '../core/lway/index.js';
import type { AdaptedModel } from '../core/lway/index.js';
import type { SrModel } from '../core/models/sr-model.js';
import type { Pixels } from '../core/pixels.js';
import { lpipsFetchBytes } from '../node/lpips-weights.js';
import {
  OPERATOR_CHOICES,
  createStage2OperatorSource,
  type OperatorChoice,
} from '../node/stage1-operator.js';

/** The `--adapt*` options of `lway upscale`, as commander parses them. */
export interface UpscaleAdaptCliOptions {
  readonly adapt?: boolean;
  readonly adaptSteps?: number;
  readonly adaptStrength?: number;
  readonly adaptLr?: number;
  readonly adaptBlur?: number;
  /** Residual low-pass sigma (LR px); 0 = off. */
  readonly adaptLowpass?: number;
  /** Trust region: max mean output change in /255 levels; default off. */
  readonly adaptMaxChange?: number;
  /** `auto` (default): the trained R when models/lway-degradation/x<scale>/ has weights, else `known`. */
  readonly operator?: OperatorChoice;
  /** Stage-1 folder for `--operator r`. */
  readonly stage1?: string;
}

const number =
  (name: string, min: number, max = Infinity) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}]; got ${v}`);
    }
    return n;
  };

/**
 * Adds `--adapt`, `--adapt-steps`, `--adapt-strength`, `--adapt-lr`, `--adapt-blur`, `--adapt-lowpass`,
 * `--adapt-max-change`, `--operator`, `--stage1`.
 */
export function addUpscaleAdaptOptions(command: Command): Command {
  return command
    .option('--adapt', 'adapt the model to each image first (LWay test-time adaptation)')
    .option('--adapt-steps <n>', 'adaptation steps (default 200)', number('--adapt-steps', 0))
    .option(
      '--adapt-strength <s>',
      'weight-map strength in [0, 1] (default 1)',
      number('--adapt-strength', 0, 1),
    )
    .option('--adapt-lr <rate>', 'Adam learning rate (default: per model)', number('--adapt-lr', 0))
    .option(
      '--adapt-blur <sigma>',
      'blur sigma (HR px) of the known-degradation operator (--operator known; default 2)',
      number('--adapt-blur', 0),
    )
    .option(
      '--adapt-lowpass <sigma>',
      'low-pass the LR residual (Gaussian sigma, LR px) so grain and JPEG blocks are not learned (default 0 = off)',
      number('--adapt-lowpass', 0),
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
    .option('--stage1 <dir>', 'stage-1 folder for --operator r (default models/lway-degradation/x<scale>)');
}

/**
 * With `--adapt`, adapts `model` to `pixels` and returns the adapted model (the caller disposes it; `model` is
 * untouched); otherwise returns undefined. Uses LPIPS-alex in the loss when its weights load (models/lpips, or
 * $LWAY_LPIPS_DIR) and the image is at least 32 px a side. Prints the run's notices (no LPIPS, noisy input,
 * roll-back, known operator used because no stage-1 weights exist) to stderr.
 */
export async function adaptForUpscale(
  model: SrModel,
  pixels: Pixels,
  options: UpscaleAdaptCliOptions,
  onStep?: (step: number, total: number) => void,
): Promise<AdaptedModel | undefined> {
  if (!options.adapt) return undefined;
  const source = await createStage2OperatorSource({
    choice: options.operator,
    scale: model.scale,
    blurSigma: options.adaptBlur,
    stage1Dir: options.stage1,
  });
  if (source.notice) console.error(`lway: notice: ${source.notice}`);
  let operator: ReturnType<typeof source.forImages> | undefined;
  const loaded =
    Math.min(pixels.width, pixels.height) >= 32 ? await tryLoadLpips('alex', lpipsFetchBytes()) : undefined;
  const lpips = loaded?.ok ? loaded.lpips : undefined;
  try {
    operator = source.forImages(pixels);
    const adapted = await adapt(model, pixels, {
      operator,
      steps: options.adaptSteps,
      strength: options.adaptStrength,
      learningRate: options.adaptLr,
      residualSigma: options.adaptLowpass,
      maxDeviation: options.adaptMaxChange === undefined ? undefined : options.adaptMaxChange / 255,
      lpips: lpips ? (a, b) => lpips.distance(a, b).mean() : undefined,
      onProgress: ({ step, total }) => onStep?.(step, total),
    });
    for (const n of adapted.report.notices) console.error(`lway: ${n.code}: ${n.message}`);
    return adapted;
  } finally {
    operator?.dispose();
    source.dispose();
    lpips?.dispose();
  }
}
