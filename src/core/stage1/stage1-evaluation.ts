import {
  degradeImage,
  type DegradationPresetName,
  floatImageFromPixels,
  floatImageToPixels,
  resize,
} from '../degrade/index.js';
import { LwayError, throwIfAborted } from '../errors.js';
import { psnr } from '../metrics/index.js';
import type { Pixels } from '../pixels.js';
import { tf } from '../tf.js';
import type { Stage1Networks } from './stage1-networks.js';

/** Seeds of evaluation degradations start here; training draws its data from `createRng(seed)` streams instead. */
export const EVAL_SEED_BASE = 900_000;

export interface Stage1EvalOptions {
  /** Preset used to make each LR. Default `realesrgan`. */
  readonly preset?: DegradationPresetName;
  /** Image i is degraded with seed seedBase + i (and seedBase + 50_000 + i for the mismatched embedding). */
  readonly seedBase?: number;
  readonly signal?: AbortSignal;
  readonly onImage?: (result: Stage1EvalImageResult, index: number, total: number) => void;
}

/** PSNR (dB, RGB, vs the degraded LR) of R and of the baselines on one image. */
export interface Stage1EvalImageResult {
  readonly name: string;
  /** R(HR, E(LR)). */
  readonly reconstructed: number;
  /** Area (box) downscale of HR. */
  readonly area: number;
  /** Antialiased bicubic downscale of HR. */
  readonly bicubic: number;
  /** R(HR, E(LR')) with LR' another image under another degradation (does the embedding carry information?). */
  readonly wrongEmbedding: number;
}

export interface Stage1EvalSummary {
  readonly images: readonly Stage1EvalImageResult[];
  readonly mean: Omit<Stage1EvalImageResult, 'name'>;
}

/** `p` cropped (top-left kept) so both sides are multiples of `s`. */
export const cropToMultiple = (p: Pixels, s: number): Pixels => {
  const w = p.width - (p.width % s);
  const h = p.height - (p.height % s);
  if (w === p.width && h === p.height) return p;
  const data = new Uint8Array(w * h * p.channels);
  for (let y = 0; y < h; y++)
    data.set(p.data.subarray(y * p.width * p.channels, (y * p.width + w) * p.channels), y * w * p.channels);
  return { data, width: w, height: h, channels: p.channels };
};

const toTensor = (p: Pixels): tf.Tensor4D =>
  tf.tidy(() => {
    const t = tf.tensor(p.data, [1, p.height, p.width, p.channels], 'int32');
    return tf.div(p.channels === 4 ? tf.slice(t, [0, 0, 0, 0], [-1, -1, -1, 3]) : t, 255) as tf.Tensor4D;
  });

async function toPixels(t: tf.Tensor4D): Promise<Pixels> {
  const [, h, w] = t.shape;
  const data = await t.data();
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(data[i] * 255)));
  return { data: out, width: w, height: h, channels: 3 };
}

/** Scores R(HR, E(LR)), the downscales and R(HR, E(otherLr)) against `lr`. */
async function scorePair(
  nets: Stage1Networks,
  name: string,
  hr: Pixels,
  lr: Pixels,
  otherLr: Pixels,
): Promise<Stage1EvalImageResult> {
  const hrF = floatImageFromPixels(hr);
  const area = floatImageToPixels(resize(hrF, lr.width, lr.height, 'area'));
  const bicubic = floatImageToPixels(resize(hrF, lr.width, lr.height, 'bicubic', { antialias: true }));
  const tensors = [toTensor(hr), toTensor(lr), toTensor(otherLr)];
  try {
    const [hrT, lrT, otherT] = tensors;
    const rec = tf.tidy(() => nets.reconstructor.reconstruct(hrT, nets.encoder.encode(lrT)));
    tensors.push(rec);
    const wrong = tf.tidy(() => nets.reconstructor.reconstruct(hrT, nets.encoder.encode(otherT)));
    tensors.push(wrong);
    return {
      name,
      reconstructed: psnr(await toPixels(rec), lr),
      area: psnr(area, lr),
      bicubic: psnr(bicubic, lr),
      wrongEmbedding: psnr(await toPixels(wrong), lr),
    };
  } finally {
    tf.dispose(tensors);
  }
}

function summarise(results: readonly Stage1EvalImageResult[]): Stage1EvalSummary {
  const avg = (k: keyof Omit<Stage1EvalImageResult, 'name'>) =>
    results.reduce((a, r) => a + r[k], 0) / results.length;
  return {
    images: results,
    mean: {
      reconstructed: avg('reconstructed'),
      area: avg('area'),
      bicubic: avg('bicubic'),
      wrongEmbedding: avg('wrongEmbedding'),
    },
  };
}

/**
 * Held-out evaluation of E and R: each HR image is degraded with a seed training never uses, and R(HR, E(LR)) is
 * compared with that LR, beside two baselines (plain downscales; R with a mismatched embedding).
 */
export async function evaluateStage1(
  nets: Stage1Networks,
  images: ReadonlyArray<{ readonly name: string; readonly pixels: Pixels }>,
  options: Stage1EvalOptions = {},
): Promise<Stage1EvalSummary> {
  if (images.length < 2)
    throw new LwayError('BAD_INPUT', `evaluation needs at least 2 images; got ${images.length}`);
  const scale = nets.reconstructor.config.scale;
  const preset = options.preset ?? 'realesrgan';
  const seedBase = options.seedBase ?? EVAL_SEED_BASE;
  const hrs = images.map((im) => cropToMultiple(im.pixels, scale));
  const results: Stage1EvalImageResult[] = [];
  for (let i = 0; i < hrs.length; i++) {
    throwIfAborted(options.signal);
    const lr = degradeImage(hrs[i], { scale, preset, seed: seedBase + i });
    const j = (i + 1) % hrs.length;
    const otherLr = degradeImage(hrs[j], { scale, preset, seed: seedBase + 50_000 + j });
    const r = await scorePair(nets, images[i].name, hrs[i], lr, otherLr);
    results.push(r);
    options.onImage?.(r, i, hrs.length);
  }
  return summarise(results);
}

/** A real LR/HR pair: HR is exactly `scale` x LR on both sides. */
export interface Stage1EvalPair {
  readonly name: string;
  readonly hr: Pixels;
  readonly lr: Pixels;
}

/**
 * The same evaluation on real pairs (e.g. City100's camera LR/HR): R(HR, E(LR)) vs the real LR, beside the area
 * and bicubic downscales of HR and R fed the next pair's embedding. Throws BAD_INPUT when a pair's sizes do not
 * match the reconstructor's scale or there are fewer than 2 pairs.
 */
export async function evaluateStage1Pairs(
  nets: Stage1Networks,
  pairs: readonly Stage1EvalPair[],
  options: Pick<Stage1EvalOptions, 'signal' | 'onImage'> = {},
): Promise<Stage1EvalSummary> {
  if (pairs.length < 2)
    throw new LwayError('BAD_INPUT', `evaluation needs at least 2 pairs; got ${pairs.length}`);
  const scale = nets.reconstructor.config.scale;
  for (const p of pairs) {
    if (p.hr.width !== p.lr.width * scale || p.hr.height !== p.lr.height * scale) {
      throw new LwayError(
        'BAD_INPUT',
        `${p.name}: HR must be ${scale}x the LR; got LR ${p.lr.width}x${p.lr.height}, HR ${p.hr.width}x${p.hr.height}`,
      );
    }
  }
  const results: Stage1EvalImageResult[] = [];
  for (let i = 0; i < pairs.length; i++) {
    throwIfAborted(options.signal);
    const other = pairs[(i + 1) % pairs.length].lr;
    const r = await scorePair(nets, pairs[i].name, pairs[i].hr, pairs[i].lr, other);
    results.push(r);
    options.onImage?.(r, i, pairs.length);
  }
  return summarise(results);
}
