import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { selectBackend } from '../../../src/core/backend/select-backend.js';
import { relativeError, seeded } from './grad-compare.js';

// The registered DepthToSpace gradient is backend-independent, so comparing wasm with cpu alone would not
// catch a wrong permutation: check it against TF.js's own gradients of the same pixel shuffle written as
// reshape + transpose (TF's NHWC layout: out[n, h*b + i, w*b + j, c] = in[n, h, w, (i*b + j)*C + c]).
function shuffleByReshape(x: tf.Tensor4D, b: number): tf.Tensor4D {
  const [n, h, w, cb] = x.shape;
  const c = cb / (b * b);
  return tf.reshape(tf.transpose(tf.reshape(x, [n, h, w, b, b, c]), [0, 1, 3, 2, 4, 5]), [
    n,
    h * b,
    w * b,
    c,
  ]);
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const [shape, b] of [
    [[2, 3, 4, 12], 2],
    [[1, 2, 3, 48], 4],
  ] as const) {
    test(`DepthToSpace gradient on ${backend} equals the reshape/transpose reference: x ${shape} block ${b}`, async () => {
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.tensor4d(seeded(tf.util.sizeFromShape([...shape]), 51), [...shape]);
        const dy = tf.tensor4d(seeded(x.size, 52), shuffleByReshape(x, b).shape);
        const forward = relativeError(tf.depthToSpace(x, b).dataSync(), shuffleByReshape(x, b).dataSync());
        assert.equal(forward, 0, 'the reference is the same permutation');
        const got = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.depthToSpace(t as tf.Tensor4D, b), dy)))(x);
        const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(shuffleByReshape(t as tf.Tensor4D, b), dy)))(x);
        assert.equal(relativeError(got.dataSync(), ref.dataSync()), 0);
      });
      assert.equal(tf.memory().numTensors, before);
    });
  }
}
