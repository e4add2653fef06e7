import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { DisposedError } from '../../../src/core/errors.js';
import {
  RrdbNet,
  rrdbNetSpecs,
  REALESRGAN_X4PLUS_CONFIG,
  type RrdbConfig,
} from '../../../src/core/models/rrdb-net.js';
import { countParams } from '../../../src/core/models/weight-spec.js';

const TINY: RrdbConfig = { numInCh: 3, numOutCh: 3, numFeat: 4, numBlock: 2, numGrowCh: 2 };

test('rrdbNetSpecs: forward-order names and the dense-block channel growth', () => {
  const specs = rrdbNetSpecs(TINY);
  assert.equal(specs.length, 2 * (1 + TINY.numBlock * 15 + 5));
  assert.equal(specs[0].name, 'conv_first/kernel');
  assert.equal(specs[2].name, 'rrdb.0.rdb1.conv1/kernel');
  const conv5 = specs.find((s) => s.name === 'rrdb.1.rdb3.conv5/kernel');
  assert.deepEqual(conv5?.shape, [3, 3, 4 + 4 * 2, 4]);
  assert.deepEqual(
    specs.slice(-10).map((s) => s.name.split('/')[0]),
    [
      'conv_body',
      'conv_body',
      'conv_up1',
      'conv_up1',
      'conv_up2',
      'conv_up2',
      'conv_hr',
      'conv_hr',
      'conv_last',
      'conv_last',
    ],
  );
  // Published parameter count of RealESRGAN_x4plus (RRDBNet, 23 blocks, 64 features, growth 32).
  assert.equal(countParams(rrdbNetSpecs(REALESRGAN_X4PLUS_CONFIG)), 16_697_987);
});

test('RrdbNet (tiny): x4 output, forward-order params, differentiable, no leaks', async () => {
  await tf.setBackend('cpu');
  const specs = rrdbNetSpecs(TINY);
  const before = tf.memory().numTensors;
  const tensors = specs.map((s, i) => tf.randomNormal([...s.shape], 0, 0.2, 'float32', i + 11));
  const model = new RrdbNet('tiny-rrdb', TINY, tensors);
  tf.dispose(tensors);
  assert.equal(model.scale, 4);
  assert.deepEqual(
    model.params.map((p) => p.name),
    specs.map((s) => s.name),
  );
  const x = tf.randomUniform([1, 3, 5, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  const mid = tf.memory().numTensors;
  const y = model.predict(x);
  assert.deepEqual(y.shape, [1, 12, 20, 3]);
  y.dispose();
  assert.equal(tf.memory().numTensors, mid, 'predict leaks no tensors');

  const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.predict(x))) as tf.Scalar);
  for (const p of model.params) {
    const g = grads[p.variable.name];
    assert.ok(g && tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]) > 0, `non-zero gradient for ${p.name}`);
  }
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
  model.dispose();
  assert.throws(() => model.predict(x), DisposedError);
  x.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('RrdbNet (tiny): with zeroed dense convs each RRDB scales by 1.2, matching plain ops', async () => {
  await tf.setBackend('cpu');
  const specs = rrdbNetSpecs(TINY);
  // Zero every dense conv: each RDB returns its input x, so each RRDB returns 0.2*x + x = 1.2x.
  const tensors = specs.map((s, i) =>
    s.name.startsWith('rrdb.')
      ? tf.zeros([...s.shape])
      : tf.randomNormal([...s.shape], 0, 0.2, 'float32', i + 21),
  );
  const model = new RrdbNet('tiny-rrdb-id', TINY, tensors);
  const byName = new Map(specs.map((s, i) => [s.name, tensors[i]]));
  const x = tf.randomUniform([1, 4, 3, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
  const maxDiff = tf.tidy(() => {
    const conv = (h: tf.Tensor4D, n: string) =>
      tf.add(
        tf.conv2d(h, byName.get(`${n}/kernel`) as tf.Tensor4D, 1, 'same'),
        byName.get(`${n}/bias`)!,
      ) as tf.Tensor4D;
    const lrelu = (h: tf.Tensor4D) => tf.leakyRelu(h, 0.2);
    const up = (h: tf.Tensor4D) => tf.image.resizeNearestNeighbor(h, [h.shape[1] * 2, h.shape[2] * 2]);
    const feat = conv(x, 'conv_first');
    const trunk = tf.mul(feat, 1.2 ** TINY.numBlock) as tf.Tensor4D;
    let h = tf.add(feat, conv(trunk, 'conv_body')) as tf.Tensor4D;
    h = lrelu(conv(up(h), 'conv_up1'));
    h = lrelu(conv(up(h), 'conv_up2'));
    const expected = conv(lrelu(conv(h, 'conv_hr')), 'conv_last');
    return tf.max(tf.abs(tf.sub(model.predict(x), expected))).dataSync()[0];
  });
  assert.ok(maxDiff < 1e-5, `max |ours - reference| = ${maxDiff}`);
  model.dispose();
  tf.dispose([...tensors, x]);
});
