import type { Tensor4D } from '../tf.js';
import { LwayError } from '../errors.js';
import type { Pixels } from '../pixels.js';

/**
 * Reads an NHWC tensor [1, height, width, 3] in [0, 1] back into RGB Pixels, clamping and rounding to bytes.
 * The tensor is not disposed.
 */
export async function tensorToPixels(tensor: Tensor4D): Promise<Pixels> {
  const [n, height, width, c] = tensor.shape;
  if (n !== 1 || c !== 3) {
    throw new LwayError(
      'BAD_INPUT',
      `tensorToPixels needs shape [1, h, w, 3]; got [${tensor.shape.join(', ')}]`,
    );
  }
  const values = await tensor.data();
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = toByte(values[i]);
  return { data, width, height, channels: 3 };
}

/** [0, 1] float to a byte, clamped and rounded; NaN becomes 0. */
export function toByte(v: number): number {
  const b = Math.round(v * 255);
  return b > 255 ? 255 : b >= 0 ? b : 0;
}
