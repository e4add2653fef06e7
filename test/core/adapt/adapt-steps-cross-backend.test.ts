// Gradients agree across backends (Node half): the same 2 LWay adaptation steps (realesr-general-x4v3 on a 32x32
// crop, the trained stage-1 R, LPIPS-alex on) on cpu and on wasm, compared for loss, gradients, updated weights and
// the update itself; relative error < 1e-3 against cpu. The webgl and webgpu half runs in Chromium
// (test/browser/adapt-steps-cross-backend.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../../src/core/tf.js';
import { selectBackend } from '../../../src/core/backend/select-backend.js';
import { DEFAULT_LPIPS_DIR, fileFetchBytes } from '../../../src/node/lpips-weights.js';
import { PACKAGE_ROOT } from '../../../src/node/model-files.js';
import { compareTraces, runCrossBackendCase, worstError } from '../../helpers/adapt-steps.js';

const MODEL_DIR = join(PACKAGE_ROOT, 'models', 'realesr-general-x4v3');
const STAGE1_DIR = join(PACKAGE_ROOT, 'models', 'lway-degradation', 'x4');
const skip = !existsSync(join(MODEL_DIR, 'weights.json'))
  ? `${MODEL_DIR} missing (run npm run build)`
  : !existsSync(join(DEFAULT_LPIPS_DIR, 'alex.weights.json'))
    ? `LPIPS weights not found at ${DEFAULT_LPIPS_DIR} (the LPIPS weights the product ships)`
    : false;

test('2 adaptation steps (x4v3, R, LPIPS) on wasm agree with cpu within 1e-3', { skip }, async () => {
  const sources = {
    model: fileFetchBytes(MODEL_DIR),
    stage1: fileFetchBytes(STAGE1_DIR),
    lpips: fileFetchBytes(DEFAULT_LPIPS_DIR),
  };
  await selectBackend('cpu');
  const before = tf.memory().numTensors;
  const cpu = await runCrossBackendCase(sources);
  await selectBackend('wasm');
  const wasm = await runCrossBackendCase(sources);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');

  // The reference is not degenerate: the loss is finite and falls, the gradient and the update are not zero.
  assert.equal(cpu.losses.length, 2);
  assert.ok(cpu.losses.every(Number.isFinite) && cpu.losses[1] < cpu.losses[0], `losses ${cpu.losses}`);
  assert.ok(cpu.grads[0].some((g) => g !== 0));
  assert.ok(cpu.after.some((v, i) => v !== cpu.before[i]));

  const errors = compareTraces(wasm, cpu);
  assert.ok(worstError(errors) < 1e-3, `wasm vs cpu: ${JSON.stringify(errors)}`);
});
