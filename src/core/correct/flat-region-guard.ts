import { reflectIndex } from '../degrade/index.js';
import { LwayError } from '../errors.js';
import { lumaPlane } from '../image/index.js';
import { assertPixels, type Pixels } from '../pixels.js';
import { runSteps, type Steps } from '../cooperative-steps.js';

/**
 * The flat-region guard: adaptation may change an output's tone and shading everywhere, but fine texture only where
 * the LR has structure. LR-consistency fine-tuning learns to repaint the source's grain, and it shows in the flat
 * parts of a photo (sky, walls, skin), where the LR holds no detail to recover: the real-photo grain bench measured
 * adapted outputs with 1.2-5x the unadapted model's grain there. So, with d = adapted - reference (the reference is
 * the unadapted model's output under the same correction):
 *
 *   out = reference + m * d + (1 - m) * blur(d)
 *
 * where m in [0, 1] is 0 where the LR is flat and 1 where it has structure, and blur is a Gaussian of about two LR
 * pixels (the grain it must remove lives at one). Where the LR is flat the output keeps adaptation's smooth change
 * and the preset model's texture; elsewhere it is the adapted output unchanged. "Flat" is judged against the LR's
 * own noise: a pixel whose local standard deviation is within `flatBelow` noise sigmas is flat (its variation is
 * what noise explains), one above `detailAbove` is structure, with a smooth ramp between. On a clean LR (noise at
 * the 1-level floor) only truly flat areas count, and the guard changes little. Not in the paper (which shows no
 * grain measure); a decision of ours, measured in docs/lway-stage2-decisions.md section 10.
 *
 * Plain loops rather than tensors: the guard runs once per output on whole images, after tiling, and needs no GPU
 * memory for full-size float copies. A 4-megapixel output takes one to three seconds, so it runs in steps (one per
 * channel) that a cancellable caller can stop between.
 */
export interface FlatRegionGuardOptions {
  /** Local LR standard deviation, in noise sigmas, at or below which a pixel counts as flat. Default 1.5. */
  readonly flatBelow?: number;
  /** Local LR standard deviation, in noise sigmas, at or above which a pixel counts as structure. Default 3. */
  readonly detailAbove?: number;
  /** Gaussian sigma, in LR pixels, of the window the local standard deviation is taken over. Default 1. */
  readonly windowSigma?: number;
  /**
   * Gaussian sigma, in LR pixels, of the blur that keeps only the smooth part of adaptation's change. Default 2:
   * sigma 1 left a third of the repainted grain at the LR's pixel scale (the grain bench's coarse band).
   */
  readonly blurSigma?: number;
  /** Floor on the LR noise sigma (0-255 levels): 8-bit quantisation alone gives about 0.3. Default 1. */
  readonly minNoiseSigma?: number;
}

export const DEFAULT_FLAT_REGION_GUARD: Required<FlatRegionGuardOptions> = {
  flatBelow: 1.5,
  detailAbove: 3,
  windowSigma: 1,
  blurSigma: 2,
  minNoiseSigma: 1,
};

/** The LR's structure map: m in [0, 1] per LR pixel (0 flat, 1 structure), and the noise sigma it was judged by. */
export interface StructureMap {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly noiseSigma: number;
}

export function structureMap(lr: Pixels, options: FlatRegionGuardOptions = {}): StructureMap {
  assertPixels(lr, 'lr');
  const o = resolve(options);
  const { width: w, height: h } = lr;
  const y = lumaPlane(lr);
  const noiseSigma = Math.max(o.minNoiseSigma, haarNoiseSigma(y, w, h));
  const mean = gaussianBlurPlane(y, w, h, o.windowSigma);
  const sq = gaussianBlurPlane(
    y.map((v) => v * v),
    w,
    h,
    o.windowSigma,
  );
  const lo = o.flatBelow * noiseSigma;
  const hi = o.detailAbove * noiseSigma;
  const data = new Float32Array(w * h);
  for (let i = 0; i < data.length; i++) {
    const std = Math.sqrt(Math.max(0, sq[i] - mean[i] * mean[i]));
    const t = Math.min(1, Math.max(0, (std - lo) / (hi - lo)));
    data[i] = t * t * (3 - 2 * t); // smoothstep: no visible seam where the guard starts
  }
  return { data, width: w, height: h, noiseSigma };
}

/**
 * `adapted` with adaptation's fine-scale change removed where `lr` is flat (see the file's comment). `reference`
 * is the unadapted output under the same correction; both are `scale` x `lr`. Alpha comes from `adapted`.
 */
export function guardFlatRegions(
  lr: Pixels,
  adapted: Pixels,
  reference: Pixels,
  options: FlatRegionGuardOptions = {},
): Pixels {
  return runSteps(flatRegionGuardSteps(lr, adapted, reference, options));
}

/** {@link guardFlatRegions} as steps (one per channel, after the structure map), for a cancellable caller. */
export function* flatRegionGuardSteps(
  lr: Pixels,
  adapted: Pixels,
  reference: Pixels,
  options: FlatRegionGuardOptions = {},
): Steps<Pixels> {
  assertPixels(lr, 'lr');
  assertPixels(adapted, 'adapted');
  assertPixels(reference, 'reference');
  const scale = adapted.width / lr.width;
  if (!Number.isInteger(scale) || adapted.height !== lr.height * scale) {
    throw new LwayError(
      'BAD_INPUT',
      `adapted must be an integer multiple of the LR; got ${adapted.width}x${adapted.height} for ${lr.width}x${lr.height}`,
    );
  }
  if (reference.width !== adapted.width || reference.height !== adapted.height) {
    throw new LwayError(
      'BAD_INPUT',
      `reference must match adapted; got ${reference.width}x${reference.height} and ${adapted.width}x${adapted.height}`,
    );
  }
  const o = resolve(options);
  const m = upsampleBilinear(structureMap(lr, o), scale);
  yield;
  const { width: W, height: H, channels } = adapted;
  const { width: w, height: h } = lr;
  const n = W * H;
  const out = new Uint8ClampedArray(adapted.data);
  const low: Plane = { data: new Float32Array(w * h), width: w, height: h };
  const cell = 1 / (scale * scale);
  for (let c = 0; c < 3; c++) {
    // The smooth part of d = adapted - reference: d averaged over each LR cell, blurred at the LR's size and
    // brought back bilinearly. A blur of ~2 LR px at full size would cost scale^2 times more for the same field.
    low.data.fill(0);
    for (let Y = 0; Y < H; Y++) {
      const row = ((Y / scale) | 0) * w;
      for (let X = 0; X < W; X++) {
        const i = (Y * W + X) * channels + c;
        low.data[row + ((X / scale) | 0)] +=
          (adapted.data[i] - reference.data[(Y * W + X) * reference.channels + c]) * cell;
      }
    }
    // A last small blur at full size hides the bilinear field's kinks at LR-pixel spacing, which would otherwise
    // show as faint texture at the LR's pixel scale (the grain bench's coarse band).
    const smooth = gaussianBlurPlane(
      upsampleBilinear({ ...low, data: gaussianBlurPlane(low.data, w, h, o.blurSigma) }, scale),
      W,
      H,
      scale / 2,
    );
    for (let k = 0; k < n; k++) {
      if (m[k] >= 1) continue; // structure: the adapted output as is
      const i = k * channels + c;
      const d = adapted.data[i] - reference.data[k * reference.channels + c];
      // reference + m d + (1 - m) smooth(d), written as adapted minus the unwanted fine part.
      out[i] = Math.round(adapted.data[i] - (1 - m[k]) * (d - smooth[k]));
    }
    if (c < 2) yield;
  }
  return { data: out, width: W, height: H, channels };
}

function resolve(options: FlatRegionGuardOptions): Required<FlatRegionGuardOptions> {
  const o = { ...DEFAULT_FLAT_REGION_GUARD };
  for (const k of Object.keys(o) as (keyof FlatRegionGuardOptions)[]) {
    const v = options[k] ?? o[k];
    if (!(Number.isFinite(v) && v >= 0))
      throw new LwayError('BAD_INPUT', `${k} must be a finite number >= 0; got ${v}`);
    o[k] = v;
  }
  if (!(o.detailAbove > o.flatBelow)) {
    throw new LwayError(
      'BAD_INPUT',
      `detailAbove must exceed flatBelow; got ${o.detailAbove} and ${o.flatBelow}`,
    );
  }
  return o;
}

/** Donoho's MAD estimate on the finest Haar diagonal band, as adapt-noise-estimate.ts does on tensors. */
function haarNoiseSigma(y: Float32Array, w: number, h: number): number {
  const hh: number[] = [];
  for (let j = 0; j + 1 < h; j += 2) {
    for (let i = 0; i + 1 < w; i += 2) {
      const a = j * w + i;
      hh.push(Math.abs(y[a] - y[a + 1] - y[a + w] + y[a + w + 1]) / 2);
    }
  }
  if (hh.length === 0) return 0;
  hh.sort((a, b) => a - b);
  const mid = hh.length >> 1;
  return (hh.length % 2 ? hh[mid] : (hh[mid - 1] + hh[mid]) / 2) / 0.6745;
}

/** Separable Gaussian blur of one plane (reflect padding); sigma 0 copies. */
function gaussianBlurPlane(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma === 0) return src.slice();
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const xs = Int32Array.from({ length: w + 2 * r }, (_, x) => reflectIndex(x - r, w));
  const ys = Int32Array.from({ length: h + 2 * r }, (_, y) => reflectIndex(y - r, h));
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let t = 0; t < k.length; t++) acc += src[row + xs[x + t]] * k[t];
      tmp[row + x] = acc;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let t = 0; t < k.length; t++) acc += tmp[ys[y + t] * w + x] * k[t];
      out[y * w + x] = acc;
    }
  }
  return out;
}

/** One float plane. */
interface Plane {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** An LR-sized plane at output resolution, bilinear with half-pixel centres (edge-clamped). */
function upsampleBilinear(map: Plane, scale: number): Float32Array {
  const { width: w, height: h, data } = map;
  const W = w * scale;
  const H = h * scale;
  const out = new Float32Array(W * H);
  for (let Y = 0; Y < H; Y++) {
    const fy = Math.min(h - 1, Math.max(0, (Y + 0.5) / scale - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = fy - y0;
    for (let X = 0; X < W; X++) {
      const fx = Math.min(w - 1, Math.max(0, (X + 0.5) / scale - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = fx - x0;
      const top = data[y0 * w + x0] * (1 - tx) + data[y0 * w + x1] * tx;
      const bottom = data[y1 * w + x0] * (1 - tx) + data[y1 * w + x1] * tx;
      out[Y * W + X] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
