import { tf, type Tensor4D } from '../tf.js';
import { assertPixels, type Pixels } from '../pixels.js';
import { readRgbTile } from './read-rgb-tile.js';

/**
 * Converts Pixels to an NHWC float32 tensor [1, height, width, 3] in [0, 1]; alpha, if any, is dropped.
 * The caller owns (and disposes) the tensor.
 */
export function pixelsToTensor(pixels: Pixels): Tensor4D {
  assertPixels(pixels);
  const rgb = readRgbTile(pixels, 0, 0, pixels.width, pixels.height);
  return tf.tensor4d(rgb, [1, pixels.height, pixels.width, 3]);
}
