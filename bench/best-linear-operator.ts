// An oracle for bench/r-consistency.ts: the best *linear* degradation an image could have, fitted on its true HR.
// Per image, least squares for x ~ k * area_down(HR) + b (one k x k LR-domain kernel shared by the three channels, an
// offset per channel). Any blur, area or bicubic downscale, sub-pixel shift and contrast change is inside that
// family; noise and JPEG are not. So its residual is a floor on what a deterministic operator can explain of x from
// the HR: where even this floor is above the unadapted output's own consistency, the LR does not point towards the
// HR and LR-consistency training cannot gain on that image, however good R is.
// Normal equations (k^2 + 3 unknowns) solved by QR: tf.linalg.qr on the small Gram matrix, not on the
// (pixels x unknowns) design matrix, which is too slow on the CPU.
import { tf } from '../src/core/tf.js';

/** Edge-symmetric k x k neighbourhood of each pixel of `img` ([1, h, w, 3]) as [h * w * 3, k * k] rows. */
function neighbourhoods(img: tf.Tensor4D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const r = (k - 1) / 2;
    const [, h, w] = img.shape;
    const padded = tf.mirrorPad(
      img,
      [
        [0, 0],
        [r, r],
        [r, r],
        [0, 0],
      ],
      'symmetric',
    );
    const taps: tf.Tensor[] = [];
    for (let dy = 0; dy < k; dy++)
      for (let dx = 0; dx < k; dx++) taps.push(padded.slice([0, dy, dx, 0], [1, h, w, 3]).reshape([-1]));
    return tf.stack(taps, 1) as tf.Tensor2D;
  });
}

/** Solves the upper-triangular system R beta = z by back substitution. */
function backSubstitute(r: Float32Array, z: Float32Array, n: number): Float64Array {
  const beta = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let j = i + 1; j < n; j++) s -= r[i * n + j] * beta[j];
    beta[i] = s / r[i * n + i];
  }
  return beta;
}

/**
 * The least-squares prediction of `lr` ([1, h, w, 3]) from `hrDown` (the HR area-downscaled to the LR's size) by
 * one k x k kernel plus a per-channel offset. k odd; the caller disposes the result.
 */
export function bestLinearPrediction(hrDown: tf.Tensor4D, lr: tf.Tensor4D, k: number): tf.Tensor4D {
  if (k % 2 !== 1) throw new RangeError(`bestLinearPrediction: k must be odd; got ${k}`);
  return tf.tidy(() => {
    const rows = hrDown.shape[1] * hrDown.shape[2];
    // Channel is the fastest axis of the flattened image, so the one-hot offsets repeat [1 0 0, 0 1 0, 0 0 1].
    const offsets = tf.tile(tf.eye(3), [rows, 1]);
    const design = tf.concat([neighbourhoods(hrDown, k), offsets], 1);
    const target = lr.reshape([-1, 1]);
    const n = design.shape[1];
    // A tiny ridge keeps the Gram matrix invertible on flat images (all taps equal).
    const gram = design.transpose().matMul(design).add(tf.eye(n).mul(1e-6));
    const [q, r] = tf.linalg.qr(gram);
    const z = q.transpose().matMul(design.transpose().matMul(target));
    const beta = backSubstitute(r.dataSync() as Float32Array, z.dataSync() as Float32Array, n);
    return design.matMul(tf.tensor2d(Array.from(beta), [n, 1])).reshape(lr.shape) as tf.Tensor4D;
  });
}
