import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { createKnownDegradationOperator } from '../../../src/core/adapt/known-degradation-operator.js';
import { gaussianBlur, gaussianTaps } from '../../../src/core/adapt/adapt-gaussian-blur.js';

before(async () => {
  await tf.setBackend('cpu');
});

test('known operator without blur is the area (block-mean) downscale', () => {
  const start = tf.memory().numTensors;
  const op = createKnownDegradationOperator({ scale: 2, blurSigma: 0 });
  const sr = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
  const lr = op.reconstruct(sr);
  assert.deepEqual(lr.shape, [1, 2, 2, 1]);
  assert.deepEqual([...lr.dataSync()], [3.5, 5.5, 11.5, 13.5]);
  assert.throws(() => op.reconstruct(tf.zeros([1, 3, 4, 1])), /divisible by 2/);
  tf.dispose([sr, lr]);
  op.dispose();
  assert.ok(tf.memory().numTensors <= start + 1); // the zeros passed to the throwing call
});

test('gaussian blur keeps constants, spreads an impulse by the taps, and the operator is differentiable', () => {
  const taps = gaussianTaps(2);
  assert.equal(taps.length, 13);
  assert.ok(Math.abs(taps.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  tf.tidy(() => {
    const flat = gaussianBlur(tf.fill([1, 20, 20, 3], 0.3) as tf.Tensor4D, 2);
    assert.ok(flat.sub(0.3).abs().max().dataSync()[0] < 1e-6);
    const impulse = tf.buffer([1, 21, 21, 1]);
    impulse.set(1, 0, 10, 10, 0);
    const blurred = gaussianBlur(impulse.toTensor() as tf.Tensor4D, 1).dataSync();
    const t = gaussianTaps(1);
    assert.ok(Math.abs(blurred[10 * 21 + 10] - t[3] * t[3]) < 1e-6);
    assert.ok(Math.abs(blurred[10 * 21 + 11] - t[3] * t[4]) < 1e-6);
    const op = createKnownDegradationOperator({ scale: 4, blurSigma: 2 });
    const g = tf.grad((x: tf.Tensor) => op.reconstruct(x as tf.Tensor4D).sum())(tf.ones([1, 8, 8, 3]));
    // Blur and area downscale preserve mass, so the gradient of sum(LR) sums to size/16 (tf.mirrorPad would lose
    // the reflected part at the borders: 7.79 instead of 12 here).
    assert.ok(Math.abs(g.sum().dataSync()[0] - (8 * 8 * 3) / 16) < 1e-4);
  });
});
