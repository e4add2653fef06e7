import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { adapt } from '../../../src/core/adapt/adapt.js';
import { toneMatchTensor } from '../../../src/core/adapt/tone-match-tensor.js';
import { createKnownDegradationOperator } from '../../../src/core/adapt/known-degradation-operator.js';
import { applyToneMatch, fitToneMatch } from '../../../src/core/correct/tone-match.js';
import { resize, type FloatImage } from '../../../src/core/degrade/index.js';
import { pixelsToTensor } from '../../../src/core/image/pixels-to-tensor.js';
import { adaptTestImage, createAdaptTinyModel } from './adapt-tiny-model.js';

before(async () => {
  await tf.setBackend('cpu');
});

const image = adaptTestImage;

/** NHWC [1, H, W, 3] -> planar FloatImage. */
function planar(t: tf.Tensor4D): FloatImage {
  const [, h, w] = t.shape;
  const hwc = t.dataSync();
  const data = new Float32Array(h * w * 3);
  for (let i = 0; i < h * w; i++) for (let c = 0; c < 3; c++) data[c * h * w + i] = hwc[i * 3 + c];
  return { data, width: w, height: h };
}

test('toneMatchTensor applies the same per-channel fit as core/correct fitToneMatch', () => {
  const lr = pixelsToTensor(image(8, 8));
  const sr = tf.tidy(() =>
    tf.image
      .resizeBilinear(lr, [32, 32])
      .mul(tf.tensor1d([1.3, 0.7, 1.1]))
      .add(0.05),
  ) as tf.Tensor4D;
  const out = toneMatchTensor(sr, lr, 4);
  const srPlanar = planar(sr);
  const expected = applyToneMatch(srPlanar, fitToneMatch(planar(lr), resize(srPlanar, 8, 8, 'area')));
  const got = planar(out);
  let maxDiff = 0;
  for (let i = 0; i < got.data.length; i++)
    maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - expected.data[i]));
  // The tensor fit adds a 1e-6 variance floor (a flat crop must stay finite); the closed form does not.
  assert.ok(maxDiff < 1e-3, `max difference ${maxDiff}`);
  tf.dispose([lr, sr, out]);
});

test('the anchor keeps the adapted output closer to the unadapted one, and costs no leaked tensors', async () => {
  const model = createAdaptTinyModel();
  const x = pixelsToTensor(image());
  const y0 = model.predict(x);
  // A differentiable stand-in for LPIPS: mean squared difference per batch.
  const mse = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar => a.sub(b).square().mean() as tf.Scalar;
  const deviation = async (anchorWeight: number): Promise<number> => {
    const start = tf.memory().numTensors;
    const operator = createKnownDegradationOperator({ scale: 2, blurSigma: 1 });
    const adapted = await adapt(model, image(), {
      operator,
      cropSize: 16, // x2 = 32 px at HR, the smallest side the anchor's LPIPS is given
      cropsPerStep: 1,
      maxNoiseSigma: Infinity,
      holdoutFraction: 0,
      steps: 15,
      learningRate: 3e-3,
      lpips: mse,
      anchorWeight,
    });
    const y = adapted.predict(x);
    const d = tf.tidy(() => y.sub(y0).abs().mean().dataSync()[0]);
    y.dispose();
    adapted.dispose();
    operator.dispose(); // it builds its kernels lazily, during adapt
    assert.equal(tf.memory().numTensors, start, `tensors leaked by adapt (anchor ${anchorWeight})`);
    return d;
  };
  const free = await deviation(0);
  const anchored = await deviation(200);
  assert.ok(free > 0, 'adaptation changed nothing');
  assert.ok(anchored < 0.5 * free, `deviation without anchor ${free}, with ${anchored}`);
  tf.dispose([x, y0]);
  model.dispose();
});
