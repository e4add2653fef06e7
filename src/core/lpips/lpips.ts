import { DisposedError, LwayError } from '../errors.js';
import { tf } from '../tf.js';
import type { LpipsNet, LpipsWeights } from './lpips-weights.js';

/** LPIPS v0.1 distance (Zhang et al. 2018) as a differentiable TF.js function. */
export interface Lpips {
  readonly net: LpipsNet;
  /**
   * Per-image distance between two NHWC batches in [0, 1] of the same shape (any size from 32 px up): a
   * Tensor1D of length N. Differentiable in both inputs; call it inside `tf.tidy`/`tf.grad`. Inputs are not disposed.
   */
  distance(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor1D;
  /** Frees the weights. Idempotent. */
  dispose(): void;
}

const SHIFT = [-0.03, -0.088, -0.188];
const SCALE = [0.458, 0.448, 0.45];

function conv(x: tf.Tensor4D, w: LpipsWeights, name: string, stride = 1, pad = 0): tf.Tensor4D {
  const padded =
    pad > 0
      ? tf.pad(x, [
          [0, 0],
          [pad, pad],
          [pad, pad],
          [0, 0],
        ])
      : x;
  const y = tf.conv2d(padded, w[`${name}/kernel`] as tf.Tensor4D, stride, 'valid');
  return tf.relu(tf.add(y, w[`${name}/bias`])) as tf.Tensor4D;
}

const maxPool = (x: tf.Tensor4D): tf.Tensor4D => tf.maxPool(x, 3, 2, 'valid');

/** PyTorch's ceil-mode 3/2 max-pool on post-ReLU input: zero-pad bottom/right so the last window fits. */
function maxPoolCeil(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, wd] = x.shape;
  const ph = (h - 3) % 2;
  const pw = (wd - 3) % 2;
  const padded =
    ph || pw
      ? tf.pad(x, [
          [0, 0],
          [0, ph],
          [0, pw],
          [0, 0],
        ])
      : x;
  return tf.maxPool(padded, 3, 2, 'valid');
}

function fire(x: tf.Tensor4D, w: LpipsWeights, n: number): tf.Tensor4D {
  const s = conv(x, w, `fire${n}/squeeze`);
  return tf.concat([conv(s, w, `fire${n}/expand1x1`), conv(s, w, `fire${n}/expand3x3`, 1, 1)], 3);
}

function alexFeatures(x: tf.Tensor4D, w: LpipsWeights): tf.Tensor4D[] {
  const f0 = conv(x, w, 'conv1', 4, 2);
  const f1 = conv(maxPool(f0), w, 'conv2', 1, 2);
  const f2 = conv(maxPool(f1), w, 'conv3', 1, 1);
  const f3 = conv(f2, w, 'conv4', 1, 1);
  const f4 = conv(f3, w, 'conv5', 1, 1);
  return [f0, f1, f2, f3, f4];
}

function squeezeFeatures(x: tf.Tensor4D, w: LpipsWeights): tf.Tensor4D[] {
  const f0 = conv(x, w, 'conv1', 2, 0);
  const f1 = fire(fire(maxPoolCeil(f0), w, 1), w, 2);
  const f2 = fire(fire(maxPoolCeil(f1), w, 3), w, 4);
  const f3 = fire(maxPoolCeil(f2), w, 5);
  const f4 = fire(f3, w, 6);
  const f5 = fire(f4, w, 7);
  const f6 = fire(f5, w, 8);
  return [f0, f1, f2, f3, f4, f5, f6];
}

/** Unit-normalises over channels; the epsilon inside the root keeps the gradient finite at all-zero features. */
function normalise(f: tf.Tensor4D): tf.Tensor4D {
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(f), 3, true), 1e-20));
  return tf.div(f, tf.add(norm, 1e-10));
}

/** Builds an LPIPS instance owning `weights` (from loadLpipsWeights). */
export function createLpips(net: LpipsNet, weights: LpipsWeights): Lpips {
  const layers = net === 'alex' ? 5 : 7;
  for (let k = 0; k < layers; k++) {
    if (!weights[`lin${k}/kernel`])
      throw new LwayError('MODEL_LOAD', `LPIPS ${net}: weight lin${k}/kernel missing`);
  }
  const shift = tf.tensor1d(SHIFT);
  const scale = tf.tensor1d(SCALE);
  let disposed = false;
  const features = net === 'alex' ? alexFeatures : squeezeFeatures;
  return {
    net,
    distance(a, b) {
      if (disposed) throw new DisposedError('Lpips');
      if (a.shape.join() !== b.shape.join()) {
        throw new LwayError(
          'BAD_INPUT',
          `LPIPS inputs must have equal shapes; got [${a.shape}] and [${b.shape}]`,
        );
      }
      return tf.tidy(() => {
        const n = a.shape[0];
        // [0, 1] -> [-1, 1] -> LPIPS scaling layer; both images go through the backbone as one batch
        const x = tf.div(tf.sub(tf.sub(tf.mul(tf.concat([a, b], 0), 2), 1), shift), scale) as tf.Tensor4D;
        const feats = features(x, weights);
        const perLayer = feats.map((f, k) => {
          const [fa, fb] = tf.split(normalise(f), [n, n], 0) as [tf.Tensor4D, tf.Tensor4D];
          const diff = tf.square(tf.sub(fa, fb)) as tf.Tensor4D;
          const d = tf.conv2d(diff, weights[`lin${k}/kernel`] as tf.Tensor4D, 1, 'valid');
          return tf.mean(d, [1, 2, 3]) as tf.Tensor1D;
        });
        return tf.addN(perLayer) as tf.Tensor1D;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      shift.dispose();
      scale.dispose();
      for (const t of Object.values(weights)) t.dispose();
    },
  };
}
