// Fake engines and a tiny deterministic model shared by the panel's browser tests (the test worker, and the
// in-page control that shows the responsiveness probe catches a blocked thread).
import { OutOfMemoryError, throwIfAborted } from '../../src/core/errors.js';
import type { SrModel } from '../../src/core/models/sr-model.js';
import { tf } from '../../src/core/tf.js';
import type { AdaptRun } from '../../src/core/adapt/index.js';
import type { JobEngine } from '../../src/panel/worker/serve-jobs.js';
import type { ModelSummary } from '../../src/panel/worker/model-summary.js';
import { stubReport } from '../helpers/fake-adapt-run.js';

export const MODELS: ModelSummary[] = [
  { id: 'tiny-x2', name: 'Tiny ×2', scales: [2], sizeBytes: 144, speedHint: 'fast', licence: 'MIT' },
  {
    id: 'other-x4',
    name: 'Other ×4',
    scales: [4],
    sizeBytes: 4e6,
    speedHint: 'slow',
    licence: 'BSD-3-Clause',
  },
];
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** x2 nearest-neighbour as a network: a 1x1 conv copying RGB into the 4 sub-pixel slots, then depthToSpace. */
export function tinyNearestX2(): SrModel {
  const k = new Float32Array(3 * 12);
  // depthToSpace(2) reads channel (dy*2+dx)*3+c for output sub-pixel (dy,dx), colour c.
  for (let slot = 0; slot < 4; slot++) for (let c = 0; c < 3; c++) k[c * 12 + slot * 3 + c] = 1;
  const init = tf.tensor4d(k, [1, 1, 3, 12]);
  const kernel = tf.variable(init, true, `tiny-x2-${Math.random()}/kernel`);
  init.dispose();
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

/** A stand-in for core's adapt() (behind the real session): real tensor work and a loss per step, no training. */
export const fakeAdapt =
  (stepMs: number): AdaptRun =>
  async (model, lr, o) => {
    const pixels = Array.isArray(lr) ? lr[0] : lr;
    const steps = o.steps ?? 0;
    for (let step = 1; step <= steps; step++) {
      throwIfAborted(o.signal);
      const loss = tf.tidy(() =>
        tf
          .randomUniform([pixels.height, pixels.width, 3])
          .mean()
          .mul(1 / step),
      );
      const value = (await loss.data())[0];
      loss.dispose();
      o.onProgress?.({ stage: 'adapt', step, total: steps, loss: value, etaSeconds: 0 });
      await sleep(stepMs);
    }
    throwIfAborted(o.signal);
    return {
      ...model,
      id: `${model.id}+fake`,
      predict: (x) => model.predict(x),
      dispose: () => {},
      report: stubReport(steps, [{ code: 'NO_IMPROVEMENT', message: 'Fake adaptation for tests.' }]),
    };
  };

export function spinEngine(blockMs = 300): JobEngine {
  return {
    async run(request, { signal, onProgress, onBackend }) {
      onBackend({ backend: 'cpu', fastPath: false });
      const blocks = 4;
      for (let i = 1; i <= blocks; i++) {
        const end = performance.now() + blockMs;
        while (performance.now() < end) {
          /* busy: this thread is blocked for blockMs */
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
        notices: [],
      };
    },
    weightMap: async (p) => ({
      data: new Float32Array(p.width * p.height),
      width: p.width,
      height: p.height,
    }),
    clearCache: () => {},
    cachedAdaptation: () => null,
    models: () => MODELS,
    memory: () => ({ numTensors: 0, numBytes: 0 }),
  };
}

export function errorEngine(): JobEngine {
  return {
    ...spinEngine(),
    async run(_request, { onProgress }) {
      onProgress({ stage: 'upscale', step: 1, total: 4 });
      await sleep(10);
      throw new OutOfMemoryError('Failed to allocate 1073741824 bytes for tile 2');
    },
  };
}

/**
 * `inner`, except that its `dieOnRun`-th run reports one tile and then closes the worker from inside
 * (`self.close()`): no error event, no reply, ever — the silent death the panel must notice.
 */
export function dyingEngine(inner: JobEngine, dieOnRun: number, close: () => void): JobEngine {
  let runs = 0;
  return {
    ...inner,
    async run(request, options) {
      if (++runs !== dieOnRun) return inner.run(request, options);
      options.onBackend({ backend: 'cpu', fastPath: false });
      options.onProgress({ stage: 'upscale', step: 1, total: 4 });
      await sleep(20);
      close();
      return new Promise<never>(() => {});
    },
  };
}
