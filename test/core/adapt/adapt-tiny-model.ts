import { tf } from '../../../src/core/tf.js';
import { DisposedError } from '../../../src/core/errors.js';
import type { NamedParam, SrModel } from '../../../src/core/models/sr-model.js';
import type { Pixels } from '../../../src/core/pixels.js';

/**
 * A tiny deterministic x2 SR net for adapt tests: conv 3->4 (relu), conv 4->12, pixel shuffle written as
 * reshape/transpose (differentiable on every backend), plus a nearest upsample of the input. Weights from a fixed LCG.
 */
export function createAdaptTinyModel(id = 'tiny-adapt-x2'): SrModel {
  let seed = 42;
  const rand = (n: number, amp: number): Float32Array =>
    Float32Array.from({ length: n }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed / 2147483648 - 0.5) * 2 * amp;
    });
  const params: NamedParam[] = [
    { name: 'c1/kernel', variable: tf.variable(tf.tensor4d(rand(9 * 3 * 4, 0.3), [3, 3, 3, 4])) },
    { name: 'c1/bias', variable: tf.variable(tf.tensor1d(rand(4, 0.1))) },
    { name: 'c2/kernel', variable: tf.variable(tf.tensor4d(rand(9 * 4 * 12, 0.2), [3, 3, 4, 12])) },
    { name: 'c2/bias', variable: tf.variable(tf.tensor1d(rand(12, 0.05))) },
  ];
  let disposed = false;
  return {
    id,
    scale: 2,
    tileMultiple: 1,
    params,
    predict(x: tf.Tensor4D): tf.Tensor4D {
      if (disposed) throw new DisposedError(id);
      return tf.tidy(() => {
        const [k1, b1, k2, b2] = params.map((p) => p.variable);
        const h = tf.relu(tf.conv2d(x, k1 as tf.Tensor4D, 1, 'same').add(b1));
        const r = tf.conv2d(h as tf.Tensor4D, k2 as tf.Tensor4D, 1, 'same').add(b2);
        const [n, hh, ww] = x.shape;
        const shuffled = r
          .reshape([n, hh, ww, 2, 2, 3])
          .transpose([0, 1, 3, 2, 4, 5])
          .reshape([n, 2 * hh, 2 * ww, 3]);
        const up = tf.image.resizeNearestNeighbor(x, [2 * hh, 2 * ww]);
        return up.add(shuffled) as tf.Tensor4D;
      });
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const p of params) p.variable.dispose();
    },
  };
}

/** A smooth synthetic RGB image with one vertical edge, the input of the adapt tests (16x16 by default). */
export function adaptTestImage(w = 16, h = 16): Pixels {
  return {
    width: w,
    height: h,
    channels: 3,
    data: Uint8Array.from({ length: w * h * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      const x = p % w;
      const y = Math.floor(p / w);
      return (x > 7 ? 180 : 40) + ((x * 13 + y * 7 + (i % 3) * 29) % 50);
    }),
  };
}
