import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { AbortError, ModelLoadError } from '../../../src/core/errors.js';
import { encodeTfjsWeights } from '../../../src/core/models/encode-tfjs-weights.js';
import { loadNamedWeights } from '../../../src/core/models/load-named-weights.js';
import type { FetchBytes } from '../../../src/core/models/model-definition.js';
import { convertNcnnModel } from '../../../src/core/models/ncnn/convert-ncnn-model.js';
import { srvggNetCompactSpecs, type SrvggConfig } from '../../../src/core/models/srvgg-net-compact.js';
import { BinWriter, ramp } from './ncnn/synthetic-ncnn.js';

// A tiny SRVGGNetCompact exported the way the Real-ESRGAN ncnn files are: conv+PReLU, 1 body conv+PReLU, tail conv.
const CONFIG: SrvggConfig = { numInCh: 3, numOutCh: 3, numFeat: 2, numConv: 1, upscale: 2 };
const PARAM = `7767517
8 9
Input        input.1  0 1 data
Split        split    1 2 data d0 d1
Convolution  Conv_0   1 1 d1 a 0=2 1=3 4=1 5=1 6=54
PReLU        PRelu_1  1 1 a b 0=2
Convolution  Conv_2   1 1 b c 0=2 1=3 4=1 5=1 6=36
PReLU        PRelu_3  1 1 c e 0=2
Convolution  Conv_4   1 1 e f 0=12 1=3 4=1 5=1 6=216
PixelShuffle DepthToSpace_5 1 1 f out 0=2
`;
const BIN = new BinWriter()
  .fp16(ramp(54))
  .raw([0.1, 0.2])
  .raw([0.25, 0.5])
  .fp16(ramp(36, -5))
  .raw([0.3, 0.4])
  .raw([0.125, 0.0625])
  .fp16(ramp(216, -27))
  .raw(ramp(12))
  .build();

function converted(): { manifest: Uint8Array; shard: Uint8Array } {
  const specs = srvggNetCompactSpecs(CONFIG);
  const { manifest, shard } = encodeTfjsWeights(convertNcnnModel(PARAM, BIN, specs));
  return { manifest: new TextEncoder().encode(JSON.stringify(manifest)), shard };
}

function memoryFetch(files: Record<string, Uint8Array>): FetchBytes {
  return async (path) => {
    const f = files[path];
    if (!f) throw new Error(`404 ${path}`);
    return f.slice().buffer as ArrayBuffer;
  };
}

test('convertNcnnModel + encodeTfjsWeights + loadNamedWeights round-trip a tiny ncnn model', async () => {
  await tf.setBackend('cpu');
  const specs = srvggNetCompactSpecs(CONFIG);
  const tensors = convertNcnnModel(PARAM, BIN, specs);
  assert.deepEqual(
    tensors.map((t) => [t.name, t.float16]),
    specs.map((s) => [s.name, s.name.endsWith('/kernel')]),
  );
  const { manifest, shard } = encodeTfjsWeights(tensors);
  // fp16 kernels take 2 bytes a value, biases and slopes 4.
  assert.equal(shard.byteLength, (54 + 36 + 216) * 2 + (2 + 2 + 2 + 2 + 12) * 4);
  assert.deepEqual(manifest[0].weights[0].quantization, { dtype: 'float16' });
  const before = tf.memory().numTensors;
  const loaded = await loadNamedWeights('tiny', specs, {
    fetchBytes: memoryFetch({
      'weights.json': new TextEncoder().encode(JSON.stringify(manifest)),
      'weights.bin': shard,
    }),
  });
  assert.equal(loaded.length, specs.length);
  loaded.forEach((t, i) => {
    assert.deepEqual(t.shape, specs[i].shape);
    assert.deepEqual(t.dataSync(), tensors[i].values, `${specs[i].name} survives the round trip exactly`);
  });
  tf.dispose(loaded);
  assert.equal(tf.memory().numTensors, before);
});

test('loadNamedWeights: corrupted, truncated, mismatched or missing weights give a clear ModelLoadError', async () => {
  const specs = srvggNetCompactSpecs(CONFIG);
  const { manifest, shard } = converted();
  const load = (files: Record<string, Uint8Array>) =>
    loadNamedWeights('tiny', specs, { fetchBytes: memoryFetch(files) });
  const rejects = (p: Promise<unknown>, re: RegExp) =>
    assert.rejects(p, (e: unknown) => e instanceof ModelLoadError && re.test(e.message));

  const flipped = shard.slice();
  flipped[100] ^= 0x40;
  await rejects(
    load({ 'weights.json': manifest, 'weights.bin': flipped }),
    /tiny: weights\.bin is corrupted/,
  );
  await rejects(
    load({ 'weights.json': manifest, 'weights.bin': shard.subarray(0, shard.length - 8) }),
    /has 684 bytes but weights\.json describes 692; the file is truncated/,
  );
  await rejects(load({ 'weights.json': manifest.subarray(0, 30), 'weights.bin': shard }), /not valid JSON/);
  await rejects(load({ 'weights.bin': shard }), /could not fetch weights\.json: 404/);
  const renamed = new TextEncoder().encode(
    new TextDecoder().decode(manifest).replace('body.0.conv/bias', 'body.0.conv/b'),
  );
  await rejects(
    load({ 'weights.json': renamed, 'weights.bin': shard }),
    /weight 4 is body\.0\.conv\/b \[2\]; expected body\.0\.conv\/bias \[2\]/,
  );
  await rejects(
    loadNamedWeights('tiny', srvggNetCompactSpecs({ ...CONFIG, numConv: 2 }), {
      fetchBytes: memoryFetch({ 'weights.json': manifest, 'weights.bin': shard }),
    }),
    /lists 8 weights; the architecture needs 11/,
  );
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    loadNamedWeights('tiny', specs, { fetchBytes: memoryFetch({}), signal: controller.signal }),
    AbortError,
  );
});

test('convertNcnnModel names the first tensor that does not fit the architecture', () => {
  assert.throws(
    () => convertNcnnModel(PARAM, BIN, srvggNetCompactSpecs({ ...CONFIG, numFeat: 3 })),
    (e: unknown) =>
      e instanceof ModelLoadError &&
      /Conv_0\/kernel has shape \[3,3,3,2\] but head\.conv\/kernel needs \[3,3,3,3\]/.test(e.message),
  );
  assert.throws(
    () => convertNcnnModel(PARAM, BIN, srvggNetCompactSpecs({ ...CONFIG, numConv: 0 })),
    /ncnn model has 8 weight tensors; the architecture needs 5/,
  );
});
