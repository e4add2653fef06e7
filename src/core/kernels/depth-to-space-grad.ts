import { tf } from '../tf.js';

/**
 * Gradient of DepthToSpace (pixel shuffle), which TF.js 4.22 lacks on every backend: the inverse permutation,
 * SpaceToDepth, composed of reshape + transpose so it runs on each backend's fast kernels and is itself
 * differentiable. TF's NHWC layout: out[n, h*b + i, w*b + j, c] = in[n, h, w, (i*b + j)*C + c].
 */
export const depthToSpaceGradConfig: tf.GradConfig = {
  kernelName: 'DepthToSpace',
  gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const g = dy as tf.Tensor4D;
    const { blockSize, dataFormat } = attrs as unknown as tf.DepthToSpaceAttrs;
    if (dataFormat !== 'NHWC') throw new Error(`DepthToSpace gradient supports NHWC only; got ${dataFormat}`);
    return {
      x: () => {
        const [n, hb, wb, c] = g.shape;
        const h = hb / blockSize;
        const w = wb / blockSize;
        return tf.tidy(() =>
          tf
            .reshape(g, [n, h, blockSize, w, blockSize, c])
            .transpose([0, 1, 3, 2, 4, 5])
            .reshape([n, h, w, blockSize * blockSize * c]),
        );
      },
    };
  },
};
