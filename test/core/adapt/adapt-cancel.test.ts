// Cancel must reach adapt() within one step when it arrives as a message (as in the panel's worker): the loop has
// to yield to the event loop between steps, or the message is only delivered after the last step (issue 15).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { tf } from '../../../src/core/tf.js';
import { adapt } from '../../../src/core/adapt/adapt.js';
import { createKnownDegradationOperator } from '../../../src/core/adapt/known-degradation-operator.js';
import { AbortError } from '../../../src/core/errors.js';
import { adaptTestImage, createAdaptTinyModel } from './adapt-tiny-model.js';

before(async () => {
  await tf.setBackend('cpu');
});

const image = adaptTestImage;

test('adapt: a cancel message posted at step 2 stops the run within one step, leaking nothing', async () => {
  const model = createAdaptTinyModel();
  const start = tf.memory().numTensors;
  const ac = new AbortController();
  // The "panel" posts cancel on one port; the "worker" aborts when the message is delivered.
  const { port1: panel, port2: worker } = new MessageChannel();
  worker.on('message', () => ac.abort());
  let lastStep = 0;
  let stepAtCancel = 0;
  try {
    await assert.rejects(
      adapt(model, image(), {
        operator: createKnownDegradationOperator({ scale: 2, blurSigma: 1 }),
        cropSize: 8,
        cropsPerStep: 2,
        maxNoiseSigma: Infinity,
        maxDeviation: Infinity,
        evalEvery: 5,
        steps: 60,
        learningRate: 1e-3,
        signal: ac.signal,
        onProgress: (p) => {
          lastStep = p.step;
          if (p.step === 2) {
            stepAtCancel = p.step;
            panel.postMessage('cancel');
          }
        },
      }),
      (e: unknown) => e instanceof AbortError,
    );
  } finally {
    panel.close();
    worker.close();
  }
  const stepsAfterCancel = lastStep - stepAtCancel;
  console.log(`adapt: cancel posted after step ${stepAtCancel}; steps run after it: ${stepsAfterCancel}`);
  assert.ok(stepsAfterCancel <= 1, `ran ${stepsAfterCancel} steps after the cancel message`);
  assert.equal(tf.memory().numTensors, start, 'tensor leak after cancel');
  model.dispose();
});
