import { LwayError, throwIfAborted } from '../errors.js';
import { type DegradationPresetName, createRng, type Rng, type RngState } from '../degrade/index.js';
import type { Lpips } from '../lpips/index.js';
import {
  synthesizeStage1Batch,
  type CropSampler,
  type Stage1BatchSource,
  type Stage1BatchSourceFactory,
} from './stage1-batch.js';
import { tf } from '../tf.js';
import { Stage1Adam } from './stage1-adam.js';
import {
  serializeStage1,
  type LoadedStage1,
  type Stage1Artifacts,
  type Stage1Networks,
} from './stage1-networks.js';

export type { CropSampler } from './stage1-batch.js';

/** What each step reports. */
export interface Stage1StepInfo {
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly l1: number;
  /** NaN when LPIPS is off. */
  readonly lpips: number;
  /** Wall time of this step (data synthesis included). */
  readonly seconds: number;
}

export interface Stage1TrainingOptions {
  /** Train until this step count (a resumed run continues from its saved step). */
  readonly steps: number;
  readonly batch: number;
  /** HR crop side; a multiple of the scale. */
  readonly crop: number;
  readonly learningRate: number;
  /** Weight of LPIPS in the loss (ignored without an Lpips instance). */
  readonly lpipsWeight: number;
  /** Relative frequency of each degradation preset. */
  readonly presetMix: Readonly<Partial<Record<DegradationPresetName, number>>>;
  /** Seeds the data stream (crops and degradations). */
  readonly seed: number;
  readonly sampleCrop: CropSampler;
  /**
   * Optional producer of batches off the main thread. It receives the trainer's RNG state and must reproduce
   * synthesizeStage1Batch's sequence, so results and checkpoints do not depend on whether it is used.
   */
  readonly batchSource?: Stage1BatchSourceFactory;
  readonly lpips?: Lpips | null;
  /** Called every `checkpointEvery` steps and at the end with serialised training state. */
  readonly checkpointEvery?: number;
  readonly onCheckpoint?: (artifacts: Stage1Artifacts) => Promise<void> | void;
  readonly onStep?: (info: Stage1StepInfo) => void;
  readonly signal?: AbortSignal;
}

export const DEFAULT_STAGE1_TRAINING_OPTIONS = {
  batch: 8,
  crop: 192,
  learningRate: 5e-4,
  lpipsWeight: 0.5,
  presetMix: { realesrgan: 0.7, bicubic: 0.1, 'blur-sigma2': 0.1, 'blur-noise-jpeg': 0.1 },
  seed: 1,
  checkpointEvery: 200,
} as const;

/** Training state stored in a checkpoint's manifest. */
interface TrainingRecord {
  step: number;
  rngState: RngState;
  adamT: number;
  seed: number;
  /** So that a resumed run keeps the mix it started with. */
  presetMix: Readonly<Partial<Record<DegradationPresetName, number>>>;
}

/**
 * Joint training of E and R (LWay stage 1): every step draws `batch` HR crops, degrades each with a preset drawn
 * from `presetMix`, and minimises L1(R(y, E(x)), x) + w * LPIPS(R(y, E(x)), x) with Adam. Resumable: checkpoints
 * hold the weights, Adam's moments, the step and the data RNG's state, so a resumed run is identical to an
 * uninterrupted one.
 */
export class Stage1Trainer {
  readonly adam: Stage1Adam;
  step = 0;
  private readonly rng: Rng;
  private source: Stage1BatchSource | undefined;
  private readonly names = new Map<string, string>();
  private readonly vars: tf.Variable[];

  constructor(
    readonly nets: Stage1Networks,
    readonly options: Stage1TrainingOptions,
  ) {
    const scale = nets.reconstructor.config.scale;
    if (!Number.isInteger(options.crop) || options.crop % scale !== 0 || options.crop / scale < 8) {
      throw new LwayError(
        'BAD_INPUT',
        `crop must be a multiple of ${scale} with crop / scale >= 8; got ${options.crop}`,
      );
    }
    if (!Number.isInteger(options.batch) || options.batch < 1) {
      throw new LwayError('BAD_INPUT', `batch must be a positive integer; got ${options.batch}`);
    }
    const params: Array<[string, tf.Variable]> = [
      ...nets.encoder.params.entries().map(([n, v]): [string, tf.Variable] => [`E/${n}`, v]),
      ...nets.reconstructor.params.entries().map(([n, v]): [string, tf.Variable] => [`R/${n}`, v]),
    ];
    for (const [n, v] of params) this.names.set(v.name, n);
    this.vars = params.map(([, v]) => v);
    this.adam = new Stage1Adam(params, options.learningRate);
    this.rng = createRng(options.seed);
  }

  /** Continues from a checkpoint loaded with loadStage1 (its `nets` must be this trainer's networks). */
  restore(loaded: LoadedStage1): void {
    if (this.source) throw new LwayError('BAD_INPUT', 'restore() must come before the first step');
    const t = loaded.manifest.training as TrainingRecord | undefined;
    if (!t)
      throw new LwayError('BAD_INPUT', 'this stage-1 file has no training state; resume needs a checkpoint');
    this.adam.restore(loaded.extra, t.adamT);
    this.rng.setState(t.rngState);
    this.step = t.step;
  }

  /** Serialises weights, Adam's moments, step and RNG state. */
  checkpoint(binName = 'checkpoint.bin'): Promise<Stage1Artifacts> {
    const training: TrainingRecord = {
      step: this.step,
      rngState: this.rng.getState(),
      adamT: this.adam.t,
      seed: this.options.seed,
      presetMix: this.options.presetMix,
    };
    return serializeStage1(this.nets, {
      binName,
      extra: this.adam.stateTensors(),
      training: { ...training },
    });
  }

  /** One batch of (HR, LR) pairs as NHWC tensors; the caller disposes them. Advances the data RNG. */
  async sampleBatch(): Promise<{ hr: tf.Tensor4D; lr: tf.Tensor4D }> {
    const { crop, batch, presetMix, batchSource } = this.options;
    const scale = this.nets.reconstructor.config.scale;
    const spec = { crop, batch, scale, presetMix };
    let data;
    if (batchSource) {
      this.source ??= batchSource(this.rng.getState(), spec);
      data = await this.source.next();
      this.rng.setState(data.rngState);
    } else {
      data = await synthesizeStage1Batch(this.rng, this.options.sampleCrop, spec);
    }
    const lrSide = crop / scale;
    return {
      hr: tf.tensor4d(data.hr, [batch, crop, crop, 3]),
      lr: tf.tensor4d(data.lr, [batch, lrSide, lrSide, 3]),
    };
  }

  /** Runs one optimisation step; returns the loss terms. */
  async trainStep(): Promise<{ loss: number; l1: number; lpips: number }> {
    const { hr, lr } = await this.sampleBatch();
    const lpips = this.options.lpips ?? null;
    const w = this.options.lpipsWeight;
    try {
      const terms: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const e = this.nets.encoder.encode(lr);
        const rec = this.nets.reconstructor.reconstruct(hr, e);
        const l1 = tf.mean(tf.abs(tf.sub(rec, lr)));
        terms.push(tf.keep(l1));
        if (!lpips || w === 0) return l1 as tf.Scalar;
        const p = tf.mean(lpips.distance(rec, lr));
        terms.push(tf.keep(p));
        return tf.add(l1, tf.mul(p, w)) as tf.Scalar;
      }, this.vars);
      const named = new Map<string, tf.Tensor>();
      for (const [varName, g] of Object.entries(grads)) named.set(this.names.get(varName)!, g);
      this.adam.apply(named);
      const [loss, l1, lp] = await Promise.all([value.data(), ...terms.map((t) => t.data())]);
      tf.dispose([value, ...Object.values(grads), ...terms]);
      this.step++;
      return { loss: loss[0], l1: l1[0], lpips: lp ? lp[0] : NaN };
    } finally {
      hr.dispose();
      lr.dispose();
    }
  }

  /** Trains until `options.steps`, checkpointing along the way and at the end. */
  async run(): Promise<void> {
    const { steps, checkpointEvery, onCheckpoint, onStep, signal } = this.options;
    while (this.step < steps) {
      throwIfAborted(signal);
      const t0 = performance.now();
      const r = await this.trainStep();
      if (!Number.isFinite(r.loss))
        throw new LwayError('DIVERGED', `stage-1 loss is ${r.loss} at step ${this.step}`);
      onStep?.({ step: this.step, steps, ...r, seconds: (performance.now() - t0) / 1000 });
      if (onCheckpoint && checkpointEvery && this.step % checkpointEvery === 0 && this.step < steps) {
        await onCheckpoint(await this.checkpoint());
      }
    }
    if (onCheckpoint) await onCheckpoint(await this.checkpoint());
  }

  /** Frees the optimizer state and the batch source (not the networks). */
  dispose(): void {
    this.source?.dispose();
    this.source = undefined;
    this.adam.dispose();
  }
}
