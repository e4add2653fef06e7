import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRng } from '../../../src/core/degrade/prng.js';
import { synthesizeStage1Batch } from '../../../src/core/stage1/stage1-batch.js';
import { createTrainingCropSampler } from '../../../src/node/training-crops.js';
import { workerBatchSourceFactory } from '../../../src/node/worker-batch-source.js';

test('worker batch source yields exactly the in-process batches and RNG states', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lway-batches-'));
  try {
    for (const [name, f] of [
      ['a.png', 0.2],
      ['b.jpg', 0.45],
    ] as const) {
      const w = 72;
      const data = Buffer.alloc(w * w * 3);
      for (let i = 0; i < data.length; i++)
        data[i] = Math.round(127 + 120 * Math.sin(i * f) * Math.cos(i * 0.013));
      await sharp(data, { raw: { width: w, height: w, channels: 3 } }).toFile(join(dir, name));
    }
    const spec = { batch: 2, crop: 32, scale: 2, presetMix: { realesrgan: 1, bicubic: 1 } };
    const rng = createRng(5);
    const start = rng.getState();
    const { sampler } = await createTrainingCropSampler(dir);
    const expected = [];
    for (let i = 0; i < 3; i++) expected.push(await synthesizeStage1Batch(rng, sampler, spec));

    const source = workerBatchSourceFactory(dir, 2)(start, spec);
    try {
      for (let i = 0; i < 3; i++) {
        const got = await source.next();
        assert.deepEqual(got.hr, expected[i].hr, `batch ${i} HR`);
        assert.deepEqual(got.lr, expected[i].lr, `batch ${i} LR`);
        assert.deepEqual([...got.rngState], [...expected[i].rngState]);
      }
    } finally {
      source.dispose();
      source.dispose();
    }
    await assert.rejects(source.next(), /after dispose/);
    // a bad folder surfaces as a rejected next(), not a hang
    const broken = workerBatchSourceFactory(join(dir, 'missing'), 1)(start, spec);
    await assert.rejects(broken.next(), /batch worker/);
    broken.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
