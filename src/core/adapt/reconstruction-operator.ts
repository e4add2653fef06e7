import type { tf } from '../tf.js';

/**
 * LWay's LR-reconstruction branch seen from the adaptation loop: maps an SR output y (NHWC, [0,1], scale x the LR)
 * back to an LR image x' = R(y, E(x)) carrying the LR input's own degradation. The embedding E(x) is computed once
 * by whoever builds the operator, so `reconstruct` is differentiable in `sr` only.
 */
export interface ReconstructionOperator {
  readonly scale: number;
  /** Differentiable in `sr`. Caller owns the result; `sr` is not disposed. */
  reconstruct(sr: tf.Tensor4D): tf.Tensor4D;
  /** Frees the embedding and any weights the operator owns. Idempotent. */
  dispose(): void;
}
