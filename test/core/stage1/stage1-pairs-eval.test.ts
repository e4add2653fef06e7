import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../../src/core/tf.js';
import { evaluateStage1Pairs } from '../../../src/core/stage1/stage1-evaluation.js';
import { floatImageFromPixels, floatImageToPixels } from '../../../src/core/degrade/float-image.js';
import { resize } from '../../../src/core/degrade/resize.js';
import { readEvalPairs, runEvalDegradation } from '../../../src/cli/eval-degradation-command.js';
import { writeImage } from '../../../src/cli/image-io.js';
import type { Pixels } from '../../../src/core/pixels.js';
import { syntheticPhoto, tinyStage1, writeTinyStage1Folder } from './stage1-fixtures.js';

const tiny = () => tinyStage1(5);
const photo = syntheticPhoto;

const areaDown = (p: Pixels, s: number): Pixels =>
  floatImageToPixels(resize(floatImageFromPixels(p), p.width / s, p.height / s, 'area'));

test('real-pairs evaluation: finite PSNRs; the area baseline is exact when LR is the area downscale', async () => {
  await tf.setBackend('cpu');
  const nets = tiny();
  const before = tf.memory().numTensors;
  try {
    const pairs = [0, 1, 2].map((s) => {
      const hr = photo(64, 64, s);
      return { name: `p${s}`, hr, lr: areaDown(hr, 2) };
    });
    const r = await evaluateStage1Pairs(nets, pairs);
    assert.equal(r.images.length, 3);
    for (const im of r.images) {
      for (const k of ['reconstructed', 'bicubic', 'wrongEmbedding'] as const)
        assert.ok(Number.isFinite(im[k]), `${im.name} ${k} = ${im[k]}`);
      // LR *is* HR's area downscale (same code path): identical, so PSNR is Infinity, far above bicubic
      assert.equal(im.area, Infinity);
      assert.ok(im.area > im.bicubic);
    }
    assert.ok(
      Math.abs(r.mean.bicubic - r.images.reduce((a, i) => a + i.bicubic, 0) / 3) < 1e-9,
      'mean is the mean',
    );
    assert.equal(tf.memory().numTensors, before);
    await assert.rejects(
      evaluateStage1Pairs(nets, [pairs[0], { name: 'bad', hr: photo(64, 64, 1), lr: photo(30, 32, 1) }]),
      /HR must be 2x the LR/,
    );
  } finally {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
  }
});

test('readEvalPairs area-downscales LR-aligned crops; eval-degradation --pairs runs on a model folder', async () => {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'lway-pairs-'));
  try {
    await mkdir(join(dir, 'pairs', 'HR'), { recursive: true });
    await mkdir(join(dir, 'pairs', 'LR-aligned'));
    for (const s of [0, 1]) {
      await writeImage(join(dir, 'pairs', 'HR', `${s}.png`), photo(64, 48, s));
      await writeImage(join(dir, 'pairs', 'LR-aligned', `${s}.png`), photo(64, 48, s + 4));
    }
    const pairs = await readEvalPairs(join(dir, 'pairs'), 2);
    assert.deepEqual(
      pairs.map((p) => [p.name, p.hr.width, p.hr.height, p.lr.width, p.lr.height]),
      [
        ['0.png', 64, 48, 32, 24],
        ['1.png', 64, 48, 32, 24],
      ],
    );
    assert.deepEqual(pairs[0].lr.data, areaDown(photo(64, 48, 4), 2).data);

    await writeTinyStage1Folder(dir, 5);
    const before = tf.memory().numTensors;
    const r = await runEvalDegradation({
      model: dir,
      data: join(dir, 'unused'),
      pairs: join(dir, 'pairs'),
      backend: 'cpu',
      quiet: true,
    });
    assert.equal(r.mode, 'pairs');
    assert.equal(r.images.length, 2);
    assert.ok(Number.isFinite(r.mean.reconstructed) && Number.isFinite(r.mean.wrongEmbedding));
    assert.equal(tf.memory().numTensors, before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
