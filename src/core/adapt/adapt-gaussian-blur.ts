import { tf } from '../tf.js';

/** Normalised 1-D Gaussian taps of radius ceil(3 sigma) (at least 1). */
export function gaussianTaps(sigma: number): number[] {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps: number[] = [];
  for (let i = -radius; i <= radius; i++) taps.push(Math.exp(-(i * i) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/**
 * Separable Gaussian blur of an NHWC tensor, per channel, with reflect padding (no dark border).
 * Differentiable, with exact gradients at the borders too. `sigma <= 0` returns a clone.
 * The caller owns the result; `x` is not disposed. Falls back to edge clamping where the image is smaller than the
 * kernel radius (reflect padding needs radius < side).
 */
export function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (!(sigma > 0)) return x.clone();
  return tf.tidy(() => {
    const taps = gaussianTaps(sigma);
    const r = (taps.length - 1) / 2;
    const [, h, w] = x.shape;
    const padded = padEdges(x, r, h, w);
    const bx = perChannelConv(padded, tf.tensor4d(taps, [1, taps.length, 1, 1]), 1);
    return perChannelConv(bx, tf.tensor4d(taps, [taps.length, 1, 1, 1]), 1);
  });
}

/**
 * Applies one single-channel [kh, kw, 1, 1] filter to every channel ('valid', `stride`). Channels are folded into
 * the batch so this is a plain conv2d: TF.js's wasm backend has no DepthwiseConv2dNativeBackpropInput or
 * AvgPoolGrad, but our wasm training kernels cover conv2d.
 */
export function perChannelConv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const folded = x.transpose([0, 3, 1, 2]).reshape([n * c, h, w, 1]) as tf.Tensor4D;
    const y = tf.conv2d(folded, filter, stride, 'valid');
    const [, oh, ow] = y.shape;
    return y.reshape([n, c, oh, ow]).transpose([0, 2, 3, 1]) as tf.Tensor4D;
  });
}

/**
 * Reflect padding built from slice/reverse/concat rather than tf.mirrorPad, whose TF.js gradient drops the
 * contribution of the reflected pixels (it only slices the interior), biasing training at crop borders.
 * Replicates the edge instead where the image is not larger than the radius.
 */
function padEdges(x: tf.Tensor4D, r: number, h: number, w: number): tf.Tensor4D {
  const reflect = r < h && r < w;
  const side = (t: tf.Tensor4D, axis: 1 | 2, n: number, atEnd: boolean): tf.Tensor4D => {
    const begin: [number, number, number, number] = [0, 0, 0, 0];
    const size: [number, number, number, number] = [-1, -1, -1, -1];
    if (reflect) {
      begin[axis] = atEnd ? n - 1 - r : 1;
      size[axis] = r;
      return t.slice(begin, size).reverse(axis);
    }
    begin[axis] = atEnd ? n - 1 : 0;
    size[axis] = 1;
    const reps: [number, number, number, number] = [1, 1, 1, 1];
    reps[axis] = r;
    return t.slice(begin, size).tile(reps);
  };
  const tall = tf.concat([side(x, 1, h, false), x, side(x, 1, h, true)], 1) as tf.Tensor4D;
  return tf.concat([side(tall, 2, w, false), tall, side(tall, 2, w, true)], 2) as tf.Tensor4D;
}
