import type { Pixels } from '../pixels.js';

/**
 * Working image of the degradation pipeline: float32 RGB in [0, 1] (values may leave that range between stages),
 * planar (all R, then all G, then all B) so that filters and resizes run on one contiguous plane at a time.
 * We use plain typed arrays rather than TF.js tensors: the pipeline runs per crop on the CPU in the data loader,
 * beside training, and must give identical bytes on every backend; JS loops over Float32Array are fast enough here
 * (a 21x21 blur of a 256x256 crop takes ~0.1 s) and need no tensor bookkeeping.
 */
export interface FloatImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Allocates a zeroed FloatImage. */
export function createFloatImage(width: number, height: number): FloatImage {
  return { data: new Float32Array(width * height * 3), width, height };
}

/** Converts 8-bit Pixels (RGB or RGBA, alpha dropped) to a planar float image in [0, 1]. */
export function floatImageFromPixels(p: Pixels): FloatImage {
  const out = createFloatImage(p.width, p.height);
  const n = p.width * p.height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out.data[c * n + i] = p.data[i * p.channels + c] / 255;
  }
  return out;
}

/**
 * Rounds and clamps to 8-bit Pixels: RGB, or RGBA carrying the alpha of `alphaSource` (same size, RGBA) unchanged,
 * so an image's transparency survives a trip through the float domain.
 */
export function floatImageToPixels(img: FloatImage, alphaSource?: Pixels): Pixels {
  const n = img.width * img.height;
  const withAlpha = alphaSource?.channels === 4;
  if (alphaSource && (alphaSource.width !== img.width || alphaSource.height !== img.height)) {
    throw new RangeError(
      `floatImageToPixels: alpha source is ${alphaSource.width}x${alphaSource.height}, image ${img.width}x${img.height}`,
    );
  }
  const channels = withAlpha ? 4 : 3;
  const data = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = Math.round(img.data[c * n + i] * 255);
      data[i * channels + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    if (withAlpha) data[i * 4 + 3] = alphaSource.data[i * 4 + 3];
  }
  return { data, width: img.width, height: img.height, channels };
}

/** Clamps every sample to [0, 1] in place and returns the image. */
export function clamp01(img: FloatImage): FloatImage {
  const d = img.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i] < 0 ? 0 : d[i] > 1 ? 1 : d[i];
  return img;
}

/** Interleaved HWC float32 copy (what `tf.tensor` wants for an NHWC image). */
export function floatImageToHwc(img: FloatImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = img.data[i];
    out[i * 3 + 1] = img.data[n + i];
    out[i * 3 + 2] = img.data[2 * n + i];
  }
  return out;
}
