// core's adaptation session: the one place the panel's worker, `lway upscale --adapt` and `lway bench` adapt
// through. It validates settings once, carries every setting to adapt(), loads LPIPS and R once, caches adapted
// models per layer, model, backend and settings, and caches nothing cancelled.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import {
  createAdaptSession,
  type AdaptOptions,
  type AdaptRun,
  type AdaptSettings,
} from '../../../src/core/adapt/index.js';
import { AbortError } from '../../../src/core/errors.js';
import type { FetchBytes } from '../../../src/core/models/model-definition.js';
import { nodeFetchBytes } from '../../../src/node/node-fetch-bytes.js';
import { stubReport } from '../../helpers/fake-adapt-run.js';
import { adaptTestImage, createAdaptTinyModel } from './adapt-tiny-model.js';

before(async () => {
  await tf.setBackend('cpu');
});

const image = adaptTestImage;

const noR = {
  choice: 'known' as const,
  fetchBytesFor: (): FetchBytes => () => Promise.reject(new Error('no R')),
};
const fast = {
  steps: 2,
  cropSize: 8,
  cropsPerStep: 2,
  maxNoiseSigma: Infinity,
  evalEvery: 1,
  lpipsWeight: 0,
  anchorWeight: 0,
};

test('every setting reaches adapt() as given; a bad one is refused before anything loads', async () => {
  const seen: AdaptOptions[] = [];
  const run: AdaptRun = async (model, _lr, o) => {
    seen.push(o);
    return { ...model, dispose: () => {}, report: stubReport(o.steps ?? 0) };
  };
  let loads = 0;
  const session = createAdaptSession({
    operators: { fetchBytesFor: () => () => (loads++, Promise.reject(new Error('no R'))) },
    run,
  });
  const model = createAdaptTinyModel();
  // Every field of AdaptSettings, none at its default (the type makes this list complete).
  const settings: Required<AdaptSettings> = {
    steps: 3,
    learningRate: 3e-5,
    strength: 0.4,
    lpipsWeight: 0,
    anchorWeight: 0,
    toneInLoop: false,
    paramFraction: 0.5,
    paramNames: ['c2/bias'],
    cropSize: 8,
    cropsPerStep: 3,
    residualSigma: 1.5,
    holdoutFraction: 0.5,
    evalEvery: 4,
    maxNoiseSigma: 0.2,
    maxDeviation: 0.1,
    divergenceFactor: 5,
    seed: 9,
  };
  const lease = await session.adapt(model, image(), settings);
  lease.release();
  const { operator, lpips, signal, onProgress, ...got } = seen[0];
  assert.deepEqual(got, settings);
  assert.equal(operator.scale, 2);
  assert.deepEqual([lpips, signal, onProgress], [undefined, undefined, undefined]);
  assert.equal(loads, 1, 'R was tried once');

  await assert.rejects(session.adapt(model, image(), { strength: 2 }), /strength must be in \[0, 1\]; got 2/);
  await assert.rejects(
    session.adapt(model, image(), { steps: 1.5 }),
    /steps must be an integer in \[0, 10000\]; got 1\.5/,
  );
  assert.deepEqual([seen.length, loads], [1, 1], 'a refused setting runs and loads nothing');
  await session.dispose();
  model.dispose();
});

test('the cache: kept per layer, model, backend and settings; one per layer and model; released if not kept', async () => {
  const model = createAdaptTinyModel();
  let backend = 'cpu';
  const session = createAdaptSession({ operators: noR, backend: () => backend });
  const start = tf.memory().numTensors;
  const first = await session.adapt(model, image(), { ...fast, layerId: 'L1' });
  assert.equal(first.reused, false);
  assert.equal(first.report?.stepsRun, 2);
  assert.equal(session.cached('L1', model.id), undefined, 'not cached before keep()');
  first.keep();
  first.release(); // kept: the cache owns it now
  assert.equal(session.cached('L1', model.id)?.key, first.cacheKey);
  assert.equal(session.cached('L1', model.id)?.settings.steps, 2);

  const again = await session.adapt(model, image(12, 12), { ...fast, layerId: 'L1' });
  assert.deepEqual([again.reused, again.model, again.notices], [true, first.model, []]);
  const other = await session.adapt(model, image(), { ...fast, layerId: 'L2' });
  assert.equal(other.reused, false, 'another layer adapts');
  other.release(); // not kept: freed
  assert.equal(session.cached('L2', model.id), undefined);

  const z = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
  const changed = await session.adapt(model, image(), { ...fast, steps: 3, layerId: 'L1' });
  assert.equal(changed.reused, false, 'a changed setting adapts again');
  changed.keep();
  assert.throws(() => first.model.predict(z), /dispose/, 'and replaces the older adaptation of the layer');
  assert.equal(session.cached('L1', model.id)?.settings.steps, 3);

  backend = 'elsewhere';
  const moved = await session.adapt(model, image(), { ...fast, steps: 3, layerId: 'L1' });
  assert.equal(moved.reused, false, 'weights on another backend are not reused');
  moved.release();

  session.forget(changed.cacheKey!);
  assert.equal(session.cached('L1', model.id), undefined);
  z.dispose();
  await session.dispose();
  assert.equal(tf.memory().numTensors, start, 'nothing leaks');
  model.dispose();
});

test('a run that finishes after its cancel is thrown away: AbortError, disposed, nothing cached', async () => {
  let disposed = 0;
  const ac = new AbortController();
  // Like an adaptation that completes its last step after the cancel arrived: it does not look at the signal.
  const run: AdaptRun = async (model) => {
    ac.abort();
    return { ...model, dispose: () => void disposed++, report: stubReport(1) };
  };
  const session = createAdaptSession({ operators: noR, run });
  const model = createAdaptTinyModel();
  await assert.rejects(
    session.adapt(model, image(), { ...fast, layerId: 'L', signal: ac.signal }),
    AbortError,
  );
  assert.equal(disposed, 1);
  assert.equal(session.cached('L', model.id), undefined);
  await session.dispose();
  model.dispose();
});

test('LPIPS: loaded once when either perceptual weight wants it (the anchor alone too); one notice when it cannot load', async () => {
  const model = createAdaptTinyModel();
  const reads: string[] = [];
  const real = nodeFetchBytes('models/lpips', '');
  const counting: FetchBytes = (rel, s) => (reads.push(rel), real(rel, s));
  const given: (AdaptOptions['lpips'] | undefined)[] = [];
  const run: AdaptRun = async (m, _lr, o) => {
    given.push(o.lpips);
    return { ...m, dispose: () => {}, report: stubReport(0) };
  };
  const session = createAdaptSession({
    operators: noR,
    lpips: { net: 'squeeze', fetchBytes: counting },
    run,
  });
  (await session.adapt(model, image(), { ...fast })).release();
  assert.deepEqual([reads.length, given[0]], [0, undefined], 'no perceptual weight: LPIPS is not loaded');
  (await session.adapt(model, image(), { ...fast, anchorWeight: 0.3 })).release();
  (await session.adapt(model, image(), { ...fast, lpipsWeight: 0.5 })).release();
  assert.deepEqual(reads, ['squeeze.weights.json', 'squeeze.weights.bin'], 'loaded once');
  assert.deepEqual([typeof given[1], typeof given[2]], ['function', 'function']);
  await session.dispose();

  // Weights that cannot be read: the real adapt() runs on L1 and the user hears about it once.
  const broken = createAdaptSession({
    operators: noR,
    lpips: { net: 'alex', fetchBytes: () => Promise.reject(new Error('HTTP 404 for alex.weights.json')) },
  });
  const lease = await broken.adapt(model, image(), { ...fast, anchorWeight: 0.3 });
  const lpipsNotices = lease.notices.filter((n) => n.code === 'LPIPS_UNAVAILABLE');
  assert.equal(lpipsNotices.length, 1, JSON.stringify(lease.notices));
  assert.match(lpipsNotices[0].message, /HTTP 404 for alex\.weights\.json.*falls back to L1 alone/);
  lease.release();
  await broken.dispose();
  model.dispose();
});

test('without trained R (auto) the known operator is used and the notice says why', async () => {
  const model = createAdaptTinyModel();
  const session = createAdaptSession({
    operators: { fetchBytesFor: () => () => Promise.reject(new Error('HTTP 404 for weights.json')) },
  });
  const lease = await session.adapt(model, image(), fast);
  const notice = lease.notices.find((n) => n.code === 'KNOWN_OPERATOR');
  assert.match(notice?.message ?? '', /stage-1 R\) for x2 could not be used: .*HTTP 404/);
  assert.equal(lease.report?.stepsRun, 2, 'and adaptation ran');
  lease.release();
  await session.dispose();
  model.dispose();
});
