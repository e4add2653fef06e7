import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { runSteps, runStepsCooperatively, type Steps } from '../../src/core/cooperative-steps.js';
import { AbortError } from '../../src/core/errors.js';
import type { SrModel } from '../../src/core/models/sr-model.js';
import { upscale } from '../../src/core/upscale/upscale.js';
import { finishOutput, upscaleFinished } from '../../src/core/upscale/upscale-finished.js';
import { createTinySrModel } from '../helpers/tiny-sr-model.js';
import { makeTestImage } from '../helpers/test-images.js';

before(async () => {
  await selectBackend('wasm');
});

function* recorded(log: string[]): Steps<string> {
  log.push('a');
  yield;
  log.push('b');
  yield;
  log.push('c');
  return 'done';
}

test('runSteps runs every step; runStepsCooperatively stops between steps once the signal aborts', async () => {
  const all: string[] = [];
  assert.equal(runSteps(recorded(all)), 'done');
  assert.deepEqual(all, ['a', 'b', 'c']);

  const some: string[] = [];
  const controller = new AbortController();
  // The abort lands as a macrotask while step "a" runs: the next step must not start.
  setTimeout(() => controller.abort(), 0);
  await assert.rejects(runStepsCooperatively(recorded(some), controller.signal), AbortError);
  assert.deepEqual(some, ['a']);

  const aborted = new AbortController();
  aborted.abort();
  const none: string[] = [];
  await assert.rejects(runStepsCooperatively(recorded(none), aborted.signal), AbortError);
  assert.deepEqual(none, [], 'an already aborted signal runs nothing');
});

/** The tiny model plus fixed fine-scale noise: an "adapted" model whose change the guard has something to remove. */
function grainyCopy(base: SrModel): SrModel {
  return {
    ...base,
    id: `${base.id}-grainy`,
    predict: (x) =>
      tf.tidy(() => {
        const y = base.predict(x);
        return tf.clipByValue(
          y.add(tf.randomUniform(y.shape, -0.04, 0.04, 'float32', 7)),
          0,
          1,
        ) as tf.Tensor4D;
      }),
  };
}

test('upscaleFinished with the guard equals the bench path (finishOutput) and frees its tensors', async () => {
  const base = createTinySrModel({ scale: 2 });
  const adapted = grainyCopy(base);
  const image = makeTestImage(40, 36);
  const before = tf.memory().numTensors;
  const product = await upscaleFinished(adapted, image, {
    correction: 'tone',
    guardAgainst: base,
    tileSize: 64,
  });
  const bench = finishOutput(image, await upscale(adapted, image, { tileSize: 64 }), {
    correction: 'tone',
    reference: await upscale(base, image, { tileSize: 64 }),
  });
  assert.deepEqual(product.data, bench.data);
  assert.equal(tf.memory().numTensors, before);
  base.dispose();
});

test('a cancel that arrives after the last tile stops the whole-image steps (the guard) with AbortError', async () => {
  const base = createTinySrModel({ scale: 2 });
  const adapted = grainyCopy(base);
  const image = makeTestImage(40, 36);
  const controller = new AbortController();
  const passes = upscaleFinished(adapted, image, {
    correction: 'tone',
    guardAgainst: base,
    tileSize: 64,
    signal: controller.signal,
    onProgress: (p) => {
      // Queued behind the last tile of the second pass: it arrives while the quick fix and the guard run.
      if (p.done === p.total) setTimeout(() => controller.abort(), 0);
    },
  });
  await assert.rejects(passes, AbortError);
  base.dispose();
});
