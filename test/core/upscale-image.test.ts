import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { selectBackend, type BackendName } from '../../src/core/backend/select-backend.js';
import { upscaleImage } from '../../src/core/upscale/upscale-image.js';
import { upscale } from '../../src/core/upscale/upscale.js';
import { LwayError } from '../../src/core/errors.js';
import { getModelDefinition } from '../../src/core/models/registry.js';
import type { SrModel } from '../../src/core/models/sr-model.js';
import { modelDirFor } from '../../src/node/model-files.js';
import { nodeFetchBytes } from '../../src/node/node-fetch-bytes.js';
import { makeTestImage } from '../helpers/test-images.js';

const ID = 'esrgan-slim-x2';
const fetchBytes = nodeFetchBytes(modelDirFor(getModelDefinition(ID)));

before(async () => {
  await selectBackend('wasm');
});

test('upscaleImage selects the backend, reports it, and frees the model', async () => {
  const base = tf.memory().numTensors;
  const seen: BackendName[] = [];
  const result = await upscaleImage(ID, makeTestImage(20, 14, 4), {
    fetchBytes,
    backend: 'auto',
    tileSize: 16,
    onBackend: (b) => seen.push(b),
  });
  assert.equal(result.backend, 'wasm');
  assert.deepEqual(seen, ['wasm']);
  assert.equal(result.modelId, ID);
  assert.equal(result.tileSize, 16);
  assert.deepEqual([result.pixels.width, result.pixels.height, result.pixels.channels], [40, 28, 4]);
  assert.equal(tf.memory().numTensors, base);
});

test('upscaleImage rejects bad input clearly, before loading anything', async () => {
  let loads = 0;
  const counting = async (p: string): Promise<ArrayBuffer> => (loads++, fetchBytes(p));
  const expectCode = (code: string, message: RegExp) => (err: unknown) =>
    err instanceof LwayError && err.code === code && message.test(err.message);
  await assert.rejects(
    upscaleImage('nope-x4', makeTestImage(4, 4), { fetchBytes: counting }),
    expectCode('UNKNOWN_MODEL', /Unknown model id "nope-x4"/),
  );
  await assert.rejects(
    upscaleImage(ID, { data: new Uint8Array(0), width: 0, height: 5, channels: 3 }, { fetchBytes: counting }),
    expectCode('BAD_INPUT', /at least 1x1 .*got 0x5/),
  );
  await assert.rejects(
    upscaleImage(ID, makeTestImage(4, 4), { fetchBytes: counting, backend: 'webgpu' }),
    expectCode('BACKEND_UNAVAILABLE', /webgpu/),
  );
  await assert.rejects(
    upscaleImage(ID, makeTestImage(4, 4), { fetchBytes: counting, backend: 'wasm', tileSize: 2 }),
    expectCode('BAD_INPUT', /tileSize must be an integer >= 8; got 2/),
  );
  assert.equal(loads, 0);
  await selectBackend('wasm');
});

test('a large image (1500x1100, many tile rows) comes out exact with a nearest-neighbour model', async () => {
  // With a model that is exactly nearest-neighbour upsampling, every tile is exact, so any mistake in the strip
  // bookkeeping (flushing, sliding, weights) shows up as a wrong pixel.
  const model: SrModel = {
    id: 'nearest-x2',
    scale: 2,
    tileMultiple: 1,
    params: [],
    predict: (x) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]),
    dispose: () => undefined,
  };
  const image = makeTestImage(1500, 1100);
  const base = tf.memory().numTensors;
  const out = await upscale(model, image, { tileSize: 256, overlap: 24 });
  assert.equal(tf.memory().numTensors, base);
  let bad = 0;
  for (let y = 0; y < out.height; y += 3) {
    for (let x = 0; x < out.width; x += 5) {
      for (let k = 0; k < 3; k++) {
        if (out.data[(y * out.width + x) * 3 + k] !== image.data[((y >> 1) * 1500 + (x >> 1)) * 3 + k]) bad++;
      }
    }
  }
  assert.equal(bad, 0);
});
