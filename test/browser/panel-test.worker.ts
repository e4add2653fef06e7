// Worker entry for the panel's browser tests: serves jobs with an engine picked by `?engine=`:
//   core  - the real core engine (core's upscale, real TF.js) with a tiny deterministic x2 model;
//           `&adapt=fake` adds a stand-in adaptation that does real tensor work per step and reports a loss.
//   spin  - keeps this worker's thread busy in long synchronous blocks (to prove the page stays responsive).
//   error - fails after one progress event with an out-of-memory error.
import { OutOfMemoryError, throwIfAborted } from '../../src/core/errors.js';
import type { SrModel } from '../../src/core/models/sr-model.js';
import { tf } from '../../src/core/tf.js';
import { createCoreEngine, type AdaptModelFn } from '../../src/panel/worker/core-engine.js';
import { serveJobs, type JobEngine, type WorkerPort } from '../../src/panel/worker/serve-jobs.js';

const params = new URL(self.location.href).searchParams;
const engineName = params.get('engine') ?? 'core';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** x2 nearest-neighbour as a network: a 1x1 conv copying RGB into the 4 sub-pixel slots, then depthToSpace. */
function tinyNearestX2(): SrModel {
  const k = new Float32Array(3 * 12);
  // depthToSpace(2) reads channel (dy*2+dx)*3+c for output sub-pixel (dy,dx), colour c.
  for (let slot = 0; slot < 4; slot++) for (let c = 0; c < 3; c++) k[c * 12 + slot * 3 + c] = 1;
  const kernel = tf.variable(tf.tensor4d(k, [1, 1, 3, 12]), true, `tiny-x2-${Math.random()}/kernel`);
  let disposed = false;
  return {
    id: 'tiny-x2',
    scale: 2,
    tileMultiple: 1,
    params: [{ name: 'conv/kernel', variable: kernel }],
    predict: (x) => tf.tidy(() => tf.depthToSpace(tf.conv2d(x, kernel, 1, 'same'), 2, 'NHWC')),
    dispose: () => {
      if (!disposed) kernel.dispose();
      disposed = true;
    },
  };
}

const fakeAdapt: AdaptModelFn = async (model, pixels, o) => {
  for (let step = 1; step <= o.steps; step++) {
    throwIfAborted(o.signal);
    const loss = tf.tidy(() =>
      tf
        .randomUniform([pixels.height, pixels.width, 3])
        .mean()
        .mul(1 / step),
    );
    const value = (await loss.data())[0];
    loss.dispose();
    o.onProgress({ stage: 'adapt', step, total: o.steps, loss: value });
    await sleep(Number(params.get('stepMs') ?? 20));
  }
  throwIfAborted(o.signal);
  return { ...model, id: `${model.id}+fake`, predict: (x) => model.predict(x), dispose: () => {} };
};

function spinEngine(): JobEngine {
  return {
    async run(request, { signal, onProgress, onBackend }) {
      onBackend({ backend: 'cpu', fastPath: false });
      const blocks = 4;
      for (let i = 1; i <= blocks; i++) {
        const end = performance.now() + 300;
        while (performance.now() < end) {
          /* busy: this thread is blocked for 300 ms */
        }
        onProgress({ stage: 'upscale', step: i, total: blocks });
        await sleep(0);
        throwIfAborted(signal);
      }
      return {
        pixels: { ...request.pixels, data: new Uint8ClampedArray(request.pixels.data) },
        backend: 'cpu',
        reusedAdaptation: false,
        adaptationUnavailable: false,
      };
    },
    weightMap: async (p) => ({
      data: new Float32Array(p.width * p.height),
      width: p.width,
      height: p.height,
    }),
    clearCache: () => {},
    memory: () => ({ numTensors: 0, numBytes: 0 }),
  };
}

function errorEngine(): JobEngine {
  return {
    ...spinEngine(),
    async run(_request, { onProgress }) {
      onProgress({ stage: 'upscale', step: 1, total: 4 });
      await sleep(10);
      throw new OutOfMemoryError('Failed to allocate 1073741824 bytes for tile 2');
    },
  };
}

const engine =
  engineName === 'spin'
    ? spinEngine()
    : engineName === 'error'
      ? errorEngine()
      : createCoreEngine({
          backend: 'cpu',
          loadModel: async () => tinyNearestX2(),
          adaptModel: params.get('adapt') === 'fake' ? fakeAdapt : undefined,
          weightMap: async (p, strength) => ({
            data: new Float32Array(p.width * p.height).fill(strength),
            width: p.width,
            height: p.height,
          }),
        });

serveJobs(self as unknown as WorkerPort, engine);
