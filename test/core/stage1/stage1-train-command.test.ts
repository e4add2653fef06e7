import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { tf } from '../../../src/core/tf.js';
import {
  parsePresetMix,
  runTrainDegradation,
  type TrainDegradationOptions,
} from '../../../src/cli/train-degradation-command.js';
import { runEvalDegradation } from '../../../src/cli/eval-degradation-command.js';

async function writePhoto(path: string, seed: number): Promise<void> {
  const w = 80;
  const data = Buffer.alloc(w * w * 3);
  for (let i = 0; i < data.length; i++) {
    const p = Math.floor(i / 3);
    data[i] = Math.round(
      127 + 100 * Math.sin((p % w) * (0.15 + seed * 0.05) + (i % 3)) * Math.cos(Math.floor(p / w) * 0.2),
    );
  }
  await sharp(data, { raw: { width: w, height: w, channels: 3 } })
    .png()
    .toFile(path);
}

test('train-degradation writes model, checkpoint, CSV and plot; --resume continues; eval-degradation scores it', async () => {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'lway-stage1-'));
  try {
    const data = join(dir, 'data');
    await mkdir(data);
    await writePhoto(join(data, 'a.png'), 1);
    await writePhoto(join(data, 'b.png'), 2);
    const out = join(dir, 'out');
    const base: TrainDegradationOptions = {
      data,
      out,
      scale: 2,
      steps: 2,
      batch: 1,
      crop: 32,
      backend: 'cpu',
      lpipsWeight: 0,
      checkpointEvery: 1,
      encoderChannels: [4, 8],
      encoderHidden: 8,
      embeddingDim: 8,
      width: 8,
      depth: 3,
      quiet: true,
    };
    const before = tf.memory().numTensors;
    const first = await runTrainDegradation(base);
    assert.equal(first.startStep, 0);
    assert.equal(first.step, 2);
    for (const f of [
      'weights.json',
      'weights.bin',
      'checkpoint.json',
      'checkpoint.bin',
      'loss.csv',
      'loss.png',
    ]) {
      assert.ok(existsSync(join(out, f)), `${f} written`);
    }
    const png = await sharp(join(out, 'loss.png')).metadata();
    assert.equal(png.format, 'png');
    const resumed = await runTrainDegradation({ ...base, steps: 3, resume: true });
    assert.equal(resumed.startStep, 2);
    assert.equal(resumed.step, 3);
    const csv = (await readFile(join(out, 'loss.csv'), 'utf8')).trim().split('\n');
    assert.equal(csv[0], 'step,loss,l1,lpips,seconds');
    assert.deepEqual(
      csv.slice(1).map((l) => Number(l.split(',')[0])),
      [1, 2, 3],
    );
    const model = JSON.parse(await readFile(join(out, 'weights.json'), 'utf8'));
    assert.equal(model.format, 'lway-stage1');
    assert.ok(!model.weightsManifest[0].weights.some((w: { name: string }) => w.name.startsWith('adam/')));

    // --init: fine-tuning starts from those weights (lr 0 leaves them as they were) with a new mix, at step 0;
    // the mix is recorded, and a resume without --preset-mix keeps it
    const tuned = join(dir, 'tuned');
    const mix = { phone: 2, bicubic: 1 };
    const init = await runTrainDegradation({
      ...base,
      out: tuned,
      steps: 1,
      init: out,
      presetMix: mix,
      learningRate: 0,
    });
    assert.equal(init.startStep, 0);
    assert.equal(init.step, 1);
    assert.deepEqual(await readFile(join(tuned, 'weights.bin')), await readFile(join(out, 'weights.bin')));
    await runTrainDegradation({ ...base, out: tuned, steps: 2, resume: true });
    const ckpt = JSON.parse(await readFile(join(tuned, 'checkpoint.json'), 'utf8'));
    assert.deepEqual(ckpt.training.presetMix, mix);
    await assert.rejects(
      runTrainDegradation({ ...base, scale: 4, crop: 64, out: join(dir, 'bad'), steps: 1, init: out }),
      /--init: .* is x2; --scale is 4/,
    );

    const evalResult = await runEvalDegradation({ model: out, data, backend: 'cpu', quiet: true });
    assert.equal(evalResult.images.length, 2);
    for (const v of Object.values(evalResult.mean)) assert.ok(Number.isFinite(v) && v > 10, `PSNR ${v}`);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--preset-mix parses name=weight lists and refuses unknown presets, bad weights and an all-zero mix', () => {
  assert.deepEqual(parsePresetMix('phone=0.4,realesrgan=0.6'), { phone: 0.4, realesrgan: 0.6 });
  assert.throws(() => parsePresetMix('jpeg=1'), /unknown preset 'jpeg'/);
  assert.throws(() => parsePresetMix('phone'), /needs a weight >= 0/);
  assert.throws(() => parsePresetMix('phone=-1'), /needs a weight >= 0/);
  assert.throws(() => parsePresetMix('phone=0,bicubic=0'), /at least one preset/);
});
