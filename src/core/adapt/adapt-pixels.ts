import type { Pixels } from '../pixels.js';
import { tf } from '../tf.js';

/** An 8-bit image as a [1, H, W, 3] float tensor in [0, 1] (alpha dropped). The caller owns the result. */
export function pixelsToTensor(p: Pixels): tf.Tensor4D {
  const bytes =
    p.data instanceof Uint8Array ? p.data : new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.length);
  return tf.tidy(() => {
    const t = tf.tensor3d(bytes, [p.height, p.width, p.channels], 'int32');
    return t.slice([0, 0, 0], [-1, -1, 3]).toFloat().div(255).expandDims(0) as tf.Tensor4D;
  });
}

/** A [1, H, W, 3] tensor in [0, 1] as 8-bit RGB Pixels (clamped, rounded). `x` is not disposed. */
export async function tensorToPixels(x: tf.Tensor4D): Promise<Pixels> {
  const [, height, width] = x.shape;
  const t = tf.tidy(() => x.clipByValue(0, 1).mul(255).round().toInt());
  try {
    return { data: Uint8Array.from(await t.data()), width, height, channels: 3 };
  } finally {
    t.dispose();
  }
}
