// LWay adaptation steps exactly as adapt() takes them (its objective: weighted L1 + LPIPS through the frozen R,
// Adam on the output-side parameter subset), on the backend active now, with everything read back: the loss and
// gradient of every step and the trained weights after the last. Shared by the cross-backend tests (Node and
// Chromium) and bench/gpu.ts. Platform-neutral: every file comes through a FetchBytes.
import { tf } from '../../src/core/tf.js';
import { adaptOptimizer, objective as adaptObjective } from '../../src/core/adapt/adapt.js';
import { resolveAdaptOptions } from '../../src/core/adapt/adapt-options.js';
import { selectAdaptParams } from '../../src/core/adapt/adapt-param-subset.js';
import type { AdaptOptimizer } from '../../src/core/adapt/flat-adam.js';
import { haarWeightMap } from '../../src/core/adapt/haar-weight-map.js';
import { createLrReconstruction } from '../../src/core/adapt/lr-reconstruction.js';
import { loadStage1 } from '../../src/core/stage1/stage1-networks.js';
import { createLpips, loadLpipsWeights, type Lpips } from '../../src/core/lpips/index.js';
import type { FetchBytes } from '../../src/core/models/model-definition.js';
import { getModelDefinition } from '../../src/core/models/registry.js';
import type { SrModel } from '../../src/core/models/sr-model.js';
import type { ReconstructionOperator } from '../../src/core/adapt/reconstruction-operator.js';

/** Where the three sets of weights come from. */
export interface AdaptStepSources {
  /** The SR preset's folder (models/<id>/). */
  readonly model: FetchBytes;
  /** The stage-1 folder (models/lway-degradation/x4/). */
  readonly stage1: FetchBytes;
  /** LPIPS weights (models/lpips); undefined = L1 only. */
  readonly lpips?: FetchBytes;
}

/** Everything one adaptation needs, loaded on the backend active at load time. */
export interface AdaptStepKit {
  readonly model: SrModel;
  readonly operator: ReconstructionOperator;
  readonly lpips: Lpips | undefined;
  /** The LR image the operator's embedding was computed from, [1, H, W, 3] in [0, 1]. */
  readonly lr: tf.Tensor4D;
  dispose(): void;
}

/**
 * A smooth, textured, deterministic LR image (the same on every backend): sines and ramps, values in [0, 1]
 * quantised to 8 bits like a real image.
 */
export function testLrImage(height: number, width: number, batch = 1): tf.Tensor4D {
  const data = new Float32Array(batch * height * width * 3);
  let i = 0;
  for (let n = 0; n < batch; n++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        data[i++] = Math.round(127 + 100 * Math.sin(x * 0.7 + y * 0.3 + n)) / 255;
        data[i++] = Math.round(60 + (150 * x) / width + 30 * Math.cos(y * 0.45 + n)) / 255;
        data[i++] = Math.round(40 + (170 * y) / height + 25 * Math.sin(x * y * 0.05)) / 255;
      }
  return tf.tensor4d(data, [batch, height, width, 3]);
}

/** Loads `modelId`, E and R (the operator's embedding from `lr`) and LPIPS-alex on the current backend. */
export async function loadAdaptStepKit(
  modelId: string,
  sources: AdaptStepSources,
  lr: tf.Tensor4D,
): Promise<AdaptStepKit> {
  const model = await getModelDefinition(modelId).load({ fetchBytes: sources.model });
  const nets = await loadStage1(sources.stage1);
  tf.dispose(Object.values(nets.extra));
  const operator = createLrReconstruction(nets, lr, { ownsNetworks: true });
  const lpips = sources.lpips
    ? createLpips('alex', await loadLpipsWeights('alex', sources.lpips))
    : undefined;
  const image = lr.clone();
  return {
    model,
    operator,
    lpips,
    lr: image,
    dispose() {
      model.dispose();
      operator.dispose();
      lpips?.dispose();
      image.dispose();
    },
  };
}

/** What {@link runAdaptSteps} read back. */
export interface AdaptStepTrace {
  /** The training loss of each step (before its update). */
  readonly losses: number[];
  /** The gradient of each step, all trained variables concatenated in forward order. */
  readonly grads: Float32Array[];
  /** The trained variables before the first step and after the last, concatenated likewise. */
  readonly before: Float32Array;
  readonly after: Float32Array;
  readonly trainedParams: readonly string[];
}

/**
 * Runs `steps` adaptation steps with adapt()'s defaults for `kit.model` (learning rate, parameter fraction, LPIPS
 * weight, weight-map strength) on the batch `x` (crops of kit.lr's content; [N, h, w, 3]). Trains the model's own
 * variables (call it on a freshly loaded kit). `trace: false` reads back only the losses, as adapt() does (for
 * timing). Nothing leaks.
 */
export async function runAdaptSteps(
  kit: AdaptStepKit,
  x: tf.Tensor4D,
  steps: number,
  options: {
    readonly paramFraction?: number;
    readonly learningRate?: number;
    readonly trace?: boolean;
    /** Another optimizer than adapt()'s (bench/step-profile.ts compares). */
    readonly optimizer?: (learningRate: number) => AdaptOptimizer;
  } = {},
): Promise<AdaptStepTrace> {
  const { trace = true, optimizer: makeOptimizer = adaptOptimizer, ...overrides } = options;
  const o = resolveAdaptOptions(
    {
      operator: kit.operator,
      lpips: kit.lpips ? (a, b) => kit.lpips!.distance(a, b).mean() : undefined,
      ...overrides,
    },
    kit.model.id,
  );
  const trained = selectAdaptParams(kit.model.params, { fraction: o.paramFraction });
  const vars = trained.map((p) => p.variable);
  const w = await haarWeightMap(x, { strength: o.strength });
  const optimizer = makeOptimizer(o.learningRate);
  // adapt() caches S_0 of each crop for the anchor, so a step's cost does not include it.
  const unadapted = o.lpips && o.anchorWeight > 0 ? kit.model.predict(x) : undefined;
  const read = async (ts: readonly tf.Tensor[]): Promise<Float32Array> => {
    const flat = tf.tidy(() => tf.concat(ts.map((t) => t.reshape([-1]))));
    try {
      return (await flat.data()) as Float32Array;
    } finally {
      flat.dispose();
    }
  };
  try {
    const before = trace ? await read(vars) : new Float32Array(0);
    const losses: number[] = [];
    const grads: Float32Array[] = [];
    for (let step = 0; step < steps; step++) {
      const { value, grads: g } = tf.variableGrads(() => adaptObjective(kit.model, o, x, w, unadapted), vars);
      try {
        losses.push((await value.data())[0]);
        if (trace) grads.push(await read(vars.map((v) => g[v.name])));
        optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: g[v.name] })));
      } finally {
        value.dispose();
        tf.dispose(g);
      }
    }
    const after = trace ? await read(vars) : new Float32Array(0);
    return { losses, grads, before, after, trainedParams: trained.map((p) => p.name) };
  } finally {
    optimizer.dispose();
    w.dispose();
    unadapted?.dispose();
  }
}

/**
 * The cross-backend case: 2 steps on one 32x32 LR crop (LPIPS-alex's minimum side; the SR output is 128x128),
 * training the tail and the last two body convs with their PReLUs (paramFraction 0.08, ~100 k scalars), so every
 * kernel kind of a default step runs — conv dW and dX on the body's 64->64 3x3 convs, PReLU, pixel-shuffle and
 * nearest-upsampling gradients, R and LPIPS backward — at a tenth of the default's backward cost (SwiftShader runs
 * WebGPU at ~0.1-0.2 GFLOPS; the forward pass alone is 2.5 GFLOP).
 */
export const CROSS_BACKEND_CASE = { size: 32, steps: 2, paramFraction: 0.08 } as const;

/** Runs CROSS_BACKEND_CASE on the current backend with freshly loaded weights; nothing leaks. */
export async function runCrossBackendCase(sources: AdaptStepSources): Promise<AdaptStepTrace> {
  const { size, steps, paramFraction } = CROSS_BACKEND_CASE;
  const lr = testLrImage(size, size);
  try {
    const kit = await loadAdaptStepKit('realesr-general-x4v3', sources, lr);
    try {
      return await runAdaptSteps(kit, lr, steps, { paramFraction });
    } finally {
      kit.dispose();
    }
  } finally {
    lr.dispose();
  }
}

/** ||a - b|| / ||b||. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** Relative errors (norm-wise, see relativeError) of a trace against a reference trace, by quantity. */
export interface TraceErrors {
  /** Per step. */
  readonly loss: number[];
  readonly grad: number[];
  /** Trained weights after the last step. */
  readonly weights: number;
  /** The update itself (after - before): the weights alone move by ~lr, far below any tolerance. */
  readonly update: number;
}

export function compareTraces(got: AdaptStepTrace, ref: AdaptStepTrace): TraceErrors {
  const update = (t: AdaptStepTrace) => t.after.map((v, i) => v - t.before[i]);
  return {
    loss: ref.losses.map((l, i) => relativeError([got.losses[i] ?? NaN], [l])),
    grad: ref.grads.map((g, i) => (got.grads[i] ? relativeError(got.grads[i], g) : Infinity)),
    weights: relativeError(got.after, ref.after),
    update: relativeError(update(got), update(ref)),
  };
}

/** The largest of all the errors (NaN counts as Infinity). */
export function worstError(e: TraceErrors): number {
  return Math.max(
    ...[...e.loss, ...e.grad, e.weights, e.update].map((v) => (Number.isNaN(v) ? Infinity : v)),
  );
}
