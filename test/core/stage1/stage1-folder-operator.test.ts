import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../../src/core/tf.js';
import {
  createStage1Networks,
  serializeStage1,
  type Stage1Networks,
} from '../../../src/core/stage1/stage1-networks.js';
import { adapt, loadOperatorSource } from '../../../src/core/adapt/index.js';
import { pixelsToTensor } from '../../../src/core/image/pixels-to-tensor.js';
import { exportStage1Checkpoint, loadStage1Folder } from '../../../src/node/stage1-folder.js';
import { nodeOperatorOptions, type NodeOperatorOptions } from '../../../src/node/node-adapt-session.js';
import { runCli } from '../../../src/cli/main.js';
import type { Pixels } from '../../../src/core/pixels.js';
import { createAdaptTinyModel } from '../adapt/adapt-tiny-model.js';

const tiny = (seed = 7) =>
  createStage1Networks(2, {
    encoder: { channels: [4, 8], hidden: 8, embeddingDim: 8 },
    reconstructor: { width: 8, depth: 2 },
    seed,
  });

const image = (w: number, h: number, k = 0): Pixels => ({
  width: w,
  height: h,
  channels: 3,
  data: Uint8Array.from({ length: w * h * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    return (
      ((p % w > w / 2 ? 180 : 40) + (((p % w) * 13 + Math.floor(p / w) * 7 + (i % 3) * 29 + k * 17) % 50)) &
      255
    );
  }),
});

async function save(dir: string, name: string, nets: Stage1Networks, extra?: Record<string, tf.Tensor>) {
  const art = await serializeStage1(nets, {
    binName: `${name}.bin`,
    extra,
    training: { step: 7, seed: 1 },
  });
  await writeFile(join(dir, `${name}.json`), JSON.stringify(art.manifest));
  await writeFile(join(dir, `${name}.bin`), new Uint8Array(art.weightData));
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = d.dataSync()[0];
  d.dispose();
  return v;
};

const values = (n: Stage1Networks) =>
  [...n.encoder.params.entries(), ...n.reconstructor.params.entries()].map(([k, v]) => [
    k,
    [...v.dataSync()],
  ]);

test('a checkpoint exports to weights.json (CLI --export too); loadStage1Folder prefers weights, falls back to checkpoint', async () => {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'lway-export-'));
  const nets = tiny();
  try {
    const moment = tf.ones([3]);
    await save(dir, 'checkpoint', nets, { 'adam/m/x': moment });
    moment.dispose();
    const before = tf.memory().numTensors;
    const fromCkpt = await loadStage1Folder(dir);
    assert.deepEqual(Object.keys(fromCkpt.extra), [], 'Adam moments are dropped');
    assert.deepEqual(values(fromCkpt), values(nets));
    fromCkpt.encoder.dispose();
    fromCkpt.reconstructor.dispose();

    assert.equal(await exportStage1Checkpoint(dir), 7);
    const manifest = JSON.parse(await readFile(join(dir, 'weights.json'), 'utf8'));
    assert.equal(manifest.weightsManifest[0].paths[0], 'weights.bin');
    assert.ok(
      manifest.weightsManifest[0].weights.every((w: { name: string }) => /^[ER]\//.test(w.name)),
      'no optimizer state in the exported model',
    );
    assert.equal(manifest.training.step, 7);
    const fromWeights = await loadStage1Folder(dir);
    assert.deepEqual(values(fromWeights), values(nets));
    fromWeights.encoder.dispose();
    fromWeights.reconstructor.dispose();
    assert.equal(tf.memory().numTensors, before);

    await rm(join(dir, 'weights.json'));
    assert.equal(await runCli(['train-degradation', '--export', '--out', dir]), 0);
    assert.ok(existsSync(join(dir, 'weights.json')) && existsSync(join(dir, 'weights.bin')));
    assert.equal(
      await runCli(['train-degradation', '--out', dir]),
      1,
      '--steps is required without --export',
    );
    await assert.rejects(loadStage1Folder(join(dir, 'nowhere')), /neither weights.json nor checkpoint.json/);
  } finally {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test('--operator: r uses R(y, E(x)) from the stage-1 folder; auto falls back to known with a notice; r without weights throws', async () => {
  await tf.setBackend('cpu');
  const nodeOperatorSource = (o: NodeOperatorOptions & { scale: number }) =>
    loadOperatorSource(nodeOperatorOptions(o), o.scale);
  const dir = await mkdtemp(join(tmpdir(), 'lway-op-'));
  const empty = await mkdtemp(join(tmpdir(), 'lway-op-empty-'));
  const nets = tiny(11);
  try {
    // FiLM maps get larger weights so the embedding visibly matters
    for (const [name, v] of nets.reconstructor.params.entries())
      if (name.includes('film')) v.assign(tf.tidy(() => tf.randomNormal(v.shape, 0, 0.5, 'float32', 3)));
    await save(dir, 'weights', nets);

    const known = await nodeOperatorSource({ choice: 'auto', scale: 2, stage1Dir: empty });
    assert.equal(known.kind, 'known');
    assert.match(known.notice?.message ?? '', /stage-1 R\) for x2 could not be used: .*weights\.json/);
    known.dispose();
    const explicitKnown = await nodeOperatorSource({ choice: 'known', scale: 2, stage1Dir: dir });
    assert.equal(explicitKnown.kind, 'known');
    assert.equal(explicitKnown.notice, undefined);
    await assert.rejects(
      nodeOperatorSource({ choice: 'r', scale: 2, stage1Dir: empty }),
      /operator r needs the trained stage-1 R for x2 in .*lway-op-empty-.*: /,
    );
    await assert.rejects(
      nodeOperatorSource({ choice: 'r', scale: 4, stage1Dir: dir }),
      /its weights are for x2/,
    );

    // created before the baseline: the helper's tf.variable(tf.tensor(...)) leaves its init tensors behind
    const model = createAdaptTinyModel();
    const before = tf.memory().numTensors;
    const source = await nodeOperatorSource({ scale: 2, stage1Dir: dir });
    assert.equal(source.kind, 'r');
    const lr = image(32, 32);
    const other = image(32, 32, 3);
    const sr = tf.tidy(() => tf.image.resizeBilinear(pixelsToTensor(lr), [64, 64]) as tf.Tensor4D);
    const op = (await source.prepare(lr, false)).operator;
    const got = op.reconstruct(sr);
    const want = tf.tidy(() => {
      const x = pixelsToTensor(lr);
      return nets.reconstructor.reconstruct(sr, nets.encoder.encode(x));
    });
    assert.deepEqual(got.shape, [1, 32, 32, 3]);
    assert.ok(maxDiff(got, want) < 1e-5, 'R(y, E(x)) of the saved nets');
    // the collective operator uses the mean embedding, which differs from either image's own
    const both = (await source.prepare([lr, other], false)).operator;
    const mixed = both.reconstruct(sr);
    assert.ok(maxDiff(mixed, got) > 1e-6);
    tf.dispose([got, want, mixed]);
    both.dispose();
    op.dispose();

    // stage 2 end to end with R: a tiny x2 model adapts for a few steps
    const modelTensors = tf.memory().numTensors;
    const adaptOp = (await source.prepare(lr, false)).operator;
    const adapted = await adapt(model, lr, {
      operator: adaptOp,
      steps: 3,
      cropSize: 8,
      cropsPerStep: 2,
      residualSigma: 0,
      maxNoiseSigma: Infinity,
      maxDeviation: Infinity,
      evalEvery: 1,
    });
    assert.equal(adapted.report.stepsRun, 3);
    assert.ok(
      Number.isFinite(adapted.report.initialHeldOutLoss) && Number.isFinite(adapted.report.bestHeldOutLoss),
    );
    adapted.dispose();
    adaptOp.dispose();
    assert.equal(tf.memory().numTensors, modelTensors);
    sr.dispose();
    source.dispose();
    source.dispose();
    await assert.rejects(source.prepare(lr), /after dispose/);
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  } finally {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    await rm(dir, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  }
});
