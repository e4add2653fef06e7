import { LwayError, throwIfAborted } from '../errors.js';
import type { SrModel } from '../models/index.js';
import { assertPixels, type Pixels } from '../pixels.js';
import { tf } from '../tf.js';
import { gaussianBlur } from './adapt-gaussian-blur.js';
import { estimateNoiseSigma } from './adapt-noise-estimate.js';
import { FlatAdam, type AdaptOptimizer } from './flat-adam.js';
import { resolveAdaptOptions, type AdaptOptions, type ResolvedAdaptOptions } from './adapt-options.js';
import { selectAdaptParams } from './adapt-param-subset.js';
import { AdaptedModel, withParamValues, type AdaptNotice, type AdaptStopReason } from './adapted-model.js';
import { haarWeightMap } from './haar-weight-map.js';
import { pixelsToTensor } from '../image/index.js';
import { toneMatchTensor } from './tone-match-tensor.js';
import { yieldToEventLoop } from '../yield-to-event-loop.js';

/** Most held-out crops evaluated (each evaluation is one forward pass over them). */
const MAX_HELD_OUT_CROPS = 8;
/** Unadapted crop outputs kept for the anchor (x4, 48 px crops: 0.44 MB each). */
const MAX_CACHED_UNADAPTED = 128;
/** Smallest side LPIPS accepts. */
const MIN_LPIPS_SIDE = 32;

let runCounter = 0;

interface Cell {
  readonly image: number;
  readonly y: number;
  readonly x: number;
}

/**
 * LWay stage 2: fine-tunes a subset of `model`'s parameters on one LR image (or, collective mode, several) with no
 * HR reference, minimising L1(W_s * R(S(x)), W_s * x) + lambda * LPIPS(same pair) with Adam on random crops.
 *
 * Returns an {@link AdaptedModel} (an SrModel: `upscale(adapted, image)` works) holding its own copies of the
 * trained subset; `model`'s variables are unchanged. Safety, all without ground truth: some crop cells are held
 * out of training and scored every `evalEvery` steps; the weights returned are those with the best held-out loss
 * seen, the unadapted ones included (so held-out LR consistency never ends worse than it started). A non-finite
 * loss, a held-out loss above `divergenceFactor` x its start, or an output that moved more than `maxDeviation`
 * from the unadapted one on the held-out crops (the trust region that limits noise painting) stops the run and
 * keeps the best weights within bounds. Optional: a residual low-pass (`residualSigma`) and a noise guard
 * (`maxNoiseSigma`). Every such event adds a notice to `report.notices`. Rejects with AbortError when `signal`
 * fires (nothing leaks), BAD_INPUT on
 * bad options or an image smaller than the model's tileMultiple.
 */
export async function adapt(
  model: SrModel,
  lr: Pixels | readonly Pixels[],
  options: AdaptOptions,
): Promise<AdaptedModel> {
  const started = Date.now();
  const o = resolveAdaptOptions(options, model.id);
  const images = Array.isArray(lr) ? (lr as readonly Pixels[]) : [lr as Pixels];
  if (images.length === 0) throw new LwayError('BAD_INPUT', 'adapt needs at least one LR image; got none');
  images.forEach((p, i) => assertPixels(p, `lr[${i}]`));
  if (o.operator.scale !== model.scale) {
    throw new LwayError(
      'BAD_INPUT',
      `operator.scale must equal the model's scale ${model.scale}; got ${o.operator.scale}`,
    );
  }
  const minSide = Math.min(...images.map((p) => Math.min(p.width, p.height)));
  const crop = Math.floor(Math.min(o.cropSize, minSide) / model.tileMultiple) * model.tileMultiple;
  if (crop < 1) {
    throw new LwayError(
      'BAD_INPUT',
      `LR images must be at least ${model.tileMultiple} px per side; got ${minSide}`,
    );
  }
  const trained = selectAdaptParams(model.params, { fraction: o.paramFraction, names: o.paramNames });
  throwIfAborted(o.signal);

  const notices: AdaptNotice[] = [];
  const wantsLpips = o.lpipsWeight > 0 || o.anchorWeight > 0;
  // LPIPS-alex needs 32 px; smaller inputs crash the wasm backend instead of throwing. The LR term sees crops,
  // the anchor sees them x scale.
  const lrTermFits = crop >= MIN_LPIPS_SIDE;
  const anchorFits = crop * model.scale >= MIN_LPIPS_SIDE;
  if (wantsLpips && !o.lpips) {
    notices.push({
      code: 'LPIPS_UNAVAILABLE',
      message:
        'No LPIPS network given: adapting without the perceptual anchor, which makes softening the output more likely.',
    });
  } else if (o.lpips && ((o.lpipsWeight > 0 && !lrTermFits) || (o.anchorWeight > 0 && !anchorFits))) {
    notices.push({
      code: 'LPIPS_UNAVAILABLE',
      message: `Crops of ${crop} px are too small for LPIPS (${MIN_LPIPS_SIDE} px minimum): adapting without its terms.`,
    });
  }
  const lossOptions: ResolvedAdaptOptions = {
    ...o,
    lpipsWeight: lrTermFits ? o.lpipsWeight : 0,
    anchorWeight: anchorFits ? o.anchorWeight : 0,
  };

  const rng = mulberry32(o.seed);
  const tensors: tf.Tensor[] = [];
  const run = ++runCounter;
  const own = new Map<string, tf.Variable>();
  for (const p of trained)
    own.set(
      p.name,
      tf.tidy(() => tf.variable(p.variable.clone(), true, `lway-adapt-${run}/${p.name}`)),
    );
  const best = new Map<string, tf.Tensor>();
  const unadaptedCache = new Map<Cell, tf.Tensor4D>();
  let optimizer: AdaptOptimizer | undefined;
  try {
    const lrs = images.map((p) => pixelsToTensor(p));
    tensors.push(...lrs);
    const maps: tf.Tensor4D[] = [];
    for (const x of lrs) {
      maps.push(await haarWeightMap(x, { strength: o.strength }));
      tensors.push(maps[maps.length - 1]);
    }
    let noiseSigma = 0;
    for (const x of lrs) noiseSigma = Math.max(noiseSigma, await estimateNoiseSigma(x));
    throwIfAborted(o.signal);

    // Crop cells on a grid; a seeded shuffle holds some out of training to measure consistency on unseen content.
    const cells: Cell[] = [];
    images.forEach((p, image) => {
      for (let y = 0; y + crop <= p.height; y += crop)
        for (let x = 0; x + crop <= p.width; x += crop) cells.push({ image, y, x });
    });
    shuffle(cells, rng);
    const nHeld =
      cells.length >= 2
        ? Math.min(cells.length - 1, Math.max(1, Math.round(o.holdoutFraction * cells.length)))
        : 0;
    const heldOut =
      o.holdoutFraction > 0 && nHeld > 0 ? cells.slice(0, Math.min(nHeld, MAX_HELD_OUT_CROPS)) : [];
    const training = o.holdoutFraction > 0 ? cells.slice(nHeld) : cells;
    const evalCells =
      heldOut.length > 0 ? heldOut : training.slice(0, Math.min(training.length, MAX_HELD_OUT_CROPS));

    const gather = (list: readonly Cell[]): [tf.Tensor4D, tf.Tensor4D] =>
      tf.tidy(() => {
        const xs = list.map((c) => lrs[c.image].slice([0, c.y, c.x, 0], [1, crop, crop, 3]));
        const ws = list.map((c) => maps[c.image].slice([0, c.y, c.x, 0], [1, crop, crop, 1]));
        return [tf.concat(xs, 0) as tf.Tensor4D, tf.concat(ws, 0) as tf.Tensor4D];
      });
    const lossOf = (x: tf.Tensor4D, w: tf.Tensor4D, y0: tf.Tensor4D | undefined): tf.Scalar =>
      objective(model, lossOptions, x, w, y0);
    // The anchor compares with the unadapted output of the same crops: cached per cell (up to a bound, beyond
    // which it costs one extra forward pass per step).
    const anchored = lossOptions.anchorWeight > 0 && lossOptions.lpips !== undefined;
    const unadaptedOf = (list: readonly Cell[], x: tf.Tensor4D): tf.Tensor4D | undefined => {
      if (!anchored) return undefined;
      return tf.tidy(() => {
        const parts = list.map((c, i) => {
          const hit = unadaptedCache.get(c);
          if (hit) return hit;
          const y = model.predict(x.slice([i, 0, 0, 0], [1, -1, -1, -1]));
          if (unadaptedCache.size < MAX_CACHED_UNADAPTED) unadaptedCache.set(c, tf.keep(y));
          return y;
        });
        return tf.concat(parts, 0) as tf.Tensor4D;
      });
    };
    const evalBatch = gather(evalCells);
    tensors.push(...evalBatch);
    // The unadapted output on the held-out crops, for the deviation limit (a trust region around the preset).
    const sr0 = tf.tidy(() => withParamValues(model.params, own, () => model.predict(evalBatch[0])));
    tensors.push(sr0);
    const evaluate = async (): Promise<{ loss: number; deviation: number }> => {
      const t = tf.tidy(() =>
        withParamValues(model.params, own, () => {
          const sr = model.predict(evalBatch[0]);
          const loss = objectiveFromSr(lossOptions, model.scale, sr, evalBatch[0], evalBatch[1], sr0);
          return tf.stack([loss, sr.sub(sr0).abs().mean()]);
        }),
      );
      try {
        const [loss, deviation] = await t.data();
        return { loss, deviation };
      } finally {
        t.dispose();
      }
    };
    const snapshot = (): void => {
      for (const t of best.values()) t.dispose();
      for (const [name, v] of own) best.set(name, v.clone());
    };

    const initialHeldOutLoss = (await evaluate()).loss;
    let bestHeldOutLoss = initialHeldOutLoss;
    let bestDeviation = 0;
    let bestStep = 0;
    snapshot();
    let stopReason: AdaptStopReason = o.steps === 0 ? 'no-steps' : 'completed';
    let initialLoss = NaN;
    let finalLoss = NaN;
    let stepsRun = 0;
    if (noiseSigma > o.maxNoiseSigma) {
      stopReason = 'noisy-input';
      notices.push({
        code: 'NOISY_INPUT',
        message:
          `The selection looks noisy (estimated noise sigma ${(noiseSigma * 255).toFixed(1)}/255 > ` +
          `${(o.maxNoiseSigma * 255).toFixed(1)}/255); adapting would teach the model to paint the noise, so the ` +
          'unadapted model is used. Denoise first, or raise maxNoiseSigma to force it.',
      });
    } else if (o.steps > 0) {
      optimizer = adaptOptimizer(o.learningRate);
      const baseVars = trained.map((p) => p.variable);
      const t0 = Date.now();
      for (let step = 1; step <= o.steps; step++) {
        await yieldToEventLoop(); // lets a worker receive the cancel message between steps
        throwIfAborted(o.signal);
        // Distinct cells: a small selection (one cell) must not pay for the same crop four times.
        const picks = pickDistinct(training, Math.min(o.cropsPerStep, training.length), rng);
        const { value, grads } = tf.tidy(() => {
          const [x, w] = gather(picks);
          const y0 = unadaptedOf(picks, x);
          return withParamValues(model.params, own, () => tf.variableGrads(() => lossOf(x, w, y0), baseVars));
        });
        let loss: number;
        try {
          loss = (await value.data())[0];
          if (step === 1) initialLoss = loss;
          if (!Number.isFinite(loss)) {
            stopReason = 'non-finite';
            break;
          }
          const named: { name: string; tensor: tf.Tensor }[] = [];
          for (const p of trained)
            named.push({ name: own.get(p.name)!.name, tensor: grads[p.variable.name] });
          optimizer.applyGradients(named);
        } finally {
          value.dispose();
          tf.dispose(grads);
        }
        stepsRun = step;
        finalLoss = loss;
        if (step % o.evalEvery === 0 || step === o.steps) {
          const { loss: held, deviation } = await evaluate();
          if (!Number.isFinite(held) || !Number.isFinite(deviation)) {
            stopReason = 'non-finite';
            break;
          }
          // Judged on the fixed held-out crops: the training batch's loss swings with the random crops' content.
          if (held > o.divergenceFactor * initialHeldOutLoss) {
            stopReason = 'diverged';
            break;
          }
          if (deviation > o.maxDeviation) {
            stopReason = 'deviation-limit';
            break;
          }
          if (held < bestHeldOutLoss) {
            bestHeldOutLoss = held;
            bestDeviation = deviation;
            bestStep = step;
            snapshot();
          }
        }
        const elapsed = (Date.now() - t0) / 1000;
        o.onProgress?.({
          stage: 'adapt',
          step,
          total: o.steps,
          loss,
          etaSeconds: (elapsed / step) * (o.steps - step),
        });
      }
      if (stopReason === 'deviation-limit') {
        notices.push({
          code: 'DEVIATION_LIMIT',
          message:
            `Adaptation was changing the output by more than ${(o.maxDeviation * 255).toFixed(1)}/255 on average ` +
            `(a sign it is fitting noise or artefacts); stopped at step ${stepsRun} and kept step ${bestStep}.`,
        });
      }
      if (stopReason === 'non-finite' || stopReason === 'diverged') {
        notices.push({
          code: 'ROLLED_BACK',
          message: `Adaptation ${stopReason === 'diverged' ? 'diverged' : 'produced NaN/Inf'} at step ${stepsRun + 1}; kept the weights of step ${bestStep}.`,
        });
      }
      if (bestStep === 0) {
        notices.push({
          code: 'NO_IMPROVEMENT',
          message:
            'Adaptation did not improve LR consistency on held-out crops; the unadapted weights are used.',
        });
      }
    }
    throwIfAborted(o.signal); // a run cancelled during its last step returns nothing to cache
    // Return the best weights seen, not the last.
    for (const [name, v] of own) v.assign(best.get(name)!);
    const report = {
      stepsRun,
      stopReason,
      initialLoss,
      finalLoss,
      initialHeldOutLoss,
      bestHeldOutLoss,
      bestStep,
      deviation: bestDeviation,
      heldOutCrops: heldOut.length,
      noiseSigma,
      trainedParams: trained.map((p) => p.name),
      trainedScalars: trained.reduce((s, p) => s + p.variable.size, 0),
      seconds: (Date.now() - started) / 1000,
      notices,
    };
    const adapted = new AdaptedModel(model, own, report);
    own.clear();
    return adapted;
  } finally {
    for (const v of own.values()) v.dispose();
    for (const t of best.values()) t.dispose();
    optimizer?.dispose();
    tf.dispose([...unadaptedCache.values()]);
    tf.dispose(tensors);
  }
}

/**
 * Adam as adaptation uses it, with epsilon fixed at 1e-7. TF.js's default epsilon is the backend's: 1e-7 on cpu,
 * wasm and webgpu but 1e-4 on webgl, whose floatPrecision() reports 16 whenever float32 rendering is enabled
 * (tfjs 4.22). With adaptation's gradients (~1e-5 to 1e-3) that shrank webgl's updates by up to 10x: the
 * cross-backend test measured a 60 % difference in the update after 2 steps, now 1e-5. On webgpu and webgl the
 * same update over one vector for all variables (FlatAdam): a tenth of tf.train.adam's kernels, each of which
 * costs host time on a GPU backend however small it is.
 */
export function adaptOptimizer(learningRate: number): AdaptOptimizer {
  const gpu = tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';
  return gpu ? new FlatAdam(learningRate, 0.9, 0.999, 1e-7) : tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
}

/**
 * The loss of one adaptation step on LR crops `x` with weight maps `w` (see objectiveFromSr); `unadapted` is
 * S_0(x) for the anchor (omit it, or set anchorWeight 0, to leave the anchor out). Exported for the cross-backend
 * gradient test and bench/gpu.ts, which time and compare this step.
 */
export function objective(
  model: SrModel,
  o: ResolvedAdaptOptions,
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  unadapted?: tf.Tensor4D,
): tf.Scalar {
  return tf.tidy(() => objectiveFromSr(o, model.scale, model.predict(x), x, w, unadapted));
}

/**
 * The stage-2 loss of one batch, as one scalar:
 *   L1(W * lowpass(R(T(S(x))) - x))                      LR consistency (T: the in-graph tone fit, when on)
 *   + lambda  * LPIPS(W * (x + lowpass residual), W * x)  the paper's perceptual term at LR (default off)
 *   + lambda_a * LPIPS(T(S(x)), S_0(x))                   the anchor at HR (needs `unadapted`)
 */
function objectiveFromSr(
  o: ResolvedAdaptOptions,
  scale: number,
  sr: tf.Tensor4D,
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  unadapted: tf.Tensor4D | undefined,
): tf.Scalar {
  return tf.tidy(() => {
    const y = o.toneInLoop ? toneMatchTensor(sr, x, scale) : sr;
    const rec = o.operator.reconstruct(y);
    const raw = rec.sub(x) as tf.Tensor4D;
    const residual = o.residualSigma > 0 ? gaussianBlur(raw, o.residualSigma) : raw;
    let loss = residual.mul(w).abs().mean() as tf.Scalar;
    if (o.lpips && o.lpipsWeight > 0) {
      const wx = x.mul(w) as tf.Tensor4D;
      const wrec = x.add(residual).mul(w) as tf.Tensor4D;
      loss = loss.add(o.lpips(wrec, wx).mul(o.lpipsWeight));
    }
    if (o.lpips && o.anchorWeight > 0 && unadapted) {
      loss = loss.add(o.lpips(y.clipByValue(0, 1) as tf.Tensor4D, unadapted).mul(o.anchorWeight));
    }
    return loss;
  });
}

/** Small seeded PRNG (mulberry32) so runs are reproducible; quality of randomness is irrelevant here. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickDistinct<T>(items: readonly T[], n: number, rng: () => number): T[] {
  const pool = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

function shuffle<T>(items: T[], rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
