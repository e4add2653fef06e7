import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import {
  registerTrainingGradients,
  registerWasmTrainingKernels,
  wasmTrainingKernelsRegistered,
} from '../../src/core/backend/wasm-training.js';

const OURS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'ResizeBilinearGrad',
  'ResizeNearestNeighborGrad',
];

test('selecting cpu registers the DepthToSpace gradient only; selecting wasm registers the kernels', async () => {
  await selectBackend('cpu');
  assert.ok(tf.getGradient('DepthToSpace'), 'DepthToSpace gradient after cpu');
  const nativeInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  await selectBackend('wasm');
  assert.ok(wasmTrainingKernelsRegistered());
  for (const name of OURS) assert.ok(tf.getKernel(name, 'wasm'), `${name} registered for wasm`);
  assert.notEqual(
    tf.getKernel('Conv2DBackpropInput', 'wasm'),
    nativeInput,
    'the XNNPACK dX replaced the native one',
  );
});

test('registration is idempotent: repeated calls change nothing and warn nothing', async () => {
  await selectBackend('wasm');
  const before = OURS.map((name) => tf.getKernel(name, 'wasm'));
  const gradient = tf.getGradient('DepthToSpace');
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args);
  try {
    registerWasmTrainingKernels();
    registerTrainingGradients();
    await selectBackend('wasm');
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(
    OURS.map((name) => tf.getKernel(name, 'wasm')),
    before,
  );
  assert.equal(tf.getGradient('DepthToSpace'), gradient);
  assert.deepEqual(warnings, []);
});
