import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { upscale } from '../../src/core/upscale/upscale.js';
import { AbortError, DisposedError, ModelLoadError } from '../../src/core/errors.js';
import { MODEL_REGISTRY, getModelDefinition } from '../../src/core/models/registry.js';
import { UPSCALERJS_PRESETS } from '../../src/core/models/upscalerjs-presets.js';
import type { FetchBytes } from '../../src/core/models/model-definition.js';
import type { Pixels } from '../../src/core/pixels.js';
import { psnr } from '../../src/core/metrics/psnr.js';
import { loadPresetModel } from '../../src/node/load-preset-model.js';
import { modelDirFor } from '../../src/node/model-files.js';
import { nodeFetchBytes } from '../../src/node/node-fetch-bytes.js';
import { createReferenceUpscaler } from '../helpers/upscaler-reference.js';

/** Minimum agreement with the `upscaler` package's own output (brief: >= 40 dB). */
const MIN_PSNR_DB = 40;

async function sampleCrop(left: number, top: number, width: number, height: number): Promise<Pixels> {
  const { data, info } = await sharp('samples/sample.png')
    .removeAlpha()
    .extract({ left, top, width, height })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

before(async () => {
  await selectBackend('wasm');
});

test('registry lists esrgan-{slim,medium,thick}-x{2,3,4}, MIT, with sources', () => {
  const ids = UPSCALERJS_PRESETS.map((d) => d.id);
  assert.deepEqual(ids, [
    'esrgan-slim-x2',
    'esrgan-slim-x3',
    'esrgan-slim-x4',
    'esrgan-medium-x2',
    'esrgan-medium-x3',
    'esrgan-medium-x4',
    'esrgan-thick-x2',
    'esrgan-thick-x3',
    'esrgan-thick-x4',
  ]);
  for (const d of UPSCALERJS_PRESETS) {
    assert.match(d.licence, /^MIT/);
    assert.equal(d.source.kind, 'tfjs-layers');
    assert.match(d.source.package, /^@upscalerjs\/esrgan-/);
    assert.ok(MODEL_REGISTRY.includes(d));
  }
});

for (const def of UPSCALERJS_PRESETS) {
  test(`${def.id}: params named in forward order, count matches, output equals the upscaler package (>= ${MIN_PSNR_DB} dB)`, async () => {
    const base = tf.memory().numTensors;
    const model = await loadPresetModel(def.id);
    assert.equal(model.scale, def.scale);
    const count = model.params.reduce((n, p) => n + p.variable.size, 0);
    assert.equal(count, def.paramCount);
    assert.ok(
      model.params.every((p) => p.variable instanceof tf.Variable && /\/(kernel|bias)$/.test(p.name)),
    );
    assert.match(model.params[0].name, /^(F_m1|Pre_blocks_conv)\/kernel$/, 'first param is the input conv');
    assert.equal(model.params[model.params.length - 1].name, 'SR/bias', 'last param is the output conv');
    assert.equal(new Set(model.params.map((p) => p.name)).size, model.params.length, 'names are unique');

    const image = await sampleCrop(40, 40, 20, 16);
    // The upscaler package runs the bare image (zero padding at its border); these presets default to no context
    // either, so outputs compare pixel for pixel.
    assert.equal(model.contextPad, 0);
    const ours = await upscale(model, image, { tileSize: 64 });
    const ref = await createReferenceUpscaler(def.id);
    const theirs = await ref.upscale(image);
    await ref.dispose();
    assert.equal(ours.width, theirs.width);
    assert.equal(ours.height, theirs.height);
    const db = psnr(ours, theirs);
    console.log(`${def.id}: PSNR vs upscaler package ${db.toFixed(2)} dB`);
    assert.ok(db >= MIN_PSNR_DB, `${def.id}: ${db} dB`);
    model.dispose();
    model.dispose(); // idempotent
    const probe = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    assert.throws(() => model.predict(probe), DisposedError);
    probe.dispose();
    assert.equal(tf.memory().numTensors, base, 'every weight freed');
  });
}

test('tiled esrgan-slim-x4 on a photo crop matches the untiled upscaler package output (>= 40 dB)', async () => {
  const model = await loadPresetModel('esrgan-slim-x4');
  const image = await sampleCrop(16, 16, 72, 56);
  const ours = await upscale(model, image, { tileSize: 32, overlap: 12 });
  const ref = await createReferenceUpscaler('esrgan-slim-x4');
  const theirs = await ref.upscale(image);
  await ref.dispose();
  const db = psnr(ours, theirs);
  console.log(`esrgan-slim-x4 tiled (32/12) vs upscaler untiled: ${db.toFixed(2)} dB`);
  assert.ok(db >= MIN_PSNR_DB, `${db} dB`);
  model.dispose();
});

/** fetchBytes over the real files, with one file's bytes replaced. */
function tampered(id: string, file: string, edit: (b: ArrayBuffer) => ArrayBuffer): FetchBytes {
  const real = nodeFetchBytes(modelDirFor(getModelDefinition(id)));
  return async (path, signal) => (path === file ? edit(await real(path, signal)) : real(path, signal));
}

test('corrupted or missing weights give ModelLoadError and leave no tensors', async () => {
  const def = getModelDefinition('esrgan-slim-x2');
  const base = tf.memory().numTensors;
  const cases: [string, FetchBytes, RegExp][] = [
    [
      'truncated shard',
      tampered(def.id, 'group1-shard1of1.bin', (b) => b.slice(0, 1000)),
      /corrupt: the shards hold 1000 bytes; model.json needs 888300/,
    ],
    [
      'NaN weights',
      tampered(def.id, 'group1-shard1of1.bin', (b) => {
        const c = b.slice(0);
        new Float32Array(c).fill(NaN, 100, 200);
        return c;
      }),
      /NaN or Infinity/,
    ],
    [
      'broken model.json',
      tampered(def.id, 'model.json', () => new TextEncoder().encode('{"modelTop').buffer as ArrayBuffer),
      /Could not read model.json of esrgan-slim-x2/,
    ],
    [
      'not a layers model',
      tampered(def.id, 'model.json', () => new TextEncoder().encode('{"a":1}').buffer as ArrayBuffer),
      /not a TF.js layers model/,
    ],
    ['missing file', nodeFetchBytes('/nonexistent'), /\/nonexistent\/model.json is missing/],
  ];
  for (const [name, fetchBytes, message] of cases) {
    await assert.rejects(def.load({ fetchBytes }), (err: unknown) => {
      assert.ok(err instanceof ModelLoadError, `${name}: ${String(err)}`);
      assert.match(err.message, message, name);
      return true;
    });
  }
  assert.equal(tf.memory().numTensors, base);
});

test('an aborted signal stops loading with AbortError', async () => {
  const def = getModelDefinition('esrgan-slim-x2');
  const controller = new AbortController();
  const real = nodeFetchBytes(modelDirFor(def));
  const fetchBytes: FetchBytes = async (p, s) => {
    const b = await real(p, s);
    controller.abort();
    return b;
  };
  await assert.rejects(def.load({ fetchBytes, signal: controller.signal }), AbortError);
});

test('unknown model id lists the known ones', async () => {
  await assert.rejects(
    loadPresetModel('esrgan-huge-x9'),
    /Unknown model id "esrgan-huge-x9". Known: .*esrgan-slim-x2/,
  );
});
