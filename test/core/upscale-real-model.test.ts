import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { upscale } from '../../src/core/upscale/upscale.js';
import { getModelDefinition } from '../../src/core/models/registry.js';
import { psnr } from '../../src/core/metrics/psnr.js';
import { loadPresetModel } from '../../src/node/load-preset-model.js';
import { modelDirFor } from '../../src/node/model-files.js';
import { maxAbsDiff } from '../helpers/test-images.js';

/** Tiled (tile 32, default overlap 16) vs one tile, realesr-general-x4v3 on a photo crop. */
const MIN_TILED_PSNR_DB = 55;
const MAX_TILED_ABS_DIFF = 4;

const ID = 'realesr-general-x4v3';
const available = existsSync(join(modelDirFor(getModelDefinition(ID)), 'weights.json'));

before(async () => {
  await selectBackend('wasm');
});

test(
  `${ID}: tiled output has no measurable seam (PSNR >= ${MIN_TILED_PSNR_DB} dB vs untiled)`,
  { skip: available ? false : `models/${ID} missing: run scripts/setup-models.ts` },
  async () => {
    const { data, info } = await sharp('samples/sample.png')
      .removeAlpha()
      .extract({ left: 20, top: 30, width: 72, height: 56 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = {
      data: new Uint8Array(data),
      width: info.width,
      height: info.height,
      channels: 3 as const,
    };
    const model = await loadPresetModel(ID);
    const base = tf.memory().numTensors;
    const whole = await upscale(model, image, { tileSize: 128 });
    const tiled = await upscale(model, image, { tileSize: 32 });
    const db = psnr(whole, tiled);
    const diff = maxAbsDiff(whole.data, tiled.data);
    console.log(`${ID} tiled (32/16) vs untiled: ${db.toFixed(2)} dB, max abs diff ${diff}`);
    assert.ok(db >= MIN_TILED_PSNR_DB, `${db} dB`);
    assert.ok(diff <= MAX_TILED_ABS_DIFF, `max abs diff ${diff}`);
    assert.equal(tf.memory().numTensors, base);
    model.dispose();
  },
);

/** The whole pipeline, tiled, against the ncnn tool's output with only a 2 px border cropped. */
const MIN_PIPELINE_VS_REFERENCE_DB = 45;

test(
  `${ID}: upscale() with context padding matches the reference binary up to the image border`,
  { skip: available ? false : `models/${ID} missing: run scripts/setup-models.ts` },
  async () => {
    const read = async (path: string) => {
      const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 as const };
    };
    const input = await read('test/fixtures/reference/sample-crop-40x28.png');
    const reference = await read(`test/fixtures/reference/sample-crop-40x28.${ID}.png`);
    const model = await loadPresetModel(ID);
    const padded = await upscale(model, input, { tileSize: 24, overlap: 6 });
    const unpadded = await upscale(model, input, { tileSize: 24, overlap: 6, contextPad: 0 });
    const withPad = psnr(padded, reference, { border: 2 });
    const withoutPad = psnr(unpadded, reference, { border: 2 });
    console.log(
      `${ID} pipeline vs upscayl-bin, 2 px border: ${withPad.toFixed(2)} dB (no context: ${withoutPad.toFixed(2)})`,
    );
    assert.ok(withPad >= MIN_PIPELINE_VS_REFERENCE_DB, `${withPad} dB`);
    assert.ok(
      withPad > withoutPad + 3,
      `context padding should matter at the border: ${withPad} vs ${withoutPad}`,
    );
    model.dispose();
  },
);
