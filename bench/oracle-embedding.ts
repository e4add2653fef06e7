// An oracle for bench/r-consistency.ts: the embedding that best explains an image's LR from its true HR. Starting
// from E(x), Adam on e alone (R frozen) minimises L1(R(HR, e), x). If R(HR, e*) explains x much better than
// R(HR, E(x)) does, R could model this degradation and E's estimate of it from the LR is what falls short.
import type { Stage1Networks } from '../src/core/stage1/index.js';
import { tf } from '../src/core/tf.js';

/** e* for one pair (x [1, h, w, 3], HR [1, sh, sw, 3]); the caller owns the result. Needs gradients on the backend. */
export function oracleEmbedding(
  nets: Stage1Networks,
  hr: tf.Tensor4D,
  lr: tf.Tensor4D,
  steps: number,
  learningRate = 0.01,
): tf.Tensor2D {
  const start = nets.encoder.encode(lr);
  const e = tf.variable(start);
  start.dispose();
  const optimiser = tf.train.adam(learningRate);
  try {
    for (let i = 0; i < steps; i++) {
      optimiser.minimize(
        () => nets.reconstructor.reconstruct(hr, e).sub(lr).abs().mean() as tf.Scalar,
        false,
        [e],
      );
    }
    return e.clone();
  } finally {
    optimiser.dispose();
    e.dispose();
  }
}
