import { PULSE_KERNEL, sincKernel } from './blur-kernels.js';
import { addGaussianNoise, addPoissonNoise } from './add-noise.js';
import { filter2d } from './filter2d.js';
import { clamp01, type FloatImage } from './float-image.js';
import { jpegCompress } from './jpeg-compress.js';
import type { Rng } from './prng.js';
import {
  FIRST_BLUR_RANGES,
  SECOND_BLUR_RANGES,
  randomBlurKernel,
  randomOddSize,
  type BlurStageRanges,
} from './random-blur-kernel.js';
import { RESIZE_MODES, resize } from './resize.js';

/** Ranges of one degradation order: resize, noise and JPEG after the blur. */
export interface DegradationOrderRanges {
  readonly blur: BlurStageRanges;
  /** Probabilities of [up, down, keep]. */
  readonly resizeProb: readonly [number, number, number];
  /** Scale factor range: up draws in [1, max], down in [min, 1]. */
  readonly resizeRange: readonly [number, number];
  /** Probability of Gaussian noise; Poisson otherwise. */
  readonly gaussianNoiseProb: number;
  /** Gaussian sigma range in 8-bit levels. */
  readonly noiseRange: readonly [number, number];
  readonly poissonScaleRange: readonly [number, number];
  readonly grayNoiseProb: number;
  readonly jpegRange: readonly [number, number];
}

/** Every range of the second-order pipeline. Defaults: Real-ESRGAN's `train_realesrgan_x4plus.yml`. */
export interface SecondOrderOptions {
  readonly first: DegradationOrderRanges;
  readonly second: DegradationOrderRanges & { readonly blurProb: number };
  /** Probability of the final sinc filter (else none); its cut-off is drawn in [pi/3, pi], size 7-21. */
  readonly finalSincProb: number;
}

export const DEFAULT_SECOND_ORDER_OPTIONS: SecondOrderOptions = {
  first: {
    blur: FIRST_BLUR_RANGES,
    resizeProb: [0.2, 0.7, 0.1],
    resizeRange: [0.15, 1.5],
    gaussianNoiseProb: 0.5,
    noiseRange: [1, 30],
    poissonScaleRange: [0.05, 3],
    grayNoiseProb: 0.4,
    jpegRange: [30, 95],
  },
  second: {
    blur: SECOND_BLUR_RANGES,
    blurProb: 0.8,
    resizeProb: [0.3, 0.4, 0.3],
    resizeRange: [0.3, 1.2],
    gaussianNoiseProb: 0.5,
    noiseRange: [1, 25],
    poissonScaleRange: [0.05, 2.5],
    grayNoiseProb: 0.4,
    jpegRange: [30, 95],
  },
  finalSincProb: 0.8,
};

function randomResizeFactor(rng: Rng, r: DegradationOrderRanges): number {
  const kind = rng.choice(r.resizeProb);
  if (kind === 0) return rng.uniform(1, r.resizeRange[1]);
  if (kind === 1) return rng.uniform(r.resizeRange[0], 1);
  return 1;
}

function randomNoise(img: FloatImage, rng: Rng, r: DegradationOrderRanges): FloatImage {
  const gray = rng.next() < r.grayNoiseProb;
  if (rng.next() < r.gaussianNoiseProb) {
    return addGaussianNoise(img, rng, rng.uniform(r.noiseRange[0], r.noiseRange[1]) / 255, gray);
  }
  return addPoissonNoise(img, rng, rng.uniform(r.poissonScaleRange[0], r.poissonScaleRange[1]), gray);
}

function randomJpeg(img: FloatImage, rng: Rng, r: DegradationOrderRanges): FloatImage {
  return jpegCompress(clamp01(img), rng.uniform(r.jpegRange[0], r.jpegRange[1]));
}

const randomMode = (rng: Rng) => RESIZE_MODES[rng.int(0, RESIZE_MODES.length - 1)];

/**
 * Real-ESRGAN's second-order degradation (Wang et al. 2021, realesrgan_model.feed_data), same stage order:
 * blur -> random resize -> noise -> JPEG; then, with probability blurProb, blur again -> random resize (relative to
 * the target size) -> noise; then in random order either [resize to HR/scale + final sinc, JPEG] or
 * [JPEG, resize + final sinc]. Returns a float image of floor(HR/scale) in [0, 1], 8-bit quantised.
 * Not done (unneeded for R's training pairs): the USM sharpening of the ground truth and the 21x21 kernel padding.
 */
export function secondOrderDegradation(
  hr: FloatImage,
  scale: number,
  rng: Rng,
  options: SecondOrderOptions = DEFAULT_SECOND_ORDER_OPTIONS,
): FloatImage {
  const outW = Math.floor(hr.width / scale);
  const outH = Math.floor(hr.height / scale);
  const { first, second } = options;
  // Kernels are drawn up front, in the dataset loader's order, so the parameters of a seed do not depend on sizes.
  const kernel1 = randomBlurKernel(rng, first.blur);
  const kernel2 = randomBlurKernel(rng, second.blur);
  const finalSinc =
    rng.next() < options.finalSincProb
      ? sincKernel(randomOddSize(rng, [7, 21]), rng.uniform(Math.PI / 3, Math.PI))
      : PULSE_KERNEL;

  // first order
  let out = filter2d(hr, kernel1);
  let f = randomResizeFactor(rng, first);
  out = resize(
    out,
    Math.max(1, Math.floor(out.width * f)),
    Math.max(1, Math.floor(out.height * f)),
    randomMode(rng),
  );
  out = randomNoise(out, rng, first);
  out = randomJpeg(out, rng, first);

  // second order
  if (rng.next() < second.blurProb) out = filter2d(out, kernel2);
  f = randomResizeFactor(rng, second);
  out = resize(
    out,
    Math.max(1, Math.floor((hr.width / scale) * f)),
    Math.max(1, Math.floor((hr.height / scale) * f)),
    randomMode(rng),
  );
  out = randomNoise(out, rng, second);

  if (rng.next() < 0.5) {
    out = filter2d(resize(out, outW, outH, randomMode(rng)), finalSinc);
    out = randomJpeg(out, rng, second);
  } else {
    out = randomJpeg(out, rng, second);
    out = filter2d(resize(out, outW, outH, randomMode(rng)), finalSinc);
  }
  return quantise(out);
}

/** Clamps and rounds to 8-bit levels in place, as Real-ESRGAN does at the end. */
export function quantise(img: FloatImage): FloatImage {
  const d = clamp01(img).data;
  for (let i = 0; i < d.length; i++) d[i] = Math.round(d[i] * 255) / 255;
  return img;
}
