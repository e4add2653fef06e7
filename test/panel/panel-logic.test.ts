import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildJobRequest,
  changeSettings,
  DEFAULT_PANEL_SETTINGS,
  defaultLearningRate,
  GATED_ADAPT_KEYS,
  resolvePanelSettings,
  sameAdaptOptions,
} from '../../src/panel/panel-settings.js';
import { ADAPT_CONTROLS, PANEL_ADAPT_KEYS, describeAdaptSettings } from '../../src/panel/adapt-controls.js';
import { formatLearningRate } from '../../src/panel/format-learning-rate.js';
import {
  ADAPT_OPTION_RANGES,
  DEFAULT_ADAPT_OPTIONS,
  defaultCorrection,
  DEFAULT_LEARNING_RATE,
  DEFAULT_LEARNING_RATES,
} from '../../src/core/adapt/index.js';
import { estimateOutput, formatBytes, LARGE_OUTPUT_SIDE } from '../../src/panel/estimate-output.js';
import { estimateEta, formatDuration, overallFraction } from '../../src/panel/estimate-eta.js';
import { describeError, describeThrown } from '../../src/panel/describe-error.js';
import { lossPath } from '../../src/panel/loss-path.js';
import { heatColor, heatMapRgba } from '../../src/panel/heat-color.js';
import { summarizeModel } from '../../src/panel/worker/model-summary.js';
import { OutOfMemoryError, LwayError } from '../../src/core/errors.js';
import type { PanelSource } from '../../src/panel/panel-host.js';
import type { ModelDefinition } from '../../src/core/models/model-definition.js';

const src: PanelSource = {
  layerId: 'layer-7',
  layerName: 'Sky',
  x: 3,
  y: 4,
  isSelection: true,
  pixels: { data: new Uint8Array(2 * 2 * 3), width: 2, height: 2, channels: 3 },
};

test('buildJobRequest maps every setting to the job (table)', () => {
  const base = { ...DEFAULT_PANEL_SETTINGS, modelId: 'm' };
  const cases: [Partial<typeof base>, (r: ReturnType<typeof buildJobRequest>) => unknown, unknown][] = [
    [{ modelId: 'x' }, (r) => r.modelId, 'x'],
    [{ scale: 2 }, (r) => r.scale, 2],
    [{ tileSize: 64 }, (r) => r.tileSize, 64],
    [{ strength: 0.25 }, (r) => r.adapt?.strength, 0.25],
    [{ steps: 9 }, (r) => r.adapt?.steps, 9],
    [{ learningRate: 3e-4 }, (r) => r.adapt?.learningRate, undefined],
    [{ learningRate: 3e-4, inputGate: false }, (r) => r.adapt?.learningRate, 3e-4],
    [{ paramFraction: 0.4 }, (r) => r.adapt?.paramFraction, 0.4],
    [{ lpipsWeight: 0.5 }, (r) => r.adapt?.lpipsWeight, 0.5],
    [{ residualSigma: 1 }, (r) => r.adapt?.residualSigma, undefined],
    [{ residualSigma: 1, inputGate: false }, (r) => r.adapt?.residualSigma, 1],
    [{ anchorWeight: 0.5 }, (r) => r.adapt?.anchorWeight, undefined],
    [{ anchorWeight: 0.5, inputGate: false }, (r) => r.adapt?.anchorWeight, 0.5],
    [{ adaptEnabled: false }, (r) => r.adapt, undefined],
    [{ backend: 'wasm' }, (r) => r.backend, 'wasm'],
    [{ backend: 'auto' }, (r) => r.backend, undefined],
    [{ correction: 'tone+ibp' }, (r) => r.correction, 'tone+ibp'],
    [{ correction: 'none' }, (r) => r.correction, 'none'],
    [{}, (r) => r.correction, defaultCorrection(true)],
    [{ adaptEnabled: false }, (r) => r.layerId, undefined],
    [{}, (r) => r.layerId, 'layer-7'],
    [{}, (r) => r.flatGuard, true],
    [{ flatGuard: false }, (r) => r.flatGuard, false],
    [{ adaptEnabled: false }, (r) => r.flatGuard, undefined],
  ];
  for (const [change, read, want] of cases) {
    assert.deepEqual(read(buildJobRequest({ ...base, ...change }, src)), want, JSON.stringify(change));
  }
  assert.equal(buildJobRequest(base, src).pixels, src.pixels);
  // With the gate on (the default) core picks the anchor and the grain guard per image, so the job leaves them out.
  assert.deepEqual(
    Object.keys(buildJobRequest(base, src).adapt!),
    PANEL_ADAPT_KEYS.filter((k) => !GATED_ADAPT_KEYS.includes(k)),
  );
  assert.deepEqual(Object.keys(buildJobRequest({ ...base, inputGate: false }, src).adapt!), [
    ...PANEL_ADAPT_KEYS,
  ]);
  assert.equal(resolvePanelSettings({ inputGate: 'yes' as unknown as boolean }).inputGate, true);
  assert.equal(resolvePanelSettings({ inputGate: false }).inputGate, false);
  assert.equal(resolvePanelSettings({ flatGuard: 1 as unknown as boolean }).flatGuard, true);
  assert.equal(resolvePanelSettings({ flatGuard: false }).flatGuard, false);
});

test('the controls offer core settings under core names, with core ranges; the cache line describes them', () => {
  for (const c of ADAPT_CONTROLS) {
    assert.ok(c.key in ADAPT_OPTION_RANGES, `${c.key} is one of core's numeric settings`);
    assert.ok(c.key in DEFAULT_PANEL_SETTINGS, `${c.key} has a panel default`);
  }
  const a = buildJobRequest({ ...DEFAULT_PANEL_SETTINGS, modelId: 'm', inputGate: false }, src).adapt!;
  assert.equal(sameAdaptOptions(a, { ...a }), true);
  for (const k of PANEL_ADAPT_KEYS)
    assert.equal(sameAdaptOptions(a, { ...a, [k]: (a[k] ?? 0) + 1 }), false, k);
  // A request that leaves a setting to the gate matches whatever the gate picked for the cached adaptation.
  const gated = buildJobRequest({ ...DEFAULT_PANEL_SETTINGS, modelId: 'm' }, src).adapt!;
  assert.equal(sameAdaptOptions({ ...a, anchorWeight: 0.1, residualSigma: 1 }, gated), true);
  assert.equal(sameAdaptOptions({ ...a, steps: a.steps! + 1 }, gated), false);
  const words = describeAdaptSettings({
    ...a,
    steps: 3,
    strength: 0.8,
    learningRate: 5e-4,
    residualSigma: 1,
  });
  assert.match(words, /^strength 0\.80, 3 steps, learning rate 5e-4, \d+% of parameters, LPIPS weight /);
  assert.match(words, /, grain guard 1\b/);
  assert.doesNotMatch(describeAdaptSettings({ ...a, residualSigma: 0 }), /grain guard/, 'off: left out');
});

test("the panel's adaptation defaults are core's measured stage-2 defaults (fails if they drift apart)", () => {
  const d = DEFAULT_PANEL_SETTINGS;
  assert.deepEqual(
    [d.steps, d.strength, d.paramFraction, d.lpipsWeight, d.residualSigma],
    [
      DEFAULT_ADAPT_OPTIONS.steps,
      DEFAULT_ADAPT_OPTIONS.strength,
      DEFAULT_ADAPT_OPTIONS.paramFraction,
      DEFAULT_ADAPT_OPTIONS.lpipsWeight,
      DEFAULT_ADAPT_OPTIONS.residualSigma,
    ],
  );
  assert.equal(d.learningRate, DEFAULT_LEARNING_RATE, 'no model picked yet: core fallback');
  // Every model core has its own rate for, and one it has not: with the gate off the job carries core's rate for
  // that model (with it on the rate is left to core, which scales the same rate per image).
  for (const modelId of [...Object.keys(DEFAULT_LEARNING_RATES), 'not-a-tuned-model']) {
    const s = changeSettings({ ...DEFAULT_PANEL_SETTINGS, inputGate: false }, { modelId });
    const want = DEFAULT_LEARNING_RATES[modelId] ?? DEFAULT_LEARNING_RATE;
    assert.equal(defaultLearningRate(modelId), want, modelId);
    assert.equal(buildJobRequest(s, src).adapt?.learningRate, want, modelId);
  }
  assert.ok(Object.keys(DEFAULT_LEARNING_RATES).length > 0, 'core lists at least one per-model rate');
  // The defaults must survive the panel's own clamping, or the controls would show something else.
  assert.deepEqual(resolvePanelSettings(DEFAULT_PANEL_SETTINGS), DEFAULT_PANEL_SETTINGS);
});

test('changeSettings: the learning rate follows the model until the user sets it', () => {
  const rates = { a: 1e-5, b: 3e-6 };
  const atA = changeSettings(DEFAULT_PANEL_SETTINGS, { modelId: 'a' }, rates);
  assert.equal(atA.learningRate, 1e-5, 'from no model to a');
  assert.equal(changeSettings(atA, { modelId: 'b', scale: 2 }, rates).learningRate, 3e-6, 'a -> b');
  assert.equal(
    changeSettings(atA, { modelId: 'c' }, rates).learningRate,
    DEFAULT_LEARNING_RATE,
    'a -> untuned c',
  );
  assert.equal(changeSettings(atA, { steps: 50 }, rates).learningRate, 1e-5, 'other changes leave it alone');
  const edited = changeSettings(atA, { learningRate: 5e-4 }, rates);
  assert.equal(edited.learningRate, 5e-4);
  assert.equal(changeSettings(edited, { modelId: 'b' }, rates).learningRate, 5e-4, 'an edited rate is kept');
  assert.equal(
    changeSettings(atA, { modelId: 'b', learningRate: 7e-6 }, rates).learningRate,
    7e-6,
    'a rate in the same change wins',
  );
  assert.equal(
    changeSettings(atA, { steps: 50_000 }, rates).steps,
    ADAPT_OPTION_RANGES.steps.max,
    "still clamps, into core's range",
  );
});

test('changeSettings: the quick fix follows adaptation on/off until the user picks one', () => {
  // Core's defaults: what adaptation's training assumed (tone while toneInLoop is on), none for a plain upscale.
  const adapting = defaultCorrection(true);
  assert.equal(adapting, DEFAULT_ADAPT_OPTIONS.toneInLoop ? 'tone' : 'none');
  const on = DEFAULT_PANEL_SETTINGS;
  assert.equal(on.correction, adapting);
  const off = changeSettings(on, { adaptEnabled: false });
  assert.equal(off.correction, 'none', 'a plain upscale: none');
  assert.equal(changeSettings(off, { adaptEnabled: true }).correction, adapting);
  const picked = changeSettings(off, { correction: 'tone+ibp' });
  assert.equal(changeSettings(picked, { adaptEnabled: true }).correction, 'tone+ibp', 'a picked fix is kept');
  assert.equal(
    resolvePanelSettings({ correction: 'ibp' as never }).correction,
    adapting,
    'not offered: default',
  );
});

test("ranges are core's: steps up to its max, the learning rate by its step", () => {
  const { steps, learningRate } = ADAPT_OPTION_RANGES;
  assert.equal(resolvePanelSettings({ steps: steps.max }).steps, steps.max);
  assert.equal(resolvePanelSettings({ steps: steps.max + 1 }).steps, steps.max);
  assert.equal(resolvePanelSettings({ learningRate: 2e-6 }).learningRate, 2e-6);
  // Core's range is open at 0: the smallest the control can hold is one step.
  assert.equal(resolvePanelSettings({ learningRate: 0 }).learningRate, learningRate.step);
  assert.equal(
    resolvePanelSettings({ learningRate: Number.NaN, modelId: 'x' }).learningRate,
    defaultLearningRate('x'),
  );
});

test('formatLearningRate writes small rates in e-notation that reads back exactly', () => {
  const cases: [number, string][] = [
    [2e-6, '2e-6'],
    [2.5e-6, '2.5e-6'],
    [3 * 1e-6, '3e-6'], // 3.0000000000000004e-6 in floats
    [5e-4, '5e-4'],
    [1e-3, '0.001'],
    [0.01, '0.01'],
  ];
  for (const [lr, want] of cases) assert.equal(formatLearningRate(lr), want, String(lr));
  for (let k = 1; k <= 50; k++) {
    const lr = Number((k * 1e-6).toPrecision(6));
    assert.equal(Number(formatLearningRate(lr)), lr, String(lr));
  }
});

test('resolvePanelSettings keeps a known backend and replaces an unknown one with auto', () => {
  assert.equal(resolvePanelSettings({ backend: 'webgl' }).backend, 'webgl');
  assert.equal(resolvePanelSettings({ backend: 'cuda' as never }).backend, 'auto');
});

test('resolvePanelSettings clamps into range and rejects non-finite values', () => {
  const r = resolvePanelSettings({
    strength: 3,
    steps: 2.6,
    learningRate: -1,
    paramFraction: Number.NaN,
    scale: 0,
  });
  assert.equal(r.strength, 1);
  assert.equal(r.steps, 3);
  assert.equal(r.learningRate, ADAPT_OPTION_RANGES.learningRate.step);
  assert.equal(r.paramFraction, DEFAULT_PANEL_SETTINGS.paramFraction);
  assert.equal(r.scale, DEFAULT_PANEL_SETTINGS.scale);
  // The grain guard: clamped into core's range (>= 0, finite), non-finite falls back to core's default.
  assert.equal(resolvePanelSettings({ residualSigma: 7 }).residualSigma, 7);
  assert.equal(resolvePanelSettings({ residualSigma: -1 }).residualSigma, 0);
  assert.equal(resolvePanelSettings({ residualSigma: 1.5 }).residualSigma, 1.5);
  for (const bad of [Number.NaN, Infinity, 'x' as unknown as number]) {
    assert.equal(
      resolvePanelSettings({ residualSigma: bad }).residualSigma,
      DEFAULT_ADAPT_OPTIONS.residualSigma,
    );
  }
  assert.equal(
    buildJobRequest({ ...DEFAULT_PANEL_SETTINGS, modelId: 'm', residualSigma: -9, inputGate: false }, src)
      .adapt?.residualSigma,
    0,
    'the job carries the clamped value',
  );
});

test('estimateOutput flags sides above the limit and counts bytes', () => {
  assert.deepEqual(estimateOutput(100, 50, 4), {
    width: 400,
    height: 200,
    bytes: 400 * 200 * 16,
    large: false,
  });
  assert.equal(estimateOutput(LARGE_OUTPUT_SIDE / 4, 1, 4).large, false);
  assert.equal(estimateOutput(LARGE_OUTPUT_SIDE / 4 + 1, 1, 4).large, true);
  assert.equal(formatBytes(2048), '2 KB');
  assert.equal(formatBytes(1.5 * 1024 * 1024), '1.5 MB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GB');
});

test('estimateEta extrapolates the stage rate; overallFraction orders stages', () => {
  assert.equal(estimateEta({ stage: 'adapt', step: 0, total: 10 }, 0, 500), undefined);
  assert.equal(estimateEta({ stage: 'adapt', step: 2, total: 10 }, 1000, 1400), 1600);
  assert.equal(estimateEta({ stage: 'upscale', step: 5, total: 5 }, 0, 900), 0);
  assert.equal(overallFraction({ stage: 'load', step: 0, total: 1 }, true), 0);
  assert.equal(overallFraction({ stage: 'adapt', step: 5, total: 10 }, true), 0.5);
  assert.equal(overallFraction({ stage: 'upscale', step: 1, total: 2 }, false), 0.75);
  assert.equal(formatDuration(4200), '4 s');
  assert.equal(formatDuration(300), 'under 1 s');
  assert.equal(formatDuration(125_000), '2 min 05 s');
});

test('describeError gives plain words and a next step per code', () => {
  const oom = describeThrown(new OutOfMemoryError('Failed to allocate'));
  assert.match(oom.title, /memory ran out/);
  assert.match(oom.nextStep, /tile size or the scale/);
  // Raw backend OOM text without a code is recognised too.
  assert.match(
    describeError({ name: 'Error', code: 'INTERNAL', message: 'GPUOutOfMemoryError' }).title,
    /memory/,
  );
  assert.match(describeThrown(new LwayError('DIVERGED', 'loss 1e9')).nextStep, /learning rate/);
  assert.match(
    describeError({ name: 'WorkerError', code: 'INTERNAL', message: 'x' }).title,
    /worker stopped/,
  );
  assert.match(
    describeError({ name: 'BridgeError', code: 'NO_LAYER', message: 'x' }).nextStep,
    /pixel layer/,
  );
  assert.match(describeError({ name: 'BridgeError', code: 'TIMEOUT', message: 'x' }).title, /did not answer/);
  // Photopea without a document, and an export with nothing visible (issue 13).
  assert.equal(
    describeError({ name: 'BridgeError', code: 'NO_DOCUMENT', message: 'x' }).title,
    'Open an image first.',
  );
  assert.match(
    describeError({ name: 'BridgeError', code: 'EMPTY_LAYER', message: 'x' }).title,
    /no visible pixels/,
  );
  const unknown = describeThrown('weird');
  assert.equal(unknown.detail, 'INTERNAL: weird');
  assert.match(unknown.nextStep, /report/);
});

test('lossPath scales the curve to its own range, y down', () => {
  assert.equal(lossPath([], 100, 10), '');
  assert.equal(lossPath([2, 1], 100, 10, 0), 'M0.0 0.0 L100.0 10.0');
  assert.equal(lossPath([1, Number.NaN, 3], 10, 10, 0), 'M0.0 10.0 L10.0 0.0');
});

test('heatColor: low weights are see-through and blue, high ones opaque red', () => {
  const lo = heatColor(0);
  const hi = heatColor(1);
  assert.deepEqual(lo, [0, 0, 255, 40]);
  assert.deepEqual(hi, [255, 0, 0, 220]);
  assert.deepEqual(heatColor(Number.NaN), lo);
  assert.deepEqual(Array.from(heatMapRgba(new Float32Array([1]))), hi);
});

test('summarizeModel derives size and a speed hint from the parameter count', () => {
  const def = (paramCount: number): ModelDefinition => ({
    id: 'a',
    name: 'A',
    scale: 4,
    architecture: 'RRDBNet',
    paramCount,
    licence: 'BSD-3-Clause',
    source: { kind: 'ncnn', package: 'p', version: '1.0.0', dir: 'd', name: 'a' },
    weightsDir: 'a',
    tileMultiple: 1,
    defaultLearningRate: 2e-6,
    card: 'a/MODEL_CARD.md',
    load: () => Promise.reject(new Error('unused')),
  });
  assert.deepEqual(summarizeModel(def(1_200_000)), {
    id: 'a',
    name: 'A',
    scales: [4],
    sizeBytes: 4_800_000,
    speedHint: 'fast',
    licence: 'BSD-3-Clause',
  });
  assert.equal(summarizeModel(def(5_000_000)).speedHint, 'medium');
  assert.equal(summarizeModel(def(16_700_000)).speedHint, 'slow');
});
