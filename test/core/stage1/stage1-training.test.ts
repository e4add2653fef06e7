import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import {
  createStage1Networks,
  loadStage1,
  type Stage1Artifacts,
} from '../../../src/core/stage1/stage1-networks.js';
import { Stage1Trainer, type Stage1TrainingOptions } from '../../../src/core/stage1/stage1-training.js';
import type { Rng } from '../../../src/core/degrade/prng.js';
import type { Pixels } from '../../../src/core/pixels.js';
import { createLpips, loadLpipsWeights } from '../../../src/core/lpips/index.js';
import { DEFAULT_LPIPS_DIR, lpipsFetchBytes } from '../../../src/node/lpips-weights.js';

const tiny = {
  encoder: { channels: [4, 8], hidden: 8, embeddingDim: 8 },
  reconstructor: { width: 8, depth: 3 },
};

/** A 96x96 synthetic "photo"; crops are drawn at rng-chosen offsets, like the real sampler. */
const SOURCE: Pixels = (() => {
  const w = 96;
  const data = new Uint8Array(w * w * 3);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * w + x) * 3 + c] = Math.round(
          127 + 90 * Math.sin(x * (0.2 + 0.1 * c)) * Math.cos(y * 0.17) + 30 * Math.sin((x + y) * 0.9),
        );
      }
    }
  }
  return { data, width: w, height: w, channels: 3 };
})();

function cropAt(x0: number, y0: number, size: number): Pixels {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    data.set(SOURCE.data.subarray(((y0 + y) * 96 + x0) * 3, ((y0 + y) * 96 + x0 + size) * 3), y * size * 3);
  }
  return { data, width: size, height: size, channels: 3 };
}
const randomCrop = (rng: Rng, size: number) => cropAt(rng.int(0, 96 - size), rng.int(0, 96 - size), size);

const options = (over: Partial<Stage1TrainingOptions>): Stage1TrainingOptions => ({
  steps: 6,
  batch: 2,
  crop: 32,
  learningRate: 3e-3,
  lpipsWeight: 0,
  presetMix: { realesrgan: 1, bicubic: 1 },
  seed: 11,
  sampleCrop: randomCrop,
  ...over,
});

async function weightsOf(nets: ReturnType<typeof createStage1Networks>): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const store of [nets.encoder.params, nets.reconstructor.params]) {
    for (const [, v] of store.entries()) out.push((await v.data()) as Float32Array);
  }
  return out;
}

const dispose = (nets: ReturnType<typeof createStage1Networks>) => {
  nets.encoder.dispose();
  nets.reconstructor.dispose();
};

test('stage-1 training: the loss decreases on a fixed batch (cpu, tiny nets)', async () => {
  await tf.setBackend('cpu');
  const base = tf.memory().numTensors;
  const nets = createStage1Networks(2, tiny);
  const losses: number[] = [];
  const trainer = new Stage1Trainer(
    nets,
    options({
      steps: 25,
      learningRate: 1e-2,
      presetMix: { 'blur-sigma2': 1 },
      sampleCrop: () => cropAt(10, 20, 32),
      onStep: (s) => losses.push(s.loss),
    }),
  );
  await trainer.run();
  assert.equal(losses.length, 25);
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const first = mean(losses.slice(0, 5));
  const last = mean(losses.slice(-5));
  assert.ok(last < 0.6 * first, `L1 should fall on a fixed batch: ${first.toFixed(4)} -> ${last.toFixed(4)}`);
  trainer.dispose();
  dispose(nets);
  assert.equal(tf.memory().numTensors, base);
});

test('stage-1 training: resuming from a checkpoint continues from its step and matches an uninterrupted run', async () => {
  await tf.setBackend('cpu');
  const base = tf.memory().numTensors;
  // uninterrupted: 6 steps
  const straight = createStage1Networks(2, tiny);
  const lossesA: number[] = [];
  const a = new Stage1Trainer(straight, options({ onStep: (s) => lossesA.push(s.loss) }));
  await a.run();

  // interrupted after 3 steps, checkpoint written through onCheckpoint, then resumed in fresh objects
  const first = createStage1Networks(2, tiny);
  let saved: Stage1Artifacts | null = null;
  const b = new Stage1Trainer(first, options({ steps: 3, onCheckpoint: (art) => void (saved = art) }));
  await b.run();
  assert.ok(saved);
  const ckpt = saved as Stage1Artifacts;
  assert.equal((ckpt.manifest.training as { step: number }).step, 3);
  b.dispose();
  dispose(first);

  const files: Record<string, ArrayBuffer> = {
    'checkpoint.json': new TextEncoder().encode(JSON.stringify(ckpt.manifest)).buffer as ArrayBuffer,
    'checkpoint.bin': ckpt.weightData,
  };
  const loaded = await loadStage1(async (p) => files[p], { file: 'checkpoint.json' });
  const lossesB: Array<[number, number]> = [];
  const c = new Stage1Trainer(loaded, options({ onStep: (s) => lossesB.push([s.step, s.loss]) }));
  c.restore(loaded);
  tf.dispose(Object.values(loaded.extra));
  assert.equal(c.step, 3);
  await c.run();
  assert.deepEqual(
    lossesB.map(([s]) => s),
    [4, 5, 6],
  );
  assert.deepEqual(
    lossesB.map(([, l]) => l),
    lossesA.slice(3),
  );
  const wa = await weightsOf(straight);
  const wb = await weightsOf(loaded);
  wa.forEach((w, i) => assert.deepEqual(wb[i], w));
  for (const t of [a, c]) t.dispose();
  dispose(straight);
  dispose(loaded);
  assert.equal(tf.memory().numTensors, base);
});

test('stage-1 training with LPIPS(alex): loss = L1 + w * LPIPS, both finite', async () => {
  await tf.setBackend('cpu');
  const base = tf.memory().numTensors;
  const lpips = createLpips('alex', await loadLpipsWeights('alex', lpipsFetchBytes(DEFAULT_LPIPS_DIR)));
  const nets = createStage1Networks(2, tiny);
  const steps: Array<{ loss: number; l1: number; lpips: number }> = [];
  const t = new Stage1Trainer(
    nets,
    options({ steps: 2, crop: 64, lpips, lpipsWeight: 0.5, onStep: (s) => steps.push(s) }),
  );
  await t.run();
  for (const s of steps) {
    assert.ok(Number.isFinite(s.lpips) && s.lpips > 0);
    assert.ok(Math.abs(s.loss - (s.l1 + 0.5 * s.lpips)) < 1e-5);
  }
  t.dispose();
  dispose(nets);
  lpips.dispose();
  assert.equal(tf.memory().numTensors, base);
});
