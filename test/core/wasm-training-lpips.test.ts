// The LPIPS losses (AlexNet and SqueezeNet, the weights shipped in models/lpips) differentiate on wasm as on
// cpu: gradients of the distance with respect to the image, batch 2, 32x40 (the smallest size LPIPS takes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { createLpips, loadLpipsWeights, LPIPS_NETS, type LpipsNet } from '../../src/core/lpips/index.js';
import { lpipsFetchBytes } from '../../src/node/lpips-weights.js';
import { relativeError, seeded } from './kernels/grad-compare.js';

const SHAPE: [number, number, number, number] = [2, 32, 40, 3];

async function lpipsGrad(backend: 'cpu' | 'wasm', net: LpipsNet): Promise<Float32Array> {
  await selectBackend(backend);
  const before = tf.memory().numTensors;
  const lpips = createLpips(net, await loadLpipsWeights(net, lpipsFetchBytes()));
  try {
    return tf.tidy(() => {
      const size = tf.util.sizeFromShape(SHAPE);
      const a = tf.tidy(() => tf.tensor4d(seeded(size, 61), SHAPE).add(1).div(2) as tf.Tensor4D);
      const b = tf.tidy(() => tf.tensor4d(seeded(size, 62), SHAPE).add(1).div(2) as tf.Tensor4D);
      return tf
        .grad((x: tf.Tensor) => tf.sum(lpips.distance(x as tf.Tensor4D, b)))(a)
        .dataSync() as Float32Array;
    });
  } finally {
    lpips.dispose();
    assert.equal(tf.memory().numTensors, before, `${backend} leaked tensors`);
  }
}

for (const net of LPIPS_NETS) {
  test(`LPIPS ${net}: gradient wrt the image on wasm equals cpu`, async () => {
    const wasm = await lpipsGrad('wasm', net);
    const cpu = await lpipsGrad('cpu', net);
    const err = relativeError(wasm, cpu);
    assert.ok(err < 1e-4, `relative error ${err}`);
    assert.ok(
      cpu.some((v) => v !== 0),
      'the gradient is not trivially zero',
    );
  });
}
