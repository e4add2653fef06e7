import { LwayError } from '../errors.js';
import { assertPixels, type Pixels } from '../pixels.js';
import { rgbToY } from './rgb-to-y.js';

/**
 * Options for {@link ssim}. `channel`: 'rgb' averages the SSIM of R, G and B; 'y' measures BT.601 luma
 * (see {@link rgbToY}). `border` crops pixels from every side first (SR papers crop `scale`).
 */
export interface SsimOptions {
  readonly channel?: 'rgb' | 'y';
  readonly border?: number;
}

// Wang, Bovik, Sheikh & Simoncelli 2004: 11x11 Gaussian window, sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255.
const WINDOW_RADIUS = 5;
const WINDOW_SIGMA = 1.5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/**
 * Mean SSIM per the standard definition (Gaussian-weighted local statistics over valid 11x11 windows, no padding),
 * in [-1, 1]; 1 for identical images. Hand-written: a few loops over small crops, and no maintained npm package
 * implements this exact convention on our Pixels type without canvas. Throws BAD_INPUT on a size mismatch or when
 * the (cropped) image is under 11x11.
 */
export function ssim(a: Pixels, b: Pixels, options: SsimOptions = {}): number {
  assertPixels(a, 'a');
  assertPixels(b, 'b');
  if (a.width !== b.width || a.height !== b.height) {
    throw new LwayError(
      'BAD_INPUT',
      `ssim needs equal sizes; got ${a.width}x${a.height} and ${b.width}x${b.height}`,
    );
  }
  const channel = options.channel ?? 'rgb';
  const border = options.border ?? 0;
  const w = a.width - 2 * border;
  const h = a.height - 2 * border;
  if (!Number.isInteger(border) || border < 0 || w < 2 * WINDOW_RADIUS + 1 || h < 2 * WINDOW_RADIUS + 1) {
    throw new LwayError(
      'BAD_INPUT',
      `ssim needs at least 11x11 pixels after a border crop; got ${a.width}x${a.height} with border ${border}`,
    );
  }
  if (channel === 'y') {
    return ssimPlane(crop(rgbToY(a), a.width, border, w, h), crop(rgbToY(b), b.width, border, w, h), w, h);
  }
  if (channel !== 'rgb')
    throw new LwayError('BAD_INPUT', `ssim channel must be 'rgb' or 'y'; got ${channel}`);
  let total = 0;
  for (let c = 0; c < 3; c++) total += ssimPlane(plane(a, c, border, w, h), plane(b, c, border, w, h), w, h);
  return total / 3;
}

function plane(p: Pixels, c: number, border: number, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++)
      out[y * w + x] = p.data[((y + border) * p.width + x + border) * p.channels + c];
  }
  return out;
}

function crop(src: Float64Array, srcWidth: number, border: number, w: number, h: number): Float64Array {
  if (border === 0) return src;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    out.set(src.subarray((y + border) * srcWidth + border, (y + border) * srcWidth + border + w), y * w);
  return out;
}

function gaussianWindow(): Float64Array {
  const g = new Float64Array(2 * WINDOW_RADIUS + 1);
  let sum = 0;
  for (let i = -WINDOW_RADIUS; i <= WINDOW_RADIUS; i++) {
    g[i + WINDOW_RADIUS] = Math.exp(-(i * i) / (2 * WINDOW_SIGMA * WINDOW_SIGMA));
    sum += g[i + WINDOW_RADIUS];
  }
  return g.map((v) => v / sum);
}

/** Separable 'valid' filtering with the Gaussian window: output is (w - 10) x (h - 10). */
function filterValid(src: Float64Array, w: number, h: number, g: Float64Array): Float64Array {
  const k = g.length;
  const ow = w - k + 1;
  const oh = h - k + 1;
  const tmp = new Float64Array(ow * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += g[i] * src[y * w + x + i];
      tmp[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += g[i] * tmp[(y + i) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

function ssimPlane(x: Float64Array, y: Float64Array, w: number, h: number): number {
  const g = gaussianWindow();
  const n = w * h;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const mx = filterValid(x, w, h, g);
  const my = filterValid(y, w, h, g);
  const sxx = filterValid(xx, w, h, g);
  const syy = filterValid(yy, w, h, g);
  const sxy = filterValid(xy, w, h, g);
  let total = 0;
  for (let i = 0; i < mx.length; i++) {
    const vx = sxx[i] - mx[i] * mx[i];
    const vy = syy[i] - my[i] * my[i];
    const cov = sxy[i] - mx[i] * my[i];
    total +=
      ((2 * mx[i] * my[i] + C1) * (2 * cov + C2)) / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
  }
  return total / mx.length;
}
