import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { ModelLoadError, DisposedError } from '../../../src/core/errors.js';
import {
  createStage1Networks,
  loadStage1,
  serializeStage1,
  type Stage1Networks,
} from '../../../src/core/stage1/stage1-networks.js';
import { createLrReconstruction } from '../../../src/core/adapt/lr-reconstruction.js';
import {
  DEFAULT_DEGRADATION_ENCODER_CONFIG,
  encoderMacsPerPixel,
} from '../../../src/core/stage1/degradation-encoder.js';
import {
  DEFAULT_RECONSTRUCTOR_CONFIG,
  reconstructorMacsPerPixel,
} from '../../../src/core/stage1/reconstructor.js';
import type { FetchBytes } from '../../../src/core/models/model-definition.js';

const small = {
  encoder: { channels: [8, 16, 16, 16], hidden: 16, embeddingDim: 24 },
  reconstructor: { width: 8, depth: 4 },
};
const image = (n: number, h: number, w: number, seed = 0) =>
  tf.tidy(() =>
    tf.clipByValue(tf.add(tf.mul(tf.randomUniform([n, h, w, 3], 0, 1, 'float32', seed), 0.6), 0.2), 0, 1),
  ) as tf.Tensor4D;

function memoryFetch(files: Record<string, ArrayBuffer>): FetchBytes {
  return async (path) => {
    if (!(path in files)) throw new Error(`404 ${path}`);
    return files[path];
  };
}

/** Gives every FiLM map random weights, so the embedding matters (they start at zero). */
function perturbFilm(nets: Stage1Networks): void {
  for (const [name, v] of nets.reconstructor.params.entries()) {
    if (name.startsWith('film')) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 7)));
  }
}

test('E: any input size gives [N, d]; R: HR -> LR at 1/scale for x2, x3, x4', async () => {
  await tf.setBackend('cpu');
  const base = tf.memory().numTensors;
  for (const scale of [2, 3, 4]) {
    const nets = createStage1Networks(scale, small);
    for (const [h, w] of [
      [32, 32],
      [40, 56],
    ]) {
      const lr = image(2, h, w);
      const hr = image(2, h * scale, w * scale, 1);
      const e = nets.encoder.encode(lr);
      assert.deepEqual(e.shape, [2, 24]);
      const out = nets.reconstructor.reconstruct(hr, e);
      assert.deepEqual(out.shape, [2, h, w, 3]);
      // at initialisation R is close to the area downscale (the residual branch starts small) but not equal
      const area = tf.avgPool(hr, scale, scale, 'valid');
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(out, area))).dataSync()[0]);
      assert.ok(diff > 0 && diff < 0.2, `x${scale}: |R - area| = ${diff}`);
      tf.dispose([lr, hr, e, out, area]);
    }
    const odd = tf.zeros([1, 11, 11, 3]) as tf.Tensor4D;
    const e1 = tf.zeros([1, 24]) as tf.Tensor2D;
    assert.throws(() => nets.reconstructor.reconstruct(odd, e1), /multiples of/);
    tf.dispose([odd, e1]);
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    nets.encoder.dispose();
  }
  assert.equal(tf.memory().numTensors, base);
});

test('R depends on the embedding through FiLM', async () => {
  await tf.setBackend('cpu');
  const nets = createStage1Networks(2, small);
  perturbFilm(nets);
  const hr = image(1, 32, 32);
  const a = nets.reconstructor.reconstruct(hr, tf.randomNormal([1, 24], 0, 1, 'float32', 1) as tf.Tensor2D);
  const b = nets.reconstructor.reconstruct(hr, tf.randomNormal([1, 24], 0, 1, 'float32', 2) as tf.Tensor2D);
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]) > 1e-3);
  tf.dispose([hr, a, b]);
  nets.encoder.dispose();
  nets.reconstructor.dispose();
});

test('serialise -> load through fetchBytes gives the same outputs; broken files give ModelLoadError', async () => {
  await tf.setBackend('cpu');
  const base = tf.memory().numTensors;
  const nets = createStage1Networks(3, small);
  perturbFilm(nets);
  const { manifest, weightData } = await serializeStage1(nets);
  const files = {
    'weights.json': new TextEncoder().encode(JSON.stringify(manifest)).buffer as ArrayBuffer,
    'weights.bin': weightData,
  };
  const loaded = await loadStage1(memoryFetch(files));
  assert.equal(loaded.manifest.scale, 3);
  assert.deepEqual(loaded.reconstructor.config, nets.reconstructor.config);
  const lr = image(1, 32, 32);
  const hr = image(1, 96, 96, 3);
  const run = (n: Stage1Networks) => tf.tidy(() => n.reconstructor.reconstruct(hr, n.encoder.encode(lr)));
  const a = run(nets);
  const b = run(loaded);
  assert.deepEqual(await a.data(), await b.data());
  tf.dispose([a, b, lr, hr]);
  for (const n of [nets, loaded]) {
    n.encoder.dispose();
    n.reconstructor.dispose();
  }
  assert.equal(tf.memory().numTensors, base);

  await assert.rejects(loadStage1(memoryFetch({})), ModelLoadError);
  const truncated = {
    ...manifest,
    weightsManifest: [{ paths: ['weights.bin'], weights: manifest.weightsManifest[0].weights.slice(1) }],
  };
  const bin = weightData.slice(manifest.weightsManifest[0].weights[0].shape.reduce((x, y) => x * y, 4));
  await assert.rejects(
    loadStage1(
      memoryFetch({
        'weights.json': new TextEncoder().encode(JSON.stringify(truncated)).buffer as ArrayBuffer,
        'weights.bin': bin,
      }),
    ),
    /E\/conv0\/kernel is missing/,
  );
  // A short weights.bin: a readable error and no tensors left behind.
  for (const cut of [3, 100, weightData.byteLength]) {
    await assert.rejects(
      loadStage1(memoryFetch({ ...files, 'weights.bin': weightData.slice(0, weightData.byteLength - cut) })),
      /weights\.bin holds \d+ bytes; weights\.json expects \d+/,
    );
  }
  assert.equal(tf.memory().numTensors, base);
});

test('LR reconstruction operator: reconstruct(y) = R(y, E(x)), differentiable in y, idempotent dispose', async () => {
  await tf.setBackend('cpu');
  const nets = createStage1Networks(2, small);
  perturbFilm(nets);
  const base = tf.memory().numTensors;
  const lr = image(1, 32, 32);
  const sr = image(1, 64, 64, 5);
  const op = createLrReconstruction(nets, lr);
  assert.equal(op.scale, 2);
  const direct = tf.tidy(() => nets.reconstructor.reconstruct(sr, nets.encoder.encode(lr)));
  const viaOp = op.reconstruct(sr);
  assert.deepEqual(await viaOp.data(), await direct.data());
  const g = tf.grad((y: tf.Tensor) => tf.mean(tf.abs(tf.sub(op.reconstruct(y as tf.Tensor4D), lr))))(sr);
  assert.deepEqual(g.shape, sr.shape);
  const gd = Array.from(await g.data());
  assert.ok(gd.every(Number.isFinite) && gd.some((v) => v !== 0));
  tf.dispose([direct, viaOp, g, lr, sr]);
  op.dispose();
  op.dispose();
  assert.throws(() => op.reconstruct(sr), DisposedError);
  assert.equal(tf.memory().numTensors, base);
  nets.encoder.dispose();
  nets.reconstructor.dispose();
});

test('default E and R sizes: FLOPs per LR pixel as documented', () => {
  // E: 3*32*9 + 32*64*9/4 + 64*128*9/16 + 128*256*9/64 MACs per LR pixel
  assert.equal(encoderMacsPerPixel(DEFAULT_DEGRADATION_ENCODER_CONFIG), 864 + 4608 + 4608 + 4608);
  // R at x4: 4*4*3*32 (entry) + 3 * 9*32*32 (body) + 9*32*3 (out)
  assert.equal(reconstructorMacsPerPixel(DEFAULT_RECONSTRUCTOR_CONFIG), 1536 + 27648 + 864);
  const nets = createStage1Networks(4);
  assert.equal(nets.encoder.config.embeddingDim, 512);
  const rParams = nets.reconstructor.params.count();
  const eParams = nets.encoder.params.count();
  assert.ok(rParams > 30000 && rParams < 200000, `R params ${rParams}`);
  assert.ok(eParams > 300000 && eParams < 800000, `E params ${eParams}`);
  nets.encoder.dispose();
  nets.reconstructor.dispose();
});
