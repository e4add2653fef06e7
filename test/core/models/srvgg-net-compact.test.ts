import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { DisposedError } from '../../../src/core/errors.js';
import { permuteLastAxis } from '../../../src/core/models/ncnn/convert-ncnn-model.js';
import {
  depthToSpace,
  pixelShuffleToDepthToSpace,
  SrvggNetCompact,
  srvggNetCompactSpecs,
  type SrvggConfig,
} from '../../../src/core/models/srvgg-net-compact.js';

const TINY: SrvggConfig = { numInCh: 3, numOutCh: 3, numFeat: 4, numConv: 2, upscale: 2 };

/** PyTorch's pixel_shuffle on NHWC: channel c*r*r + dy*r + dx goes to pixel (y*r+dy, x*r+dx), channel c. */
function torchPixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, crr] = x.shape;
  const c = crr / (r * r);
  return x
    .reshape([n, h, w, c, r, r])
    .transpose([0, 1, 4, 2, 5, 3])
    .reshape([n, h * r, w * r, c]) as tf.Tensor4D;
}

test('pixelShuffleToDepthToSpace reorders channels so depthToSpace equals PyTorch pixel_shuffle', async () => {
  await tf.setBackend('cpu');
  const r = 3;
  const x = tf.randomNormal([1, 2, 3, 2 * r * r], 0, 1, 'float32', 7) as tf.Tensor4D;
  const perm = pixelShuffleToDepthToSpace(2, r);
  assert.deepEqual(
    [...perm].sort((a, b) => a - b),
    Array.from({ length: 18 }, (_, i) => i),
  );
  const ours = tf.depthToSpace(tf.gather(x, perm, 3), r);
  const mine = depthToSpace(tf.gather(x, perm, 3), r);
  assert.equal(
    tf.tidy(() => tf.max(tf.abs(tf.sub(ours, mine))).dataSync()[0]),
    0,
    'reshape/transpose form equals the kernel',
  );
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ours, torchPixelShuffle(x, r)))).dataSync()[0]);
  assert.equal(diff, 0);
  tf.dispose([x, ours, mine]);
});

test('SrvggNetCompact: specs in forward order, forward matches plain ops, differentiable, no leaks', async () => {
  await tf.setBackend('cpu');
  const specs = srvggNetCompactSpecs(TINY);
  assert.deepEqual(
    specs.map((s) => s.name),
    [
      'head.conv/kernel',
      'head.conv/bias',
      'head.prelu/alpha',
      'body.0.conv/kernel',
      'body.0.conv/bias',
      'body.0.prelu/alpha',
      'body.1.conv/kernel',
      'body.1.conv/bias',
      'body.1.prelu/alpha',
      'tail.conv/kernel',
      'tail.conv/bias',
    ],
  );
  assert.deepEqual(specs.at(-2)?.shape, [3, 3, 4, 12]);
  const torchOrder = specs.map((s, i) => tf.randomNormal([...s.shape], 0, 0.3, 'float32', i + 1));
  // What a converter stores: the tail reordered for depthToSpace.
  const perm = pixelShuffleToDepthToSpace(3, 2);
  const stored = torchOrder.map((t, i) =>
    specs[i].name.startsWith('tail.')
      ? tf.tensor(permuteLastAxis(t.dataSync() as Float32Array, perm), t.shape)
      : t,
  );
  const before = tf.memory().numTensors;
  const model = new SrvggNetCompact('tiny-srvgg', TINY, stored);
  assert.equal(model.scale, 2);
  assert.equal(model.params.length, specs.length);
  assert.ok(model.params.every((p) => p.variable.trainable));

  const x = tf.randomUniform([1, 5, 7, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const afterSetup = tf.memory().numTensors;
  const y = model.predict(x);
  assert.deepEqual(y.shape, [1, 10, 14, 3]);
  // Reference built from unfused ops with PyTorch's channel order.
  const expected = tf.tidy(() => {
    const [k0, b0, a0] = torchOrder;
    let h = tf.prelu(tf.add(tf.conv2d(x, k0 as tf.Tensor4D, 1, 'same'), b0), a0) as tf.Tensor4D;
    for (let i = 0; i < TINY.numConv; i++) {
      const [k, b, a] = torchOrder.slice(3 + 3 * i, 6 + 3 * i);
      h = tf.prelu(tf.add(tf.conv2d(h, k as tf.Tensor4D, 1, 'same'), b), a) as tf.Tensor4D;
    }
    const [kt, bt] = torchOrder.slice(-2);
    const tail = tf.add(tf.conv2d(h, kt as tf.Tensor4D, 1, 'same'), bt) as tf.Tensor4D;
    return tf.add(torchPixelShuffle(tail, 2), tf.image.resizeNearestNeighbor(x, [10, 14]));
  });
  const maxDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]);
  assert.ok(maxDiff < 1e-5, `max |ours - reference| = ${maxDiff}`);
  tf.dispose([y, expected]);
  assert.equal(tf.memory().numTensors, afterSetup, 'predict leaks no tensors');

  const { value, grads } = tf.variableGrads(() => tf.mean(model.predict(x)) as tf.Scalar);
  for (const p of model.params) {
    const g = grads[p.variable.name];
    assert.ok(g, `gradient for ${p.name}`);
    assert.ok(tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]) > 0, `non-zero gradient for ${p.name}`);
  }
  tf.dispose([value, ...Object.values(grads)]);

  x.dispose();
  model.dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, before, 'dispose frees every variable');
  assert.throws(() => model.predict(x), DisposedError);
  tf.dispose([...torchOrder, ...stored]);
});

test('SrvggNetCompact rejects weights of the wrong shape and inputs of the wrong channel count', async () => {
  await tf.setBackend('cpu');
  const specs = srvggNetCompactSpecs(TINY);
  const tensors = specs.map((s) => tf.zeros([...s.shape]));
  const baseline = tf.memory().numTensors;
  const wrong = [...tensors];
  wrong[3] = tf.zeros([3, 3, 4, 5]);
  assert.throws(
    () => new SrvggNetCompact('bad', TINY, wrong),
    /body\.0\.conv\/kernel has shape \[3,3,4,5\]; expected \[3,3,4,4\]/,
  );
  assert.throws(
    () => new SrvggNetCompact('bad', TINY, tensors.slice(1)),
    /got 10 weight tensors; the architecture needs 11/,
  );
  assert.equal(tf.memory().numTensors, baseline + 1, 'a rejected model creates no variables');
  const model = new SrvggNetCompact('ok', TINY, tensors);
  const x = tf.zeros([1, 4, 4, 4]) as tf.Tensor4D;
  assert.throws(() => model.predict(x), /needs NHWC with 3 channels/);
  model.dispose();
  tf.dispose([...tensors, wrong[3], x]);
});
