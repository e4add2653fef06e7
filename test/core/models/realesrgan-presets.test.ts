import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../../src/core/tf.js';
import { DisposedError, ModelLoadError } from '../../../src/core/errors.js';
import { psnr } from '../../../src/core/metrics/psnr.js';
import type { ModelDefinition } from '../../../src/core/models/model-definition.js';
import { REALESRGAN_PRESETS } from '../../../src/core/models/realesrgan-presets.js';
import { REALESRGAN_X4PLUS_CONFIG, rrdbNetSpecs } from '../../../src/core/models/rrdb-net.js';
import {
  REALESR_GENERAL_X4V3_CONFIG,
  srvggNetCompactSpecs,
} from '../../../src/core/models/srvgg-net-compact.js';
import { countParams } from '../../../src/core/models/weight-spec.js';
import { nodeFetchBytes } from '../../../src/node/node-fetch-bytes.js';
import {
  MODELS_DIR,
  readPng,
  REFERENCE_DIR,
  REFERENCE_FIXTURES,
  skipUnlessConverted,
  upscaleLikeNcnn,
} from './realesrgan-reference.js';

/** Minimum PSNR against the ncnn binary. Its feature maps are stored as fp16 (SwiftShader: fp16 packed), ours fp32. */
const MIN_PSNR_DB = 45;
/** Border cropped at HR before computing PSNR. */
const BORDER = 8;

const [X4V3, X4PLUS] = REALESRGAN_PRESETS;

test('Real-ESRGAN registry entries: ids, scale, licence and parameter counts', () => {
  assert.deepEqual(
    REALESRGAN_PRESETS.map((d) => [d.id, d.architecture, d.scale, d.weightsDir, d.tileMultiple]),
    [
      ['realesr-general-x4v3', 'SRVGGNetCompact', 4, 'realesr-general-x4v3', 1],
      ['realesrgan-x4plus', 'RRDBNet', 4, 'realesrgan-x4plus', 1],
    ],
  );
  for (const d of REALESRGAN_PRESETS) assert.equal(d.licence, 'BSD-3-Clause (Real-ESRGAN, Xintao Wang)');
  assert.equal(X4V3.paramCount, countParams(srvggNetCompactSpecs(REALESR_GENERAL_X4V3_CONFIG)));
  // 3->64 conv + 32 x 64->64 convs + 64->48 conv (weights + biases) + 33 x 64 PReLU slopes.
  assert.equal(X4V3.paramCount, 3 * 9 * 64 + 64 + 32 * (64 * 9 * 64 + 64) + 64 * 9 * 48 + 48 + 33 * 64);
  assert.equal(X4PLUS.paramCount, countParams(rrdbNetSpecs(REALESRGAN_X4PLUS_CONFIG)));
  assert.equal(X4PLUS.paramCount, 16_697_987);
});

async function load(def: ModelDefinition) {
  return def.load({ fetchBytes: nodeFetchBytes(join(MODELS_DIR, def.weightsDir)) });
}

for (const def of REALESRGAN_PRESETS) {
  test(
    `${def.id}: matches the ncnn binary on every reference fixture (PSNR >= ${MIN_PSNR_DB} dB)`,
    { skip: skipUnlessConverted(def.id) },
    async (t) => {
      await tf.setBackend('wasm');
      const model = await load(def);
      try {
        for (const name of REFERENCE_FIXTURES) {
          const input = await readPng(join(REFERENCE_DIR, `${name}.png`));
          const reference = await readPng(join(REFERENCE_DIR, `${name}.${def.id}.png`));
          const ours = await upscaleLikeNcnn((x) => model.predict(x), input, 4);
          const db = psnr(ours, reference, { border: BORDER });
          t.diagnostic(`${def.id} ${name}: PSNR ${db.toFixed(2)} dB (border ${BORDER})`);
          assert.ok(db >= MIN_PSNR_DB, `${name}: PSNR ${db.toFixed(2)} dB < ${MIN_PSNR_DB}`);
        }
      } finally {
        model.dispose();
      }
    },
  );
}

test(
  'realesr-general-x4v3: named variables in forward order, 65% suffix on the output side, no leaks',
  { skip: skipUnlessConverted(X4V3.id) },
  async () => {
    await tf.setBackend('wasm');
    const baseline = tf.memory().numTensors;
    const model = await load(X4V3);
    const names = model.params.map((p) => p.name);
    assert.deepEqual(
      names,
      srvggNetCompactSpecs(REALESR_GENERAL_X4V3_CONFIG).map((s) => s.name),
    );
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('body.3.conv/kernel') && names.includes('body.3.prelu/alpha'));
    const sizes = model.params.map((p) => p.variable.size);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      X4V3.paramCount,
    );
    // The smallest suffix holding >= 65% of the parameters starts inside the body and ends at the tail.
    let acc = 0;
    let start = sizes.length;
    while (acc < 0.65 * X4V3.paramCount) acc += sizes[--start];
    assert.ok(start > 3 && names[start].startsWith('body.'), `suffix starts at ${names[start]}`);
    assert.equal(names.at(-1), 'tail.conv/bias');

    const x = tf.randomUniform([1, 12, 9, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const mid = tf.memory().numTensors;
    const y = model.predict(x);
    assert.deepEqual(y.shape, [1, 48, 36, 3]);
    y.dispose();
    assert.equal(tf.memory().numTensors, mid, 'predict leaks no tensors');
    model.dispose();
    model.dispose();
    assert.throws(() => model.predict(x), DisposedError);
    x.dispose();
    assert.equal(tf.memory().numTensors, baseline, 'dispose frees every variable');
  },
);

test(
  'realesrgan-x4plus: named variables and no leaks after predict and dispose',
  { skip: skipUnlessConverted(X4PLUS.id) },
  async () => {
    await tf.setBackend('wasm');
    const baseline = tf.memory().numTensors;
    const model = await load(X4PLUS);
    assert.equal(model.params.length, 702);
    assert.equal(model.params[0].name, 'conv_first/kernel');
    assert.ok(model.params.some((p) => p.name === 'rrdb.12.rdb2.conv3/kernel'));
    assert.equal(model.params.at(-1)?.name, 'conv_last/bias');
    const sizes = model.params.map((p) => p.variable.size);
    let acc = 0;
    let start = sizes.length;
    while (acc < 0.65 * X4PLUS.paramCount) acc += sizes[--start];
    assert.ok(
      model.params[start].name.startsWith('rrdb.'),
      `65% suffix starts at ${model.params[start].name}`,
    );
    const x = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const mid = tf.memory().numTensors;
    model.predict(x).dispose();
    assert.equal(tf.memory().numTensors, mid, 'predict leaks no tensors');
    model.dispose();
    x.dispose();
    assert.equal(tf.memory().numTensors, baseline, 'dispose frees every variable');
  },
);

test(
  'corrupted or truncated converted weights fail with ModelLoadError',
  { skip: skipUnlessConverted(X4V3.id) },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lway-weights-'));
    try {
      const src = join(MODELS_DIR, X4V3.weightsDir);
      copyFileSync(join(src, 'weights.json'), join(dir, 'weights.json'));
      const bin = readFileSync(join(src, 'weights.bin'));
      const loadFrom = () => X4V3.load({ fetchBytes: nodeFetchBytes(dir) });
      writeFileSync(join(dir, 'weights.bin'), bin.subarray(0, bin.length - 1000));
      await assert.rejects(
        loadFrom(),
        (e: unknown) => e instanceof ModelLoadError && /truncated/.test(e.message),
      );
      const flipped = Buffer.from(bin);
      flipped[123_456] ^= 0x10;
      writeFileSync(join(dir, 'weights.bin'), flipped);
      await assert.rejects(
        loadFrom(),
        (e: unknown) => e instanceof ModelLoadError && /corrupted/.test(e.message),
      );
      rmSync(join(dir, 'weights.bin'));
      await assert.rejects(
        loadFrom(),
        (e: unknown) => e instanceof ModelLoadError && /missing.*npm run build/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
