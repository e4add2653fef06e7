// Reference gradients for image resizes, independent of any backend's gradient kernel: a resize is linear,
// y = R x per (batch, channel), so dx = R^T dy. R is read off the forward op applied to one-hot images.
import { tf } from '../../../src/core/tf.js';

export type ResizeFn = (x: tf.Tensor4D) => tf.Tensor4D;

/** dx = R^T dy for `resize` on input shape [n,h,w,c], computed with forward ops on the current backend. */
export function resizeGradReference(
  resize: ResizeFn,
  shape: [number, number, number, number],
  dy: tf.Tensor4D,
): tf.Tensor4D {
  const [n, h, w, c] = shape;
  return tf.tidy(() => {
    const basis = tf.reshape(tf.eye(h * w), [h * w, h, w, 1]) as tf.Tensor4D;
    const [, ho, wo] = dy.shape;
    const r = tf.reshape(resize(basis), [h * w, ho * wo]); // row k: the output of one-hot input k
    const dyCols = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [ho * wo, n * c]);
    const dx = tf.matMul(r, dyCols); // [h*w, n*c]
    return tf.transpose(tf.reshape(dx, [h, w, n, c]), [2, 0, 1, 3]) as tf.Tensor4D;
  });
}
