import { tf } from '../tf.js';

/**
 * The closed-form "tone" correction inside the training graph: per image of the batch and per channel, the affine
 * map a * sr + b whose area downscale (by `scale`) best matches `lr` in least squares, applied to `sr`.
 * Differentiable in `sr` (a and b are functions of it), so adaptation trains with the global colour and contrast
 * already corrected and its steps go to what a global affine map cannot fix. Same fit as core/correct's
 * fitToneMatch (which corrects the final output), up to the 1e-6 variance floor that keeps a flat crop finite.
 * The caller owns the result; inputs are not disposed.
 */
export function toneMatchTensor(sr: tf.Tensor4D, lr: tf.Tensor4D, scale: number): tf.Tensor4D {
  return tf.tidy(() => {
    const d = tf.avgPool(sr, scale, scale, 'valid');
    const md = d.mean([1, 2], true);
    const mx = lr.mean([1, 2], true);
    const dd = d.sub(md);
    const cov = dd.mul(lr.sub(mx)).mean([1, 2], true);
    const variance = dd.square().mean([1, 2], true).add(1e-6);
    return sr.sub(md).mul(cov.div(variance)).add(mx) as tf.Tensor4D;
  });
}
