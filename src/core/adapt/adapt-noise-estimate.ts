import { tf } from '../tf.js';

/**
 * Estimated standard deviation of white noise in an LR batch (NHWC RGB in [0, 1]; result in the same units), by
 * Donoho's robust estimator: median(|HH|) / 0.6745 over the finest orthonormal Haar diagonal band of luma. Natural
 * image content barely reaches the HH band, so the median tracks noise (and JPEG block noise) rather than edges.
 * Used by adapt's noise guard: the known failure of LR-consistency fine-tuning is learning to paint noise that the
 * reconstruction operator does not model.
 */
export async function estimateNoiseSigma(lr: tf.Tensor4D): Promise<number> {
  const hh = tf.tidy(() => {
    const [, h, w] = lr.shape;
    const y = lr
      .slice([0, 0, 0, 0], [-1, h - (h % 2), w - (w % 2), -1])
      .mul(tf.tensor1d([0.299, 0.587, 0.114]))
      .sum(3, true) as tf.Tensor4D;
    const filter = tf.tensor4d([0.5, -0.5, -0.5, 0.5], [2, 2, 1, 1]);
    return tf.conv2d(y, filter, 2, 'valid').abs();
  });
  try {
    const values = Float32Array.from(await hh.data()).sort();
    if (values.length === 0) return 0;
    const mid = values.length >> 1;
    const median = values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    return median / 0.6745;
  } finally {
    hh.dispose();
  }
}
