import { LwayError } from '../errors.js';
import { tf } from '../tf.js';
import { gaussianBlur, perChannelConv } from './adapt-gaussian-blur.js';
import type { ReconstructionOperator } from './reconstruction-operator.js';

/** Options for {@link createKnownDegradationOperator}. */
export interface KnownDegradationOptions {
  /** Downscale factor (the SR model's scale). Default 4. */
  readonly scale?: number;
  /** Gaussian blur sigma in HR pixels applied before downscaling; 0 for none. Default 2 (the team's experiment). */
  readonly blurSigma?: number;
}

export const DEFAULT_KNOWN_DEGRADATION_OPTIONS: Required<KnownDegradationOptions> = {
  scale: 4,
  blurSigma: 2,
};

/**
 * A ReconstructionOperator from an explicit degradation: Gaussian blur at HR scale, then area downscale by `scale`
 * (mean of each scale x scale block). For experiments and tests (the "true operator" upper bound) and as a fallback
 * before trained R weights exist. Inputs must have sides divisible by `scale`; throws BAD_INPUT otherwise.
 */
export function createKnownDegradationOperator(
  options: KnownDegradationOptions = {},
): ReconstructionOperator {
  const { scale, blurSigma } = { ...DEFAULT_KNOWN_DEGRADATION_OPTIONS, ...options };
  if (!Number.isInteger(scale) || scale < 1) {
    throw new LwayError('BAD_INPUT', `scale must be a positive integer; got ${scale}`);
  }
  if (!(blurSigma >= 0) || !Number.isFinite(blurSigma)) {
    throw new LwayError('BAD_INPUT', `blurSigma must be a finite number >= 0; got ${blurSigma}`);
  }
  return {
    scale,
    reconstruct(sr: tf.Tensor4D): tf.Tensor4D {
      const [, h, w] = sr.shape;
      if (h % scale !== 0 || w % scale !== 0) {
        throw new LwayError('BAD_INPUT', `reconstruct needs sides divisible by ${scale}; got ${w}x${h}`);
      }
      return tf.tidy(() => {
        const blurred = gaussianBlur(sr, blurSigma);
        // Area downscale as a strided box filter (conv2d trains on every backend; avgPool's gradient is not on wasm).
        const box = tf.fill([scale, scale, 1, 1], 1 / (scale * scale)) as tf.Tensor4D;
        return scale === 1 ? blurred : perChannelConv(blurred, box, scale);
      });
    },
    dispose(): void {
      // Holds no tensors.
    },
  };
}
