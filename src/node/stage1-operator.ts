import { DisposedError, LwayError } from '../core/errors.js';
import { createKnownDegradationOperator } from '../core/lway/known-degradation-operator.js';
import { createLrReconstruction } from '../core/lway/lr-reconstruction.js';
import { pixelsToTensor } from '../core/lway/adapt-pixels.js';
import type { ReconstructionOperator } from '../core/lway/reconstruction-operator.js';
import type { Stage1Networks } from '../core/lway/stage1-networks.js';
import type { Pixels } from '../core/pixels.js';
import { tf } from '../core/tf.js';
import { hasStage1Weights, loadStage1Folder, stage1DirFor } from './stage1-folder.js';

/** `r`: the trained stage-1 R(y, E(x)); `known`: Gaussian blur + area downscale; `auto`: r when weights exist. */
export type OperatorChoice = 'r' | 'known' | 'auto';
export const OPERATOR_CHOICES: readonly OperatorChoice[] = ['auto', 'r', 'known'];

/** Builds one ReconstructionOperator per adaptation run (R's networks are loaded once and shared). */
export interface Stage2OperatorSource {
  readonly kind: 'r' | 'known';
  /** One line saying what the operator is (for reports). */
  readonly description: string;
  /** Set when `auto` fell back to the known operator: say so to the user. */
  readonly notice?: string;
  /** The operator for these LR images (their mean embedding for several). Caller disposes it. */
  forImages(lr: Pixels | readonly Pixels[]): ReconstructionOperator;
  /** Frees R and E. Idempotent. */
  dispose(): void;
}

/** Options of {@link createStage2OperatorSource}. */
export interface Stage2OperatorOptions {
  readonly choice?: OperatorChoice;
  /** The SR model's scale. */
  readonly scale: number;
  /** Blur sigma (HR px) of the known operator. Default 2. */
  readonly blurSigma?: number;
  /** Stage-1 folder; default models/lway-degradation/x<scale>/. */
  readonly stage1Dir?: string;
}

/**
 * Resolves `--operator`: `r` loads E and R from the stage-1 folder (BAD_INPUT when it holds no weights), `known`
 * uses blur + area downscale, `auto` (default) picks r when the folder has weights and otherwise known, with a notice.
 */
export async function createStage2OperatorSource(o: Stage2OperatorOptions): Promise<Stage2OperatorSource> {
  const choice = o.choice ?? 'auto';
  if (!['auto', 'r', 'known'].includes(choice))
    throw new LwayError('BAD_INPUT', `operator must be one of auto, r, known; got ${String(choice)}`);
  const dir = o.stage1Dir ?? stage1DirFor(o.scale);
  const blurSigma = o.blurSigma ?? 2;
  const useR = choice === 'r' || (choice === 'auto' && hasStage1Weights(dir));
  if (choice === 'r' && !hasStage1Weights(dir)) {
    throw new LwayError(
      'BAD_INPUT',
      `--operator r needs stage-1 weights for x${o.scale} in ${dir} (train them with lway train-degradation); none found`,
    );
  }
  if (!useR) {
    return {
      kind: 'known',
      description: `known blur sigma ${blurSigma} + area x${o.scale}`,
      notice:
        choice === 'auto'
          ? `no stage-1 weights for x${o.scale} in ${dir}: adapting with the known-degradation operator (blur sigma ${blurSigma} + area) instead of R`
          : undefined,
      forImages: () => createKnownDegradationOperator({ scale: o.scale, blurSigma }),
      dispose: () => undefined,
    };
  }
  const nets: Stage1Networks = await loadStage1Folder(dir);
  if (nets.reconstructor.config.scale !== o.scale) {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    throw new LwayError(
      'BAD_INPUT',
      `stage-1 weights in ${dir} are x${nets.reconstructor.config.scale}; the model is x${o.scale}`,
    );
  }
  let disposed = false;
  return {
    kind: 'r',
    description: `stage-1 R(y, E(x)) from ${dir}`,
    forImages(lr) {
      if (disposed) throw new DisposedError('stage-2 operator source');
      const list = Array.isArray(lr) ? (lr as readonly Pixels[]) : [lr as Pixels];
      const tensors = list.map((p) => pixelsToTensor(p));
      try {
        return createLrReconstruction(nets, tensors);
      } finally {
        tf.dispose(tensors);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      nets.encoder.dispose();
      nets.reconstructor.dispose();
    },
  };
}
