import type { FloatImage } from '../degrade/index.js';

/** Per-channel affine map out = gain * in + offset (planar RGB order). */
export interface ToneMatch {
  readonly gain: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
}

export const IDENTITY_TONE: ToneMatch = { gain: [1, 1, 1], offset: [0, 0, 0] };

/**
 * Least-squares per-channel affine fit so that gain * srDown + offset matches `lr` (both LR-sized planar images,
 * srDown = area-downscaled SR output). Area downscaling is linear, so the same map applied to the SR output makes
 * its downscale match the LR as closely as an affine map can: this is the "tone" control of the quality bench and
 * the first half of the quick fix. A channel with (near) no variance in srDown keeps gain 1 and only shifts.
 */
export function fitToneMatch(lr: FloatImage, srDown: FloatImage): ToneMatch {
  if (lr.width !== srDown.width || lr.height !== srDown.height) {
    throw new RangeError(
      `fitToneMatch: sizes differ (${lr.width}x${lr.height} vs ${srDown.width}x${srDown.height})`,
    );
  }
  const n = lr.width * lr.height;
  const gain: number[] = [];
  const offset: number[] = [];
  for (let c = 0; c < 3; c++) {
    let sx = 0;
    let sd = 0;
    for (let i = c * n; i < (c + 1) * n; i++) {
      sx += lr.data[i];
      sd += srDown.data[i];
    }
    const mx = sx / n;
    const md = sd / n;
    let cov = 0;
    let varD = 0;
    for (let i = c * n; i < (c + 1) * n; i++) {
      const dd = srDown.data[i] - md;
      cov += dd * (lr.data[i] - mx);
      varD += dd * dd;
    }
    // 1e-6 per pixel ~ a standard deviation of 0.26/255: below that the slope is noise.
    const a = varD > 1e-6 * n ? cov / varD : 1;
    gain.push(a);
    offset.push(mx - a * md);
  }
  return { gain: gain as unknown as ToneMatch['gain'], offset: offset as unknown as ToneMatch['offset'] };
}

/** Applies `tone` to a planar image (new image; values are not clamped). */
export function applyToneMatch(img: FloatImage, tone: ToneMatch): FloatImage {
  const n = img.width * img.height;
  const out = new Float32Array(img.data.length);
  for (let c = 0; c < 3; c++) {
    const a = tone.gain[c];
    const b = tone.offset[c];
    for (let i = c * n; i < (c + 1) * n; i++) out[i] = a * img.data[i] + b;
  }
  return { data: out, width: img.width, height: img.height };
}
