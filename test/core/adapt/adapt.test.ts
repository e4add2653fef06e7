import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { adapt } from '../../../src/core/adapt/adapt.js';
import { selectAdaptParams } from '../../../src/core/adapt/adapt-param-subset.js';
import { createKnownDegradationOperator } from '../../../src/core/adapt/known-degradation-operator.js';
import type { ReconstructionOperator } from '../../../src/core/adapt/reconstruction-operator.js';
import type { AdaptProgress } from '../../../src/core/adapt/adapt-options.js';
import type { SrModel } from '../../../src/core/models/sr-model.js';
import type { Pixels } from '../../../src/core/pixels.js';
import { AbortError } from '../../../src/core/errors.js';
import { adaptTestImage, createAdaptTinyModel } from './adapt-tiny-model.js';

before(async () => {
  await tf.setBackend('cpu');
});

const image = adaptTestImage;

const snapshot = (m: SrModel): Map<string, Float32Array> =>
  new Map(m.params.map((p) => [p.name, p.variable.dataSync() as Float32Array]));

const op = (): ReconstructionOperator => createKnownDegradationOperator({ scale: 2, blurSigma: 1 });
const fast = {
  cropSize: 8,
  cropsPerStep: 2,
  residualSigma: 0,
  maxNoiseSigma: Infinity,
  maxDeviation: Infinity,
  evalEvery: 2,
};

test('adapt lowers the held-out loss, leaves the preset untouched and changes only the chosen subset', async () => {
  const model = createAdaptTinyModel();
  const start = tf.memory().numTensors;
  const before = snapshot(model);
  const operator = op();
  const adapted = await adapt(model, image(), {
    operator,
    ...fast,
    steps: 12,
    learningRate: 3e-3,
    paramNames: ['c2/kernel', 'c2/bias'],
  });
  const r = adapted.report;
  assert.equal(r.stopReason, 'completed');
  assert.ok(
    r.bestHeldOutLoss < r.initialHeldOutLoss,
    `held-out ${r.initialHeldOutLoss} -> ${r.bestHeldOutLoss}`,
  );
  assert.ok(r.bestStep > 0);
  assert.deepEqual(r.trainedParams, ['c2/kernel', 'c2/bias']);
  assert.equal(r.notices[0].code, 'LPIPS_UNAVAILABLE');
  for (const p of model.params)
    assert.deepEqual(p.variable.dataSync(), before.get(p.name), `${p.name} was modified`);
  const changed = adapted.params.filter((p, i) => p.variable !== model.params[i].variable).map((p) => p.name);
  assert.deepEqual(changed, ['c2/kernel', 'c2/bias']);
  const diff = (name: string): number => {
    const a = adapted.params.find((p) => p.name === name)!.variable.dataSync();
    const b = before.get(name)!;
    let sum = 0;
    a.forEach((v, i) => (sum += Math.abs(v - b[i])));
    return sum;
  };
  assert.ok(diff('c2/kernel') > 0);
  // The adapted model predicts differently from the preset, and the preset still predicts as before.
  const x = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const y0 = model.predict(x);
  const y1 = adapted.predict(x);
  const y2 = model.predict(x);
  const maxDiff = (p: tf.Tensor, q: tf.Tensor): number =>
    tf.tidy(() => tf.sub(p, q).abs().max().dataSync()[0]);
  assert.ok(maxDiff(y0, y1) > 0);
  assert.equal(maxDiff(y0, y2), 0);
  tf.dispose([x, y0, y1, y2]);
  adapted.dispose();
  adapted.dispose();
  assert.throws(() => adapted.predict(x), /dispose/);
  assert.equal(tf.memory().numTensors, start, 'tensor leak');
  model.dispose();
});

test('adapt: NaN mid-run rolls back and keeps the best weights seen', async () => {
  const model = createAdaptTinyModel();
  const start = tf.memory().numTensors;
  const inner = op();
  let calls = 0;
  // Call 1 = initial held-out evaluation; then one call per step and one per evaluation (every 2 steps).
  const operator: ReconstructionOperator = {
    scale: 2,
    reconstruct: (sr) =>
      ++calls >= 9 ? tf.tidy(() => inner.reconstruct(sr).mul(NaN)) : inner.reconstruct(sr),
    dispose: () => undefined,
  };
  const adapted = await adapt(model, image(), { operator, ...fast, steps: 20, learningRate: 3e-3 });
  const r = adapted.report;
  assert.equal(r.stopReason, 'non-finite');
  assert.ok(r.stepsRun < 20);
  assert.ok(r.notices.some((n) => n.code === 'ROLLED_BACK'));
  for (const p of adapted.params)
    assert.ok(p.variable.dataSync().every(Number.isFinite), `${p.name} has NaN`);
  // The weights kept reproduce the best held-out loss.
  assert.ok(r.bestStep > 0 && r.bestHeldOutLoss < r.initialHeldOutLoss);
  adapted.dispose();
  assert.equal(tf.memory().numTensors, start);
  model.dispose();
});

test('adapt: abort mid-run rejects with AbortError, leaks nothing and leaves the preset intact', async () => {
  const model = createAdaptTinyModel();
  const before = snapshot(model);
  const start = tf.memory().numTensors;
  const ac = new AbortController();
  const events: AdaptProgress[] = [];
  await assert.rejects(
    adapt(model, image(), {
      operator: op(),
      ...fast,
      steps: 50,
      learningRate: 3e-3,
      signal: ac.signal,
      onProgress: (p) => {
        events.push(p);
        if (p.step === 3) ac.abort();
      },
    }),
    (e: unknown) => e instanceof AbortError,
  );
  assert.deepEqual(
    events.map((e) => [e.stage, e.step, e.total]),
    [
      ['adapt', 1, 50],
      ['adapt', 2, 50],
      ['adapt', 3, 50],
    ],
  );
  assert.ok(events.every((e) => Number.isFinite(e.loss) && e.loss > 0 && e.etaSeconds >= 0));
  assert.equal(tf.memory().numTensors, start, 'tensor leak after abort');
  for (const p of model.params) assert.deepEqual(p.variable.dataSync(), before.get(p.name));
  model.dispose();
});

test('adapt: divergence stops the run and returns the unadapted weights when nothing helped', async () => {
  const model = createAdaptTinyModel();
  const before = snapshot(model);
  // Tone in the loop would rescale a blown-up output back into range; the guard is tested on the raw loss.
  const adapted = await adapt(model, image(), {
    operator: op(),
    ...fast,
    steps: 30,
    learningRate: 5,
    toneInLoop: false,
  });
  assert.equal(adapted.report.stopReason, 'diverged');
  assert.equal(adapted.report.bestStep, 0);
  for (const p of adapted.params) assert.deepEqual(p.variable.dataSync(), before.get(p.name));
  adapted.dispose();
  model.dispose();
});

test('adapt: the deviation limit stops the run and keeps the last weights within it', async () => {
  const model = createAdaptTinyModel();
  const before = snapshot(model);
  const tight = await adapt(model, image(), {
    operator: op(),
    ...fast,
    steps: 10,
    learningRate: 3e-3,
    maxDeviation: 1e-7,
  });
  assert.equal(tight.report.stopReason, 'deviation-limit');
  assert.equal(tight.report.stepsRun, 2);
  assert.equal(tight.report.bestStep, 0);
  assert.ok(tight.report.notices.some((n) => n.code === 'DEVIATION_LIMIT'));
  for (const p of tight.params) assert.deepEqual(p.variable.dataSync(), before.get(p.name));
  tight.dispose();
  const loose = await adapt(model, image(), {
    operator: op(),
    ...fast,
    steps: 4,
    learningRate: 3e-3,
    maxDeviation: 0.5,
  });
  assert.equal(loose.report.stopReason, 'completed');
  assert.ok(
    loose.report.deviation > 0 && loose.report.deviation < 0.5,
    `deviation ${loose.report.deviation}`,
  );
  loose.dispose();
  model.dispose();
});

test('adapt: the noise guard skips adaptation on a noisy image, collective mode takes several images', async () => {
  const model = createAdaptTinyModel();
  // Smooth content (a ramp and one vertical edge) has no diagonal Haar detail; uniform noise of +-40 does.
  const smooth = (w: number, h: number): Pixels => ({
    width: w,
    height: h,
    channels: 3,
    data: Uint8Array.from({ length: w * h * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      return (p % w > 11 ? 170 : 40) + 2 * Math.floor(p / w) + (i % 3) * 10;
    }),
  });
  const noisy = smooth(24, 24);
  let s = 7;
  const data = Uint8Array.from(noisy.data, (v) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.min(255, Math.max(0, v + Math.round((s / 2147483648 - 0.5) * 80)));
  });
  const guarded = await adapt(
    model,
    { ...noisy, data },
    { operator: op(), ...fast, maxNoiseSigma: 0.02, steps: 5 },
  );
  assert.equal(guarded.report.stopReason, 'noisy-input');
  assert.ok(guarded.report.noiseSigma > 0.02, `noisy sigma ${guarded.report.noiseSigma}`);
  assert.equal(guarded.report.stepsRun, 0);
  assert.ok(guarded.report.notices.some((n) => n.code === 'NOISY_INPUT'));
  guarded.dispose();
  const clean = await adapt(model, smooth(24, 24), {
    operator: op(),
    ...fast,
    maxNoiseSigma: 0.02,
    steps: 1,
  });
  assert.ok(clean.report.noiseSigma < 0.02, `clean sigma ${clean.report.noiseSigma}`);
  assert.equal(clean.report.stepsRun, 1);
  clean.dispose();
  const both = await adapt(model, [image(), image(24, 16)], {
    operator: op(),
    ...fast,
    steps: 4,
    learningRate: 1e-3,
  });
  // 4 cells + 6 cells of 8 px; a quarter (rounded) is held out.
  assert.equal(both.report.heldOutCrops, 3);
  assert.equal(both.report.stepsRun, 4);
  both.dispose();
  model.dispose();
});

test('adapt: the perceptual term and the residual low-pass enter the objective', async () => {
  const model = createAdaptTinyModel();
  const start = tf.memory().numTensors;
  const run = (extra: object) =>
    adapt(model, image(32, 32), { operator: op(), ...fast, cropSize: 32, steps: 1, ...extra });
  const plain = await run({});
  let calls = 0;
  const perceptual = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar => {
    calls++;
    return a.sub(b).square().mean().mul(100) as tf.Scalar;
  };
  const withLpips = await run({ lpips: perceptual, lpipsWeight: 1 });
  const lowPassed = await run({ residualSigma: 1.5 });
  assert.ok(calls >= 2, `perceptual loss called ${calls} times`);
  assert.ok(!withLpips.report.notices.some((n) => n.code === 'LPIPS_UNAVAILABLE'));
  // Below LPIPS's 32 px minimum the perceptual term is dropped with a notice.
  const small = await adapt(model, image(), { operator: op(), ...fast, steps: 1, lpips: perceptual });
  assert.ok(small.report.notices.some((n) => n.code === 'LPIPS_UNAVAILABLE' && /32 px/.test(n.message)));
  small.dispose();
  assert.ok(withLpips.report.initialHeldOutLoss > plain.report.initialHeldOutLoss);
  // Blurring the residual before |.| can only lower its weighted L1 here (it averages signed errors).
  assert.ok(lowPassed.report.initialHeldOutLoss < plain.report.initialHeldOutLoss);
  for (const m of [plain, withLpips, lowPassed]) m.dispose();
  assert.equal(tf.memory().numTensors, start);
  model.dispose();
});

test('selectAdaptParams: output-side suffix closest to the fraction; explicit names; unknown names throw', () => {
  const model = createAdaptTinyModel();
  // Sizes in forward order: 108, 4, 432, 12 (556 total).
  const names = (f: number): string[] => selectAdaptParams(model.params, { fraction: f }).map((p) => p.name);
  assert.deepEqual(names(0.65), ['c2/kernel', 'c2/bias']);
  assert.deepEqual(names(0.01), ['c2/bias']);
  assert.deepEqual(names(1), ['c1/kernel', 'c1/bias', 'c2/kernel', 'c2/bias']);
  assert.deepEqual(
    selectAdaptParams(model.params, { fraction: 0.5, names: ['c1/bias'] }).map((p) => p.name),
    ['c1/bias'],
  );
  assert.throws(
    () => selectAdaptParams(model.params, { fraction: 0.5, names: ['nope'] }),
    /unknown parameter "nope"/,
  );
  model.dispose();
});
