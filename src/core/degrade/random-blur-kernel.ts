import {
  gaussianKernel,
  generalizedGaussianKernel,
  plateauKernel,
  sincKernel,
  type BlurKernel,
} from './blur-kernels.js';
import type { Rng } from './prng.js';

export type KernelType =
  'iso' | 'aniso' | 'generalized_iso' | 'generalized_aniso' | 'plateau_iso' | 'plateau_aniso';
export const KERNEL_TYPES: readonly KernelType[] = [
  'iso',
  'aniso',
  'generalized_iso',
  'generalized_aniso',
  'plateau_iso',
  'plateau_aniso',
];

/** Ranges of one blur stage (Real-ESRGAN's `realesrgan_dataset` settings for x4plus). */
export interface BlurStageRanges {
  /** Probability of each entry of KERNEL_TYPES. */
  readonly kernelProb: readonly number[];
  /** Probability of a sinc kernel instead. */
  readonly sincProb: number;
  readonly sigma: readonly [number, number];
  /** Generalised-Gaussian shape in the usual convention (2 = Gaussian); see generalizedGaussianKernel. */
  readonly betaG: readonly [number, number];
  readonly betaP: readonly [number, number];
  /** Odd kernel sizes drawn uniformly from [min, max]. */
  readonly kernelSize: readonly [number, number];
}

/** Real-ESRGAN x4plus, first blur: sigma 0.2-3, beta_g' 0.5-4 (= 1-8 here), beta_p 1-2, sinc 10 %, size 7-21. */
export const FIRST_BLUR_RANGES: BlurStageRanges = {
  kernelProb: [0.45, 0.25, 0.12, 0.03, 0.12, 0.03],
  sincProb: 0.1,
  sigma: [0.2, 3],
  betaG: [1, 8],
  betaP: [1, 2],
  kernelSize: [7, 21],
};

/** Real-ESRGAN x4plus, second blur: as the first with sigma 0.2-1.5. */
export const SECOND_BLUR_RANGES: BlurStageRanges = { ...FIRST_BLUR_RANGES, sigma: [0.2, 1.5] };

/** Draws an odd size in [min, max]. */
export function randomOddSize(rng: Rng, range: readonly [number, number]): number {
  const lo = (range[0] - 1) / 2;
  const hi = (range[1] - 1) / 2;
  return 2 * rng.int(lo, hi) + 1;
}

/** Real-ESRGAN's beta draw: half the time below the Gaussian-like middle value, half above. */
function randomBeta(rng: Rng, range: readonly [number, number], middle: number): number {
  return rng.next() < 0.5 ? rng.uniform(range[0], middle) : rng.uniform(middle, range[1]);
}

/** A random sinc kernel: cut-off in [pi/3, pi] for small kernels, [pi/5, pi] from size 13 up. */
export function randomSincKernel(rng: Rng, size: number): BlurKernel {
  const cutoff = size < 13 ? rng.uniform(Math.PI / 3, Math.PI) : rng.uniform(Math.PI / 5, Math.PI);
  return sincKernel(size, cutoff);
}

/** One blur kernel as Real-ESRGAN draws it for a stage. */
export function randomBlurKernel(rng: Rng, ranges: BlurStageRanges): BlurKernel {
  const size = randomOddSize(rng, ranges.kernelSize);
  if (rng.next() < ranges.sincProb) return randomSincKernel(rng, size);
  const type = KERNEL_TYPES[rng.choice(ranges.kernelProb)];
  const iso = type.endsWith('iso') && !type.endsWith('aniso');
  const sigmaX = rng.uniform(ranges.sigma[0], ranges.sigma[1]);
  const sigmaY = iso ? sigmaX : rng.uniform(ranges.sigma[0], ranges.sigma[1]);
  const theta = iso ? 0 : rng.uniform(-Math.PI, Math.PI);
  const shape = { sigmaX, sigmaY, theta };
  if (type.startsWith('generalized'))
    return generalizedGaussianKernel(size, shape, randomBeta(rng, ranges.betaG, 2));
  if (type.startsWith('plateau')) return plateauKernel(size, shape, randomBeta(rng, ranges.betaP, 1));
  return gaussianKernel(size, shape);
}
