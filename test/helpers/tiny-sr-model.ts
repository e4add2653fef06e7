import { tf } from '../../src/core/tf.js';
import { DisposedError } from '../../src/core/errors.js';
import type { NamedParam, SrModel } from '../../src/core/models/sr-model.js';

export interface TinySrModelOptions {
  readonly scale?: number;
  readonly tileMultiple?: number;
  readonly id?: string;
  /** Called at the start of every predict (tests use it to throw fake backend errors or count calls). */
  readonly onPredict?: (x: tf.Tensor4D) => void;
}

/**
 * A small deterministic SR network for tests: two 3x3 convs (receptive radius 2) whose output is pixel-shuffled
 * and added to a nearest-neighbour upsample of the input. Weights come from a fixed LCG, so every run agrees.
 */
export function createTinySrModel(options: TinySrModelOptions = {}): SrModel {
  const scale = options.scale ?? 2;
  const tileMultiple = options.tileMultiple ?? 1;
  const id = options.id ?? `tiny-x${scale}`;
  let seed = 12345;
  const rand = (n: number, amp: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      a[i] = (seed / 2147483648 - 0.5) * 2 * amp;
    }
    return a;
  };
  const hidden = 8;
  const out = 3 * scale * scale;
  // tf.variable keeps its initial tensor alive as a separate tensor: build inside tidy so only variables remain.
  const param = (name: string, make: () => tf.Tensor): NamedParam => ({
    name,
    variable: tf.tidy(() => tf.variable(make())),
  });
  const params: NamedParam[] = [
    param('conv1/kernel', () => tf.tensor4d(rand(9 * 3 * hidden, 0.3), [3, 3, 3, hidden])),
    param('conv1/bias', () => tf.tensor1d(rand(hidden, 0.1))),
    param('conv2/kernel', () => tf.tensor4d(rand(9 * hidden * out, 0.1), [3, 3, hidden, out])),
    param('conv2/bias', () => tf.tensor1d(rand(out, 0.02))),
  ];

  let disposed = false;
  return {
    id,
    scale,
    tileMultiple,
    params,
    predict(x) {
      if (disposed) throw new DisposedError(`model ${id}`);
      options.onPredict?.(x);
      return tf.tidy(() => {
        const [k1, b1, k2, b2] = params.map((p) => p.variable);
        const h = tf.relu(tf.add(tf.conv2d(x, k1 as tf.Tensor4D, 1, 'same'), b1)) as tf.Tensor4D;
        const r = tf.add(tf.conv2d(h, k2 as tf.Tensor4D, 1, 'same'), b2);
        const up = tf.image.resizeNearestNeighbor(x, [x.shape[1] * scale, x.shape[2] * scale]);
        return tf.add(up, tf.depthToSpace(r as tf.Tensor4D, scale)) as tf.Tensor4D;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const p of params) p.variable.dispose();
    },
  };
}
