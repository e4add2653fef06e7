import { besselJ1 } from './bessel-j1.js';

/** A square, odd-sized 2-D filter, row-major, summing to 1. */
export interface BlurKernel {
  readonly size: number;
  readonly data: Float64Array;
}

/** Anisotropic shape: standard deviations along the rotated axes and the rotation in radians. */
export interface KernelShape {
  readonly sigmaX: number;
  readonly sigmaY: number;
  readonly theta: number;
}

function normalise(size: number, f: (x: number, y: number) => number): BlurKernel {
  const data = new Float64Array(size * size);
  const r = (size - 1) / 2;
  let sum = 0;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const v = f(i - r, j - r);
      data[j * size + i] = v;
      sum += v;
    }
  }
  for (let k = 0; k < data.length; k++) data[k] /= sum;
  return { size, data };
}

/** Quadratic form x^T Sigma^-1 x for the rotated covariance of `shape`. */
function mahalanobis2(shape: KernelShape): (x: number, y: number) => number {
  const c = Math.cos(shape.theta);
  const s = Math.sin(shape.theta);
  const a = 1 / (shape.sigmaX * shape.sigmaX);
  const b = 1 / (shape.sigmaY * shape.sigmaY);
  return (x, y) => {
    const u = c * x + s * y;
    const v = -s * x + c * y;
    return u * u * a + v * v * b;
  };
}

/** Bivariate Gaussian exp(-q/2), q the Mahalanobis distance squared. */
export function gaussianKernel(size: number, shape: KernelShape): BlurKernel {
  const q = mahalanobis2(shape);
  return normalise(size, (x, y) => Math.exp(-0.5 * q(x, y)));
}

/**
 * Generalised Gaussian exp(-(q)^(beta/2) / 2): the usual shape parameter, so beta = 2 is the Gaussian, beta < 2
 * heavier tails, beta > 2 flatter tops. Real-ESRGAN writes the exponent as q^beta' with beta' = beta / 2, so its
 * range beta' in [0.5, 4] is beta in [1, 8] here.
 */
export function generalizedGaussianKernel(size: number, shape: KernelShape, beta: number): BlurKernel {
  const q = mahalanobis2(shape);
  return normalise(size, (x, y) => Math.exp(-0.5 * Math.pow(q(x, y), beta / 2)));
}

/** Plateau kernel 1 / (1 + q^beta): a flat top with a soft edge (Real-ESRGAN's definition, beta in [1, 2]). */
export function plateauKernel(size: number, shape: KernelShape, beta: number): BlurKernel {
  const q = mahalanobis2(shape);
  return normalise(size, (x, y) => 1 / (Math.pow(q(x, y), beta) + 1));
}

/**
 * Circular low-pass ("sinc") kernel: the ideal 2-D low-pass filter with cut-off `cutoff` (radians per sample,
 * in (0, pi]) truncated to `size`; it imitates ringing and overshoot artefacts.
 */
export function sincKernel(size: number, cutoff: number): BlurKernel {
  return normalise(size, (x, y) => {
    const r = Math.hypot(x, y);
    if (r === 0) return (cutoff * cutoff) / (4 * Math.PI);
    return (cutoff * besselJ1(cutoff * r)) / (2 * Math.PI * r);
  });
}

/** The identity filter (a 1x1 kernel). */
export const PULSE_KERNEL: BlurKernel = { size: 1, data: new Float64Array([1]) };
