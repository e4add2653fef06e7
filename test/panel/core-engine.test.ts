import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from '../../src/core/errors.js';
import {
  describeJudgement,
  INPUT_PROFILES,
  type AdaptRun,
  type AdaptSession,
} from '../../src/core/adapt/index.js';
import type { SrModel } from '../../src/core/models/sr-model.js';
import { tf } from '../../src/core/tf.js';
import type { JobRequest } from '../../src/panel/worker/job-types.js';
import { createCoreEngine } from '../../src/panel/worker/core-engine.js';
import { tinyNearestX2 } from '../browser/panel-fake-engines.js';
import { sessionOver, stubReport } from '../helpers/fake-adapt-run.js';

const pixels = () => ({
  data: new Uint8Array(4 * 3 * 3).map((_, i) => i * 7),
  width: 4,
  height: 3,
  channels: 3 as const,
});
const ADAPT = {
  steps: 2,
  strength: 0.5,
  learningRate: 1e-4,
  paramFraction: 0.65,
  lpipsWeight: 1,
  residualSigma: 0,
};
/** The notice every adaptation here carries: these sessions have no LPIPS weights. */
const NO_LPIPS = /LPIPS unavailable/;
const request = (over: Partial<JobRequest> = {}): JobRequest => ({
  modelId: 'tiny',
  scale: 2,
  tileSize: 64,
  pixels: pixels(),
  ...over,
});
const noop = () => {};
const opts = (signal = new AbortController().signal) => ({ signal, onProgress: noop, onBackend: noop });

test('upscales with core on cpu; without an adapt function it says adaptation is unavailable', async () => {
  const engine = createCoreEngine({ backend: 'cpu', models: [], loadModel: async () => tinyNearestX2() });
  const r = await engine.run(request({ adapt: ADAPT, layerId: 'L' }), opts());
  assert.deepEqual([r.pixels.width, r.pixels.height, r.backend], [8, 6, 'cpu']);
  assert.equal(r.pixels.data[0], 0);
  assert.equal(r.pixels.data[3], 0, 'pixel (1,0) of a x2 nearest upscale repeats pixel (0,0)');
  assert.equal(r.pixels.data[6], 21, 'pixel (2,0) is input pixel (1,0)');
  assert.equal(r.adaptationUnavailable, true);
  assert.equal(r.cachedAs, undefined);
});

test('a cancelled job does not fail the next one that shares the model load', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let loads = 0;
  const engine = createCoreEngine({
    backend: 'cpu',
    models: [],
    loadModel: async () => {
      loads++;
      await gate;
      return tinyNearestX2();
    },
  });
  const first = new AbortController();
  const job1 = engine.run(request(), opts(first.signal));
  await new Promise((r) => setTimeout(r, 10));
  first.abort();
  await assert.rejects(job1, AbortError);
  const job2 = engine.run(request(), opts());
  release();
  const r = await job2;
  assert.equal(r.pixels.width, 8);
  assert.equal(loads, 1);
});

test('per-layer adaptation cache: adapts once, reuses for a new selection, clearCache disposes; memory returns', async () => {
  const base = tinyNearestX2();
  let adapts = 0;
  let disposed = 0;
  const run: AdaptRun = async (model, _p, o) => {
    adapts++;
    o.onProgress?.({ stage: 'adapt', step: 1, total: 1, loss: 0.1, etaSeconds: 0 });
    const extra = tf.scalar(1); // stands in for the adapted weights the cache keeps
    return {
      ...model,
      predict: (x) => model.predict(x),
      dispose: () => {
        disposed++;
        extra.dispose();
      },
      report: stubReport(1, [{ code: 'NO_IMPROVEMENT', message: 'note' }]),
    };
  };
  const session = sessionOver(run);
  const engine = createCoreEngine({ backend: 'cpu', models: [], loadModel: async () => base, session });
  await engine.run(request(), opts()); // loads the base model: its weights are the baseline
  const baseline = engine.memory().numTensors;
  const r1 = await engine.run(request({ adapt: ADAPT, layerId: 'L1' }), opts());
  assert.deepEqual([r1.reusedAdaptation, r1.adaptedSteps], [false, 1]);
  assert.equal(r1.notices.length, 2);
  assert.match(r1.notices[0], NO_LPIPS);
  assert.equal(r1.notices[1], 'note');
  assert.ok(r1.cachedAs, 'cached under a key');
  assert.deepEqual(engine.cachedAdaptation('L1', 'tiny-x2')?.key, r1.cachedAs);
  assert.equal(engine.cachedAdaptation('L1', 'tiny-x2')?.settings.steps, 2);
  assert.equal(engine.cachedAdaptation('L2', 'tiny-x2'), null);
  const r2 = await engine.run(
    request({ adapt: ADAPT, layerId: 'L1', pixels: { ...pixels(), width: 2, height: 6 } }),
    opts(),
  );
  assert.deepEqual([r2.reusedAdaptation, r2.cachedAs, r2.notices, adapts], [true, r1.cachedAs, [], 1]);
  assert.equal(engine.memory().numTensors, baseline + 1);
  engine.clearCache(r1.cachedAs!);
  assert.equal(engine.cachedAdaptation('L1', 'tiny-x2'), null);
  assert.equal(disposed, 1);
  assert.equal(engine.memory().numTensors, baseline);
  base.dispose();
});

test('cache key includes the settings: identical settings reuse, a changed setting re-adapts and replaces', async () => {
  const base = tinyNearestX2();
  const adaptedWith: number[] = [];
  const sigmas: number[] = [];
  let live = 0;
  const fake: AdaptRun = async (model, _p, o) => {
    adaptedWith.push(o.steps!);
    sigmas.push(o.residualSigma!);
    live++;
    return { ...model, dispose: () => void live--, report: stubReport(o.steps!) };
  };
  const engine = createCoreEngine({
    backend: 'cpu',
    models: [],
    loadModel: async () => base,
    session: sessionOver(fake),
  });
  const run = (adapt: typeof ADAPT) => engine.run(request({ adapt, layerId: 'L1' }), opts());
  const r1 = await run(ADAPT);
  const r2 = await run({ ...ADAPT });
  assert.deepEqual([r1.reusedAdaptation, r2.reusedAdaptation, adaptedWith], [false, true, [2]]);
  assert.deepEqual(
    [r1.adaptedSteps, r2.adaptedSteps],
    [2, undefined],
    'steps are reported only when they ran',
  );
  const r3 = await run({ ...ADAPT, steps: 3 });
  assert.deepEqual([r3.reusedAdaptation, adaptedWith], [false, [2, 3]]);
  assert.equal(live, 1, 'the adaptation for the old settings was disposed, not kept alongside');
  const r4 = await run({ ...ADAPT, strength: 0.9 });
  assert.deepEqual([r4.reusedAdaptation, adaptedWith.length], [false, 3]);
  // The grain guard changes the adapted weights: a new sigma adapts again and reaches the adapt function.
  const r4b = await run({ ...ADAPT, strength: 0.9, residualSigma: 1 });
  assert.deepEqual([r4b.reusedAdaptation, sigmas], [false, [0, 0, 0, 1]]);
  const r5 = await run(ADAPT); // back to the first settings: that adaptation was replaced, so it runs again
  assert.deepEqual([r5.reusedAdaptation, adaptedWith.length, live], [false, 5, 1]);
  engine.clearCache(r5.cachedAs!);
  assert.equal(live, 0);
  base.dispose();
});

test('a job can name its backend: base models load once per backend, a cached adaptation is not reused across', async () => {
  const loadedOn: string[] = [];
  let adapts = 0;
  const fake: AdaptRun = async (model) => {
    adapts++;
    return { ...model, dispose: () => {}, report: stubReport(1) };
  };
  const models: SrModel[] = [];
  const engine = createCoreEngine({
    backend: 'cpu',
    models: [],
    session: sessionOver(fake),
    loadModel: async () => {
      loadedOn.push(tf.getBackend());
      const m = tinyNearestX2();
      models.push(m);
      return m;
    },
  });
  const job = (backend?: 'wasm' | 'auto') =>
    engine.run(request({ adapt: ADAPT, layerId: 'L', ...(backend ? { backend } : {}) }), opts());
  const onCpu = await job();
  const onWasm = await job('wasm');
  const again = await job('wasm');
  const back = await job('auto'); // auto defers to the engine's own preference (cpu here)
  assert.deepEqual(
    [onCpu.backend, onWasm.backend, again.backend, back.backend],
    ['cpu', 'wasm', 'wasm', 'cpu'],
  );
  assert.deepEqual(loadedOn, ['cpu', 'wasm']);
  assert.deepEqual(
    [onWasm.reusedAdaptation, again.reusedAdaptation, back.reusedAdaptation, adapts],
    [false, true, false, 3],
  );
  assert.deepEqual(Array.from(onWasm.pixels.data), Array.from(onCpu.pixels.data));
  engine.clearCache(back.cachedAs!);
  for (const m of models) m.dispose();
});

test('jobs run one at a time and a weight map during a job stays on its backend (TF.js backends are global)', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const events: string[] = [];
  const models: SrModel[] = [];
  const engine = createCoreEngine({
    backend: 'cpu',
    models: [],
    loadModel: async () => {
      const m = tinyNearestX2();
      models.push(m);
      return m;
    },
    session: sessionOver(async (model, _p, o) => {
      events.push(`adapt on ${tf.getBackend()} (${o.steps} steps)`);
      await gate;
      return { ...model, dispose: () => {}, report: stubReport(o.steps!) };
    }),
    weightMap: async (p) => {
      events.push(`weight map on ${tf.getBackend()}`);
      return { data: new Float32Array(p.width * p.height), width: p.width, height: p.height };
    },
  });
  const job1 = engine.run(request({ adapt: ADAPT, backend: 'wasm' }), opts());
  while (events.length === 0) await new Promise((r) => setTimeout(r, 5));
  const job2 = engine.run(request({ adapt: { ...ADAPT, steps: 1 } }), opts()); // cpu: must wait for job1
  await engine.weightMap(pixels(), 0.5);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(events, ['adapt on wasm (2 steps)', 'weight map on wasm']);
  release();
  const [r1, r2] = await Promise.all([job1, job2]);
  assert.deepEqual([r1.backend, r2.backend], ['wasm', 'cpu']);
  assert.deepEqual(events.slice(2), ['adapt on cpu (1 steps)']);
  await engine.weightMap(pixels(), 0.5); // idle: the last job's backend
  assert.equal(events[3], 'weight map on cpu');
  for (const m of models) m.dispose();
});

test('a cancelled job caches no adaptation, during adaptation or during the upscale after it; the next job adapts again', async () => {
  const base = tinyNearestX2();
  let adapts = 0;
  let live = 0;
  // Like an adaptation that finishes its last step after the cancel arrived: it does not look at the signal.
  const fake: AdaptRun = async (model, _p, o) => {
    adapts++;
    live++;
    o.onProgress?.({ stage: 'adapt', step: 1, total: 1, loss: 0.1, etaSeconds: 0 });
    await new Promise((r) => setTimeout(r, 5));
    return { ...model, dispose: () => void live--, report: stubReport(1) };
  };
  const engine = createCoreEngine({
    backend: 'cpu',
    models: [],
    loadModel: async () => base,
    session: sessionOver(fake),
  });
  const job = (stage: 'adapt' | 'upscale' | null) => {
    const ac = new AbortController();
    const big = { data: new Uint8Array(16 * 16 * 3).fill(90), width: 16, height: 16, channels: 3 as const };
    return engine.run(request({ adapt: ADAPT, layerId: 'L1', pixels: big, tileSize: 8 }), {
      signal: ac.signal,
      onBackend: noop,
      onProgress: (p) => {
        if (p.stage === stage) ac.abort();
      },
    });
  };
  await assert.rejects(job('adapt'), AbortError);
  assert.equal(live, 0, 'the adaptation of a job cancelled while adapting was disposed');
  await assert.rejects(job('upscale'), AbortError);
  assert.equal(live, 0, 'the adaptation of a job cancelled while upscaling was disposed');
  assert.equal(engine.cachedAdaptation('L1', 'tiny-x2'), null, 'nothing cancelled entered the cache');
  const r = await job(null);
  assert.deepEqual([r.reusedAdaptation, adapts], [false, 3]);
  assert.equal((await job(null)).reusedAdaptation, true, 'a finished job still caches for the next');
  engine.clearCache(r.cachedAs!);
  assert.equal(live, 0);
  base.dispose();
});

test("the job's quick fix is applied to the whole output: tone removes a model's colour cast, alpha kept", async () => {
  // A model with a cast: nearest x2, then red * 0.7 + 0.2 (what tone, a per-channel affine fit, can undo).
  const base = tinyNearestX2();
  const cast: SrModel = {
    ...base,
    predict: (x) =>
      tf.tidy(() => {
        const y = base.predict(x);
        const [r, g, b] = tf.split(y, 3, 3);
        return tf.concat([r.mul(0.7).add(0.2), g, b], 3) as tf.Tensor4D;
      }),
  };
  const engine = createCoreEngine({ backend: 'cpu', models: [], loadModel: async () => cast });
  const w = 12;
  const h = 10;
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    data.set([(i * 37) % 200, (i * 11) % 256, (i * 5) % 256, i % 3 === 0 ? 128 : 255], i * 4);
  }
  const rgba = { data, width: w, height: h, channels: 4 as const };
  /** Largest difference of the red channel from nearest x2 of the input. */
  const redError = (out: { data: ArrayLike<number>; width: number }) => {
    let red = 0;
    for (let y = 0; y < 2 * h; y++) {
      for (let x = 0; x < 2 * w; x++) {
        const o = (y * out.width + x) * 4;
        red = Math.max(red, Math.abs(out.data[o] - data[((y >> 1) * w + (x >> 1)) * 4]));
      }
    }
    return red;
  };
  const alpha = (p: { data: ArrayLike<number> }) => Array.from(p.data).filter((_, i) => i % 4 === 3);
  const plain = await engine.run(request({ pixels: rgba }), opts());
  const toned = await engine.run(request({ pixels: rgba, correction: 'tone' }), opts());
  assert.ok(
    redError(plain.pixels) > 20,
    `the cast is there without the fix (${redError(plain.pixels)} levels)`,
  );
  assert.ok(redError(toned.pixels) <= 1, `tone removes it (${redError(toned.pixels)} levels left)`);
  assert.equal(toned.pixels.channels, 4);
  assert.deepEqual(alpha(toned.pixels), alpha(plain.pixels), 'alpha is kept as the upscale made it');
  base.dispose();
});

test('an adapted job gets the flat-region guard unless it asks not to: grain on a flat selection is removed', async () => {
  const base = tinyNearestX2();
  // The "adapted" model paints a +-25-level checkerboard over the base output: grain where the input is flat.
  const run: AdaptRun = async (model) => ({
    ...model,
    predict: (x) =>
      tf.tidy(() => {
        const y = model.predict(x);
        const [, h, w] = y.shape;
        const sign = tf.tensor(
          Array.from({ length: h * w }, (_, i) => (((i % w) + Math.floor(i / w)) % 2 ? 0.1 : -0.1)),
          [1, h, w, 1],
        );
        return y.add(sign) as tf.Tensor4D;
      }),
    dispose: () => {}, // owns no weights: disposing it must not free the base model
    report: stubReport(1),
  });
  const engine = createCoreEngine({
    backend: 'cpu',
    models: [],
    loadModel: async () => base,
    session: sessionOver(run),
  });
  const flat = { data: new Uint8Array(16 * 16 * 3).fill(128), width: 16, height: 16, channels: 3 as const };
  const spread = (p: { data: ArrayLike<number> }) =>
    Math.max(...Array.from(p.data, (v) => Math.abs(v - 128)));
  await engine.run(request({ pixels: flat }), opts()); // loads the base model: its weights are the baseline
  const baseline = engine.memory().numTensors;
  const progress: number[] = [];
  const guarded = await engine.run(
    request({ pixels: flat, adapt: ADAPT, layerId: 'G', correction: 'none' }),
    {
      ...opts(),
      onProgress: (p) => void (p.stage === 'upscale' && progress.push(p.total)),
    },
  );
  const raw = await engine.run(
    request({ pixels: flat, adapt: ADAPT, layerId: 'G', correction: 'none', flatGuard: false }),
    opts(),
  );
  assert.ok(spread(raw.pixels) >= 20, `without the guard the grain is there (${spread(raw.pixels)} levels)`);
  assert.ok(spread(guarded.pixels) <= 2, `the guard removes it (${spread(guarded.pixels)} levels left)`);
  assert.ok(
    progress.length > 0 && progress.every((t) => t === progress[0]),
    'one progress total for both passes',
  );
  engine.clearCache(guarded.cachedAs!);
  assert.equal(engine.memory().numTensors, baseline, 'both passes and the guard leave no tensor behind');
  base.dispose();
});

test("the gate's verdict is the result's first notice, in words (what the panel shows beside the result)", async () => {
  const base = tinyNearestX2();
  const inner = sessionOver(async (model) => ({ ...model, report: stubReport(1) }));
  const judged: AdaptSession = {
    ...inner,
    adapt: async (m, p, o) =>
      Object.assign(await inner.adapt(m, p, o), { judgement: { kind: 'noisy' as const, probability: 0.12 } }),
  };
  const engine = createCoreEngine({
    backend: 'cpu',
    models: [],
    loadModel: async () => base,
    session: judged,
  });
  const r = await engine.run(request({ adapt: ADAPT, layerId: 'J' }), opts());
  assert.equal(r.notices[0], describeJudgement({ kind: 'noisy', probability: 0.12 }));
  const { anchorWeight, residualSigma } = INPUT_PROFILES.noisy;
  assert.ok(
    r.notices[0].startsWith(
      `Judged noisy (p(clean) 0.12): adapted with anchor ${anchorWeight}, residual low-pass ${residualSigma}`,
    ),
    r.notices[0],
  );
  assert.match(r.notices[1], NO_LPIPS, 'the session notices follow');
  base.dispose();
});
