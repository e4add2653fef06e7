// An SRVGGNetCompact-shaped network with seeded random weights, for the wasm training tests and bench/train.ts
// while the real class (src/core/models/srvgg-net-compact.ts) is not committed: conv3x3 + PReLU head, numConv x
// (conv3x3 + PReLU), conv3x3 to 3*r*r channels, depthToSpace x r, plus the nearest-upsampled input.
import { tf } from '../../../src/core/tf.js';
import { seeded } from './grad-compare.js';

export interface SrvggTestNet {
  readonly variables: tf.Variable[];
  predict(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/** realesr-general-x4v3's shape: 64 features, 32 body convs, x4. */
export const X4V3_SHAPE = { numFeat: 64, numConv: 32, upscale: 4 } as const;

let instances = 0;

/** Builds the net on the current backend. Weights are He-scaled seeded uniforms, PReLU slopes 0.25. */
export function buildSrvggTestNet(
  shape: { numFeat: number; numConv: number; upscale: number },
  seed = 1,
): SrvggTestNet {
  const { numFeat: f, numConv, upscale: r } = shape;
  const id = instances++;
  const variables: tf.Variable[] = [];
  const v = (name: string, dims: number[], scale: number, offset = 0): tf.Variable => {
    const size = dims.reduce((a, b) => a * b, 1);
    const t = tf.tidy(() =>
      tf
        .tensor(seeded(size, seed * 1000 + variables.length), dims)
        .mul(scale)
        .add(offset),
    );
    const variable = tf.variable(t, true, `srvgg-test-${id}/${name}`);
    t.dispose();
    variables.push(variable);
    return variable;
  };
  const layers: { w: tf.Variable; b: tf.Variable; a?: tf.Variable }[] = [];
  const conv = (name: string, cin: number, cout: number, prelu: boolean): void => {
    const w = v(`${name}/kernel`, [3, 3, cin, cout], Math.sqrt(6 / (9 * cin)));
    const b = v(`${name}/bias`, [cout], 0.01);
    const a = prelu ? v(`${name}/alpha`, [cout], 0, 0.25) : undefined;
    layers.push({ w, b, a });
  };
  conv('head', 3, f, true);
  for (let i = 0; i < numConv; i++) conv(`body.${i}`, f, f, true);
  conv('tail', f, 3 * r * r, false);
  return {
    variables,
    predict: (x) =>
      tf.tidy(() => {
        let h: tf.Tensor4D = x;
        for (const l of layers) {
          h = tf.fused.conv2d({
            x: h,
            filter: l.w as tf.Tensor4D,
            bias: l.b,
            strides: 1,
            pad: 'same',
            activation: l.a ? 'prelu' : 'linear',
            preluActivationWeights: l.a,
          });
        }
        const base = tf.image.resizeNearestNeighbor(x, [x.shape[1] * r, x.shape[2] * r]);
        return tf.add(tf.depthToSpace(h, r), base);
      }),
    dispose: () => {
      for (const variable of variables) variable.dispose();
    },
  };
}
