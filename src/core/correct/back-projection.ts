import { type FloatImage, resize } from '../degrade/index.js';

/**
 * Iterative back-projection (Irani & Peleg) with area downscaling and bicubic upscaling:
 *   y_{k+1} = y_k + bicubic_up(x - area_down(y_k)),
 * computed entirely at LR size. Both resamplers are linear, so y_K = y_0 + bicubic_up(c) with
 * c = sum_k r_k and r_k = x - area_down(y_0) - area_down(bicubic_up(c_k)); and area_down(bicubic_up(.)) is itself
 * a small separable LR filter with edge replication (bicubic clamps its taps to the edge, area never reads past
 * it), so an iteration costs an LR-sized filter instead of two HR-sized resamples. Returns c (LR-sized, planar);
 * apply it with {@link addUpscaledCorrection}. Bicubic is Keys a = -0.75 with half-pixel centres (PyTorch's).
 */
export function backProjectionField(
  lr: FloatImage,
  srDown: FloatImage,
  scale: number,
  iterations: number,
): FloatImage {
  if (lr.width !== srDown.width || lr.height !== srDown.height) {
    throw new RangeError(
      `backProjectionField: sizes differ (${lr.width}x${lr.height} vs ${srDown.width}x${srDown.height})`,
    );
  }
  const { width: w, height: h } = lr;
  const kernel = downUpKernel(scale);
  const c: FloatImage = { data: new Float32Array(lr.data.length), width: w, height: h };
  for (let k = 0; k < iterations; k++) {
    const cc = separableFilterReplicate(c, kernel);
    for (let i = 0; i < c.data.length; i++) c.data[i] += lr.data[i] - srDown.data[i] - cc.data[i];
  }
  return c;
}

/** y + bicubic_up(c) to y's size (new image). */
export function addUpscaledCorrection(y: FloatImage, c: FloatImage): FloatImage {
  const up = resize(c, y.width, y.height, 'bicubic');
  const out = new Float32Array(y.data.length);
  for (let i = 0; i < out.length; i++) out[i] = y.data[i] + up.data[i];
  return { data: out, width: y.width, height: y.height };
}

const kernels = new Map<number, Float64Array>();

/** The 1-D taps of area_down(bicubic_up(.)) at `scale`, centred (odd length). */
function downUpKernel(scale: number): Float64Array {
  const cached = kernels.get(scale);
  if (cached) return cached;
  // Impulse response on a line long enough that the edges do not reach the centre.
  const n = 15;
  const mid = (n - 1) / 2;
  const impulse: FloatImage = { data: new Float32Array(3 * n), width: n, height: 1 };
  impulse.data[mid] = 1;
  const response = resize(resize(impulse, n * scale, 1, 'bicubic'), n, 1, 'area');
  let radius = 0;
  for (let i = 0; i < n; i++)
    if (Math.abs(response.data[i]) > 1e-9) radius = Math.max(radius, Math.abs(i - mid));
  const taps = new Float64Array(2 * radius + 1);
  for (let t = -radius; t <= radius; t++) taps[t + radius] = response.data[mid + t];
  kernels.set(scale, taps);
  return taps;
}

/** Rows then columns with `taps` (odd length), indices clamped to the edge. */
function separableFilterReplicate(img: FloatImage, taps: Float64Array): FloatImage {
  const { width: w, height: h } = img;
  const r = (taps.length - 1) / 2;
  const n = w * h;
  const tmp = new Float32Array(img.data.length);
  const out = new Float32Array(img.data.length);
  for (let c = 0; c < 3; c++) {
    const o = c * n;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let t = -r; t <= r; t++) acc += taps[t + r] * img.data[o + y * w + clamp(x + t, w)];
        tmp[o + y * w + x] = acc;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let t = -r; t <= r; t++) acc += taps[t + r] * tmp[o + clamp(y + t, h) * w + x];
        out[o + y * w + x] = acc;
      }
    }
  }
  return { data: out, width: w, height: h };
}

const clamp = (i: number, n: number): number => (i < 0 ? 0 : i >= n ? n - 1 : i);
