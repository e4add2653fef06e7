// The clean-input gate: a logistic judge of E(x) shipped beside the stage-1 weights (clean-gate.json). The session
// reads it to pick the anchor and the residual low-pass per image (INPUT_PROFILES) for the settings the caller left
// unset; a gate file that does not fit E is a reason not to use R. The shipped gate is checked against the shipped E.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tf } from '../../../src/core/tf.js';
import {
  createAdaptSession,
  DEFAULT_ADAPT_OPTIONS,
  defaultLearningRateFor,
  describeJudgement,
  INPUT_PROFILES,
  loadOperatorSource,
  type AdaptOptions,
  type AdaptRun,
} from '../../../src/core/adapt/index.js';
import {
  DegradationEncoder,
  judgeEmbedding,
  parseCleanInputGate,
  serializeStage1,
} from '../../../src/core/stage1/index.js';
import { degradeImage } from '../../../src/core/degrade/index.js';
import type { FetchBytes } from '../../../src/core/models/model-definition.js';
import { fileFetchBytes } from '../../../src/node/lpips-weights.js';
import { STAGE1_MODELS_DIR } from '../../../src/node/stage1-folder.js';
import { stubReport } from '../../helpers/fake-adapt-run.js';
import { syntheticPhoto, tinyStage1 } from '../stage1/stage1-fixtures.js';
import { adaptTestImage, createAdaptTinyModel } from './adapt-tiny-model.js';

before(async () => {
  await tf.setBackend('cpu');
});

const gateFile = (weights: number[], bias: number, threshold = 0.5) => ({
  format: 'lway-clean-gate/1',
  weights,
  bias,
  threshold,
});

test('parseCleanInputGate accepts a gate file and names what is wrong with a bad one', () => {
  const g = parseCleanInputGate(gateFile([1, -2], 0.5), 2);
  assert.deepEqual(Array.from(g.weights), [1, -2]);
  assert.equal(g.bias, 0.5);
  const bad: [unknown, RegExp][] = [
    [{ ...gateFile([1, 2], 0), format: 'other' }, /format/],
    [gateFile([1, Number.NaN], 0), /weights/],
    [gateFile([], 0), /weights/],
    [gateFile([1, 2], 0, 1), /threshold/],
    [null, /clean-gate.json/],
  ];
  for (const [json, why] of bad) assert.throws(() => parseCleanInputGate(json, 2), why);
  assert.throws(() => parseCleanInputGate(gateFile([1, 2, 3], 0), 2), /3 weights.*2/);
});

test('judgeEmbedding: p(clean) = sigmoid(w.e + b), clean at or above the threshold', () => {
  const g = parseCleanInputGate(gateFile([2, -1], -1, 0.6));
  const j = judgeEmbedding(g, [1, 0.5]); // z = 2 - 0.5 - 1 = 0.5
  assert.ok(Math.abs(j.probability - 1 / (1 + Math.exp(-0.5))) < 1e-12);
  assert.equal(j.kind, 'clean'); // 0.622 >= 0.6
  assert.equal(judgeEmbedding(g, [0, 0]).kind, 'noisy'); // sigmoid(-1) = 0.27
  assert.throws(() => judgeEmbedding(g, [1]), /1 values.*2/);
});

/** The tiny x2 stage-1 weights plus, when given, a clean-gate.json, as a FetchBytes. */
async function stage1Fetch(gate?: unknown): Promise<FetchBytes> {
  const nets = tinyStage1(5);
  const art = await serializeStage1(nets);
  nets.encoder.dispose();
  nets.reconstructor.dispose();
  const files = new Map<string, Uint8Array>([
    ['weights.json', new TextEncoder().encode(JSON.stringify(art.manifest))],
    ['weights.bin', new Uint8Array(art.weightData)],
  ]);
  if (gate !== undefined) files.set('clean-gate.json', new TextEncoder().encode(JSON.stringify(gate)));
  return async (rel) => {
    const f = files.get(rel);
    if (!f) throw new Error(`HTTP 404 for ${rel}`);
    return f.slice().buffer;
  };
}

test("the session's gate picks anchor and low-pass per image where they are unset; explicit values win", async (t) => {
  const seen: AdaptOptions[] = [];
  // The gate and R's operator share one embedding: E runs once per adaptation.
  const encode = t.mock.method(DegradationEncoder.prototype, 'encode');
  const run: AdaptRun = async (model, _lr, o) => {
    seen.push(o);
    const y = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const x = o.operator?.reconstruct(y);
    assert.deepEqual(x?.shape, [1, 4, 4, 3], 'the operator is alive while the run uses it');
    tf.dispose([x, y].filter((v) => v !== undefined));
    return { ...model, dispose: () => {}, report: stubReport(o.steps ?? 0) };
  };
  const model = createAdaptTinyModel();
  const lr = adaptTestImage();
  const before = tf.memory().numTensors;
  // The tiny E has 8 outputs; weights 0 make p(clean) = sigmoid(bias) whatever the image.
  for (const [bias, kind] of [
    [5, 'clean'],
    [-5, 'noisy'],
  ] as const) {
    const fetchBytes = await stage1Fetch(gateFile(new Array(8).fill(0), bias));
    const session = createAdaptSession({ operators: { choice: 'r', fetchBytesFor: () => fetchBytes }, run });
    seen.length = 0;
    const calls = encode.mock.callCount();
    const lease = await session.adapt(model, lr, { steps: 1 });
    assert.equal(encode.mock.callCount() - calls, 1, 'one E(x) for the verdict and the operator');
    assert.equal(lease.judgement?.kind, kind);
    assert.equal(seen[0].anchorWeight, INPUT_PROFILES[kind].anchorWeight);
    assert.equal(seen[0].residualSigma, INPUT_PROFILES[kind].residualSigma);
    assert.equal(
      seen[0].learningRate,
      defaultLearningRateFor(model.id) * INPUT_PROFILES[kind].learningRateScale,
    );
    lease.release();
    const own = await session.adapt(model, lr, { steps: 1, anchorWeight: 0.7, learningRate: 1e-3 });
    assert.equal(seen[1].anchorWeight, 0.7, 'a value the caller set is kept');
    assert.equal(seen[1].learningRate, 1e-3);
    assert.equal(seen[1].residualSigma, INPUT_PROFILES[kind].residualSigma);
    own.release();
    const off = await session.adapt(model, lr, { steps: 1, inputGate: false });
    assert.equal(off.judgement, undefined);
    assert.equal(seen[2].anchorWeight, DEFAULT_ADAPT_OPTIONS.anchorWeight);
    assert.equal(seen[2].residualSigma, DEFAULT_ADAPT_OPTIONS.residualSigma);
    assert.equal(seen[2].learningRate, defaultLearningRateFor(model.id));
    off.release();
    await session.dispose();
  }
  // Without a gate file: the fixed defaults, no verdict.
  const noGate = await stage1Fetch();
  const session = createAdaptSession({ operators: { choice: 'r', fetchBytesFor: () => noGate }, run });
  seen.length = 0;
  const lease = await session.adapt(model, lr, { steps: 1 });
  assert.equal(lease.judgement, undefined);
  assert.equal(seen[0].anchorWeight, DEFAULT_ADAPT_OPTIONS.anchorWeight);
  lease.release();
  await session.dispose();
  assert.equal(tf.memory().numTensors, before, 'judging leaks no tensor');
  model.dispose();
});

test('a gate file that does not fit E: auto falls back to the known operator saying why, r refuses', async () => {
  const fetchBytes = await stage1Fetch(gateFile([1, 2, 3], 0)); // E has 8 outputs
  const before = tf.memory().numTensors;
  const auto = await loadOperatorSource({ fetchBytesFor: () => fetchBytes }, 2);
  assert.equal(auto.kind, 'known');
  assert.match(auto.notice?.message ?? '', /clean-gate.json has 3 weights/);
  await assert.rejects(loadOperatorSource({ choice: 'r', fetchBytesFor: () => fetchBytes }, 2), /clean-gate/);
  assert.equal(tf.memory().numTensors, before, 'E and R freed');
});

test('the shipped x4 gate fits the shipped E: sharp input judged clean, camera-phone noise + JPEG noisy', async () => {
  const source = await loadOperatorSource(
    { choice: 'r', fetchBytesFor: () => fileFetchBytes(join(STAGE1_MODELS_DIR, 'x4')) },
    4,
  );
  try {
    assert.match(source.description, /clean-input gate/);
    const hr = syntheticPhoto(192, 192, 3);
    const judge = async (lr: ReturnType<typeof degradeImage>) => {
      const { operator, judgement } = await source.prepare(lr);
      operator.dispose();
      return judgement;
    };
    const sharp = await judge(degradeImage(hr, { scale: 4, preset: 'bicubic' }));
    const noisy = await judge(degradeImage(hr, { scale: 4, preset: 'phone', seed: 11 }));
    assert.ok(sharp && noisy);
    assert.ok(
      sharp.probability > noisy.probability,
      `p(clean) sharp ${sharp.probability} > noisy ${noisy.probability}`,
    );
    assert.equal(noisy.kind, 'noisy');
  } finally {
    source.dispose();
  }
});

test('describeJudgement names the verdict, p(clean) and the settings of its profile', () => {
  const clean = describeJudgement({ kind: 'clean', probability: 0.923 });
  assert.equal(
    clean,
    `Judged clean (p(clean) 0.92): adapted with anchor ${INPUT_PROFILES.clean.anchorWeight}, ` +
      `${INPUT_PROFILES.clean.learningRateScale}x the learning rate where not set by hand.`,
  );
  const noisy = describeJudgement({ kind: 'noisy', probability: 0.1 });
  assert.match(
    noisy,
    new RegExp(
      `anchor ${INPUT_PROFILES.noisy.anchorWeight}, residual low-pass ${INPUT_PROFILES.noisy.residualSigma} `,
    ),
  );
  assert.doesNotMatch(noisy, /learning rate/, 'the noisy profile keeps the model rate, so it is not named');
});
