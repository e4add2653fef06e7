import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { bestLinearPrediction } from '../../bench/best-linear-operator.js';
import { oracleEmbedding } from '../../bench/oracle-embedding.js';
import { tinyStage1 } from '../core/stage1/stage1-fixtures.js';

const image = (h: number, w: number, seed: number) =>
  tf.tidy(() => tf.randomUniform([1, h, w, 3], 0.1, 0.9, 'float32', seed)) as tf.Tensor4D;
const meanAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().mean().dataSync()[0]);

/** One 3 x 3 kernel on every channel (symmetric edges, as the fit assumes) plus per-channel offsets. */
function degradeLinearly(src: tf.Tensor4D, kernel: number[], offsets: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const padded = tf.mirrorPad(
      src,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      'symmetric',
    );
    const filter = tf.tensor4d(kernel, [3, 3, 1, 1]);
    const channels = tf.split(padded, 3, 3).map((c) => tf.conv2d(c as tf.Tensor4D, filter, 1, 'valid'));
    return tf.concat(channels, 3).add(tf.tensor1d(offsets)) as tf.Tensor4D;
  });
}

test('bestLinearPrediction recovers a degradation inside its family and leaves noise unexplained', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const hrDown = image(12, 10, 1);
  // Asymmetric on purpose (a shifted, anisotropic blur): the fit must not assume symmetry.
  const lr = degradeLinearly(hrDown, [0.05, 0.1, 0, 0.2, 0.4, 0.05, 0, 0.15, 0.05], [0.02, -0.03, 0.01]);
  const fitted = bestLinearPrediction(hrDown, lr, 5);
  assert.ok(meanAbs(fitted, lr) < 2e-3, `a 3x3 degradation is inside the 5x5 family: ${meanAbs(fitted, lr)}`);

  const noise = image(12, 10, 2); // independent of hrDown: no kernel explains it
  const none = bestLinearPrediction(hrDown, noise, 3);
  assert.ok(meanAbs(none, noise) > 0.1, 'an unrelated target keeps a large residual');
  assert.throws(() => bestLinearPrediction(hrDown, lr, 4), /odd/);
  tf.dispose([hrDown, lr, fitted, noise, none]);
  assert.equal(tf.memory().numTensors, before);
});

test('oracleEmbedding explains the LR from its HR better than E(x), and frees what it made', async () => {
  await tf.setBackend('cpu');
  const nets = tinyStage1(3);
  const hr = image(16, 16, 4);
  const target = tinyStage1(5); // a different R's view of the HR: the LR the oracle has to explain
  const lr = tf.tidy(() =>
    target.reconstructor.reconstruct(hr, target.encoder.encode(tf.zeros([1, 8, 8, 3]))),
  );
  const before = tf.memory().numTensors;
  const start = tf.tidy(() => meanAbs(nets.reconstructor.reconstruct(hr, nets.encoder.encode(lr)), lr));
  const e = oracleEmbedding(nets, hr, lr, 40, 0.05);
  const after = tf.tidy(() => meanAbs(nets.reconstructor.reconstruct(hr, e), lr));
  assert.deepEqual(e.shape, [1, nets.reconstructor.config.embeddingDim]);
  assert.ok(after < start * 0.9, `L1 ${start} -> ${after}`);
  e.dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([hr, lr]);
  for (const n of [nets, target]) {
    n.encoder.dispose();
    n.reconstructor.dispose();
  }
});
