import { DisposedError, LwayError } from '../errors.js';
import { tf } from '../tf.js';
import type { ReconstructionOperator } from './reconstruction-operator.js';
import type { Stage1Networks } from '../stage1/index.js';

/** Options of {@link createLrReconstruction}. */
export interface LrReconstructionOptions {
  /** Dispose E and R with the operator. Default false (the networks are shared across images). */
  readonly ownsNetworks?: boolean;
}

/** E(x) of one LR image, or the mean of several images' embeddings ([1, d]; the caller owns it). */
export function meanEmbedding(nets: Stage1Networks, lr: readonly tf.Tensor4D[]): tf.Tensor2D {
  if (lr.length === 0) throw new LwayError('BAD_INPUT', 'meanEmbedding needs at least one LR image');
  return tf.tidy(() =>
    lr.length === 1
      ? nets.encoder.encode(lr[0])
      : (tf.addN(lr.map((x) => nets.encoder.encode(x))).div(lr.length) as tf.Tensor2D),
  );
}

/**
 * LWay's reconstruction operator for one LR image x: computes e = E(x) once, then `reconstruct(y)` = R(y, e).
 * Gradients flow to `y` (and to R's variables, which the adaptation loop simply does not update). `lr` is not
 * disposed or kept; the embedding is. Given several LR images (collective adaptation, where one operator serves
 * every image), e is the mean of their embeddings.
 */
export function createLrReconstruction(
  nets: Stage1Networks,
  lr: tf.Tensor4D | readonly tf.Tensor4D[],
  options: LrReconstructionOptions = {},
): ReconstructionOperator {
  const list: readonly tf.Tensor4D[] = Array.isArray(lr) ? lr : [lr as tf.Tensor4D];
  if (list.length === 0)
    throw new LwayError('BAD_INPUT', 'createLrReconstruction needs at least one LR image');
  return lrReconstructionFromEmbedding(nets, meanEmbedding(nets, list), options);
}

/**
 * The same operator from an embedding already computed (e.g. the one the clean-input gate read, so E(x) runs once
 * per adaptation). The operator takes ownership of `embedding` and disposes it with itself.
 */
export function lrReconstructionFromEmbedding(
  nets: Stage1Networks,
  embedding: tf.Tensor2D,
  options: LrReconstructionOptions = {},
): ReconstructionOperator {
  let held: tf.Tensor2D | null = embedding;
  return {
    scale: nets.reconstructor.config.scale,
    reconstruct(sr) {
      if (!held) throw new DisposedError('LR reconstruction operator');
      return nets.reconstructor.reconstruct(sr, held);
    },
    dispose() {
      if (!held) return;
      held.dispose();
      held = null;
      if (options.ownsNetworks) {
        nets.encoder.dispose();
        nets.reconstructor.dispose();
      }
    },
  };
}
