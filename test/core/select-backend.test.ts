import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend, currentBackend } from '../../src/core/backend/select-backend.js';
import { LwayError } from '../../src/core/errors.js';

test('auto picks wasm in Node (no WebGPU, no WebGL)', async () => {
  const name = await selectBackend('auto');
  assert.equal(name, 'wasm');
  assert.equal(currentBackend(), 'wasm');
});

test('explicit cpu override is honoured', async () => {
  assert.equal(await selectBackend('cpu'), 'cpu');
  assert.equal(currentBackend(), 'cpu');
});

test('explicit webgpu in Node fails with a clear error', async () => {
  await assert.rejects(selectBackend('webgpu'), (err: unknown) => {
    assert.ok(err instanceof LwayError);
    assert.equal(err.code, 'BACKEND_UNAVAILABLE');
    assert.match(err.message, /webgpu/);
    return true;
  });
});
