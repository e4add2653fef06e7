import { degradeImage, type DegradationPresetName } from '../degrade/index.js';
import { LwayError, throwIfAborted } from '../errors.js';
import type { Pixels } from '../pixels.js';
import { tf } from '../tf.js';
import { EVAL_SEED_BASE } from './stage1-evaluation.js';
import type { Stage1Networks } from './stage1-networks.js';

/** One embedding E(LR) of an image under one degradation. */
export interface DegradationEmbedding {
  readonly image: string;
  readonly preset: DegradationPresetName;
  readonly seed: number;
  readonly embedding: Float32Array;
}

/** A 2-D point of the projection, with what made it. */
export interface ProjectedEmbedding {
  readonly image: string;
  readonly preset: DegradationPresetName;
  readonly seed: number;
  readonly x: number;
  readonly y: number;
}

/** Result of {@link projectDegradationEmbeddings}. */
export interface EmbeddingProjection {
  readonly points: readonly ProjectedEmbedding[];
  /** Fraction of the total variance along each of the two principal axes. */
  readonly explained: readonly [number, number];
  /**
   * Nearest neighbours (cosine, full d-dimensional embedding). `nearestSamePreset`: for each point, its nearest
   * neighbour among the *other images'* embeddings shares its degradation preset (chance ~ 1 / presets).
   * `nearestSameImage`: its nearest neighbour among embeddings under *other presets* is the same image (chance ~
   * 1 / images). An embedding that carries degradation rather than content has the first high, the second low.
   */
  readonly nearestSamePreset: number;
  readonly nearestSameImage: number;
}

/** Options of {@link degradationEmbeddings}. */
export interface DegradationEmbeddingOptions {
  /** Degradation presets to apply to every image. */
  readonly presets: readonly DegradationPresetName[];
  /** Seeds per preset (image i, preset p, seed k uses seedBase + 1000 p + 100 k + i). Default 2. */
  readonly seedsPerPreset?: number;
  /** Default EVAL_SEED_BASE + 100_000 (held out: training draws from its own RNG stream). */
  readonly seedBase?: number;
  readonly signal?: AbortSignal;
  readonly onEmbedding?: (done: number, total: number) => void;
}

/** E(LR) of every image under every preset and seed. `images` must be HR with sides multiples of the scale. */
export async function degradationEmbeddings(
  nets: Stage1Networks,
  images: ReadonlyArray<{ readonly name: string; readonly pixels: Pixels }>,
  options: DegradationEmbeddingOptions,
): Promise<DegradationEmbedding[]> {
  const scale = nets.reconstructor.config.scale;
  const seeds = options.seedsPerPreset ?? 2;
  const base = options.seedBase ?? EVAL_SEED_BASE + 100_000;
  if (options.presets.length === 0) throw new LwayError('BAD_INPUT', 'presets must not be empty');
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new LwayError('BAD_INPUT', `seedsPerPreset must be an integer >= 1; got ${seeds}`);
  const total = images.length * options.presets.length * seeds;
  const out: DegradationEmbedding[] = [];
  for (const [i, im] of images.entries()) {
    for (const [p, preset] of options.presets.entries()) {
      for (let k = 0; k < seeds; k++) {
        throwIfAborted(options.signal);
        const seed = base + 1000 * p + 100 * k + i;
        const lr = degradeImage(im.pixels, { scale, preset, seed });
        const e = tf.tidy(() => {
          const t = tf.div(tf.tensor(lr.data, [1, lr.height, lr.width, lr.channels], 'int32'), 255);
          const rgb = lr.channels === 4 ? tf.slice(t, [0, 0, 0, 0], [-1, -1, -1, 3]) : t;
          return nets.encoder.encode(rgb as tf.Tensor4D);
        });
        const embedding = (await e.data()) as Float32Array;
        e.dispose();
        out.push({ image: im.name, preset, seed, embedding });
        options.onEmbedding?.(out.length, total);
      }
    }
  }
  return out;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * First two principal components of `rows` (each a d-vector) by power iteration with deflation on X^T X, applied as
 * X^T (X v) so the d x d covariance is never formed. Hand-written: ~40 lines, deterministic, and no maintained npm
 * PCA package we found handles 512-d float arrays without pulling a matrix library in. Returns each row's
 * coordinates and the fraction of variance each axis explains.
 */
export function pca2d(rows: readonly ArrayLike<number>[]): {
  coords: Array<[number, number]>;
  explained: [number, number];
} {
  const n = rows.length;
  if (n < 3) throw new LwayError('BAD_INPUT', `PCA needs at least 3 rows; got ${n}`);
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const x = rows.map((r) => Float64Array.from({ length: d }, (_, j) => r[j] - mean[j]));
  const totalVar = x.reduce((s, r) => s + dot(r, r), 0);
  const axes: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < 2; c++) {
    // deterministic start, not orthogonal to anything in particular
    let v = Float64Array.from({ length: d }, (_, j) => Math.sin(j * 12.9898 + c * 78.233) + 0.01);
    let lambda = 0;
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(d);
      for (const r of x) {
        const p = dot(r, v);
        for (let j = 0; j < d; j++) w[j] += p * r[j];
      }
      for (const a of axes) {
        const p = dot(a, w);
        for (let j = 0; j < d; j++) w[j] -= p * a[j];
      }
      const norm = Math.sqrt(dot(w, w));
      if (norm === 0) break;
      for (let j = 0; j < d; j++) w[j] /= norm;
      const delta = Math.abs(norm - lambda);
      lambda = norm;
      v = w;
      if (delta <= 1e-10 * Math.max(1, lambda)) break;
    }
    axes.push(v);
    variances.push(lambda);
  }
  return {
    coords: x.map((r) => [dot(r, axes[0]), dot(r, axes[1])]),
    explained: [totalVar > 0 ? variances[0] / totalVar : 0, totalVar > 0 ? variances[1] / totalVar : 0],
  };
}

/** PCA of the embeddings to 2-D, plus the nearest-neighbour statistics of {@link EmbeddingProjection}. */
export function projectDegradationEmbeddings(
  embeddings: readonly DegradationEmbedding[],
): EmbeddingProjection {
  const { coords, explained } = pca2d(embeddings.map((e) => e.embedding));
  const unit = embeddings.map((e) => {
    const v = Float64Array.from(e.embedding);
    const n = Math.sqrt(dot(v, v)) || 1;
    return v.map((a) => a / n);
  });
  const nearest = (i: number, eligible: (j: number) => boolean): number => {
    let best = -1;
    let bestSim = -Infinity;
    for (let j = 0; j < unit.length; j++) {
      if (j === i || !eligible(j)) continue;
      const sim = dot(unit[i], unit[j]);
      if (sim > bestSim) {
        bestSim = sim;
        best = j;
      }
    }
    return best;
  };
  let samePreset = 0;
  let sameImage = 0;
  let presetTrials = 0;
  let imageTrials = 0;
  for (let i = 0; i < unit.length; i++) {
    const e = embeddings[i];
    const a = nearest(i, (j) => embeddings[j].image !== e.image);
    if (a >= 0) {
      presetTrials++;
      if (embeddings[a].preset === e.preset) samePreset++;
    }
    const b = nearest(i, (j) => embeddings[j].preset !== e.preset);
    if (b >= 0) {
      imageTrials++;
      if (embeddings[b].image === e.image) sameImage++;
    }
  }
  return {
    points: embeddings.map((e, i) => ({
      image: e.image,
      preset: e.preset,
      seed: e.seed,
      x: coords[i][0],
      y: coords[i][1],
    })),
    explained,
    nearestSamePreset: presetTrials ? samePreset / presetTrials : NaN,
    nearestSameImage: imageTrials ? sameImage / imageTrials : NaN,
  };
}
