import { LwayError } from '../errors.js';
import { assertPixels, type Pixels } from '../pixels.js';
import { tf } from '../tf.js';
import { pixelsToTensor } from '../image/index.js';

/**
 * Options for {@link haarWeightMap}.
 * - `strength` s in [0, 1]: W_s = (1 - s) + s * W, so s = 0 gives all ones (plain L1) and s = 1 the raw map.
 * - `percentile` in (0, 1]: the map is divided by this quantile of its own values and clipped to 1, so a single
 *   strong edge does not flatten everything else (the maximum would). 0.99 by default.
 */
export interface HaarWeightMapOptions {
  readonly strength?: number;
  readonly percentile?: number;
}

export const DEFAULT_HAAR_WEIGHT_MAP_OPTIONS: Required<HaarWeightMapOptions> = {
  strength: 1,
  percentile: 0.99,
};

/** A single-channel float map in [0, 1], row-major, for display. */
export interface WeightMap {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Fills defaults and validates; throws BAD_INPUT naming the value received. */
export function resolveHaarWeightMapOptions(
  options: HaarWeightMapOptions = {},
): Required<HaarWeightMapOptions> {
  const o = { ...DEFAULT_HAAR_WEIGHT_MAP_OPTIONS, ...options };
  if (!(o.strength >= 0 && o.strength <= 1)) {
    throw new LwayError('BAD_INPUT', `strength must be in [0, 1]; got ${o.strength}`);
  }
  if (!(o.percentile > 0 && o.percentile <= 1)) {
    throw new LwayError('BAD_INPUT', `percentile must be in (0, 1]; got ${o.percentile}`);
  }
  return o;
}

/**
 * LWay's high-frequency weight map W_s for an LR batch (NHWC RGB in [0, 1]); returns [N, H, W, 1] in [1 - s, 1].
 *
 * Choices:
 * - Luma only (BT.601 Y): edges and texture live in luma, and chroma detail in a degraded LR is mostly noise or JPEG
 *   ringing, so one map weights all three channels alike.
 * - One level of the orthonormal Haar DWT, cycle-spun: the detail norm sqrt(LH^2 + HL^2 + HH^2) is computed for the
 *   2x2 block at every offset (the undecimated transform) and each pixel takes the mean over the four blocks that
 *   contain it. The decimated DWT is half-res and phase-dependent (an edge between two blocks vanishes); this is its
 *   shift-invariant average, already at LR size, so no resize is needed. Sides are edge-padded.
 * - Normalised per image by its `percentile` quantile (0.99) and clipped to 1, so one strong edge does not flatten
 *   the rest as the maximum would. A flat image has W = 0, hence W_s = 1 - s everywhere.
 * The caller owns the result; `lr` is not disposed.
 */
export async function haarWeightMap(
  lr: tf.Tensor4D,
  options: HaarWeightMapOptions = {},
): Promise<tf.Tensor4D> {
  const { strength, percentile } = resolveHaarWeightMapOptions(options);
  const [n, h, w] = lr.shape;
  if (strength === 0) return tf.ones([n, h, w, 1]);
  const detail = haarDetailNorm(lr);
  try {
    const values = await detail.data();
    const per = values.length / n;
    const scales: number[] = [];
    for (let i = 0; i < n; i++) {
      const q = quantile(values.subarray(i * per, (i + 1) * per), percentile);
      scales.push(q > 0 ? 1 / q : 0);
    }
    return tf.tidy(() => {
      const normalised = tf.minimum(detail.mul(tf.tensor4d(scales, [n, 1, 1, 1])), 1);
      return normalised.mul(strength).add(1 - strength) as tf.Tensor4D;
    });
  } finally {
    detail.dispose();
  }
}

/** Cycle-spun Haar detail norm of luma per pixel, [N, H, W, 1]. */
function haarDetailNorm(lr: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const y = lr.mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(3, true) as tf.Tensor4D;
    // Filters over the block [a b; c d] in [kh, kw, in, out] order: LH = (a+b-c-d)/2, HL = (a-b+c-d)/2, HH = (a-b-c+d)/2.
    const filters = tf.tensor4d(
      [
        [[[0.5, 0.5, 0.5]], [[0.5, -0.5, -0.5]]],
        [[[-0.5, 0.5, -0.5]], [[-0.5, -0.5, 0.5]]],
      ],
      [2, 2, 1, 3],
    );
    // Block norms at every offset (block (i, j) covers rows i..i+1, cols j..j+1), then the mean over the 4 blocks
    // holding each pixel.
    const bands = tf.conv2d(padEdge(y, 0, 1), filters, 1, 'valid');
    const norms = bands.square().sum(3, true).sqrt() as tf.Tensor4D;
    return tf.avgPool(padEdge(norms, 1, 0), 2, 1, 'valid') as tf.Tensor4D;
  });
}

/** Replicates one edge row and column: before (top/left) `before` times, after (bottom/right) `after` times. */
function padEdge(x: tf.Tensor4D, before: 0 | 1, after: 0 | 1): tf.Tensor4D {
  const [, h, w] = x.shape;
  const rows = [
    ...(before ? [x.slice([0, 0, 0, 0], [-1, 1, -1, -1])] : []),
    x,
    ...(after ? [x.slice([0, h - 1, 0, 0], [-1, 1, -1, -1])] : []),
  ];
  const tall = tf.concat(rows, 1);
  const cols = [
    ...(before ? [tall.slice([0, 0, 0, 0], [-1, -1, 1, -1])] : []),
    tall,
    ...(after ? [tall.slice([0, 0, w - 1, 0], [-1, -1, 1, -1])] : []),
  ];
  return tf.concat(cols, 2) as tf.Tensor4D;
}

/** The q-quantile (nearest rank) of a sample. */
function quantile(values: Float32Array | Int32Array | Uint8Array, q: number): number {
  const sorted = Float32Array.from(values).sort();
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx];
}

/** {@link haarWeightMap} for one 8-bit image (alpha ignored), read back to the CPU for display. */
export async function haarWeightMapOfPixels(
  image: Pixels,
  options: HaarWeightMapOptions = {},
): Promise<WeightMap> {
  assertPixels(image);
  const x = pixelsToTensor(image);
  try {
    const map = await haarWeightMap(x, options);
    try {
      return { data: Float32Array.from(await map.data()), width: image.width, height: image.height };
    } finally {
      map.dispose();
    }
  } finally {
    x.dispose();
  }
}

// A black -> purple -> orange -> pale-yellow ramp (perceptually ordered, readable on dark and light panels).
const HEAT_STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [120, 28, 109],
  [237, 105, 37],
  [252, 255, 164],
];

/** Renders a weight map in [0, 1] as an opaque RGBA heat map (values outside [0, 1] are clamped). */
export function weightMapToHeatmap(map: WeightMap): Pixels {
  const out = new Uint8ClampedArray(map.width * map.height * 4);
  const segments = HEAT_STOPS.length - 1;
  for (let i = 0; i < map.width * map.height; i++) {
    const v = Math.min(1, Math.max(0, map.data[i])) * segments;
    const k = Math.min(segments - 1, Math.floor(v));
    const t = v - k;
    for (let c = 0; c < 3; c++)
      out[4 * i + c] = HEAT_STOPS[k][c] + t * (HEAT_STOPS[k + 1][c] - HEAT_STOPS[k][c]);
    out[4 * i + 3] = 255;
  }
  return { data: out, width: map.width, height: map.height, channels: 4 };
}
