// The webgpu Conv2DBackpropFilter (src/core/kernels/conv2d-backprop-filter-webgpu.ts: one tiled matmul over an
// im2col matrix, its reduction in chunks when long, TF.js's own kernel where that does not apply) gives the filter
// gradient cpu gives.
import { expect } from '@esm-bundle/chai';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { makeConv2dBackpropFilterWebGpuConfig } from '../../src/core/kernels/index.js';

type Case = [
  string,
  [number, number, number, number],
  [number, number, number, number],
  number,
  'same' | 'valid',
];
const CASES: Case[] = [
  ['3x3 same, 2 images (the matmul path)', [2, 9, 7, 5], [3, 3, 5, 6], 1, 'same'],
  ['3x3 same, 2048 positions (the reduction in 8 chunks)', [2, 32, 32, 4], [3, 3, 4, 6], 1, 'same'],
  ['5x5 valid, one channel in', [1, 8, 10, 1], [5, 5, 1, 4], 1, 'valid'],
  ['1x1', [1, 6, 6, 7], [1, 1, 7, 3], 1, 'same'],
  ['stride 2 (TF.js kernel)', [1, 9, 9, 3], [3, 3, 3, 4], 2, 'same'],
];

function seeded(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return tf.tensor(v, shape);
}

async function filterGrad(
  backend: 'cpu' | 'webgpu',
  c: Case,
  maxIm2colFloats?: number,
): Promise<Float32Array> {
  await selectBackend(backend);
  const ours = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
  if (maxIm2colFloats !== undefined) {
    // The same kernel with a smaller im2col cap, so a tiny batch takes the image-group path.
    tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
    tf.registerKernel(makeConv2dBackpropFilterWebGpuConfig(undefined, { maxIm2colFloats }));
  }
  try {
    return await filterGradOnce(c);
  } finally {
    if (maxIm2colFloats !== undefined && ours) {
      tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
      tf.registerKernel(ours);
    }
  }
}

async function filterGradOnce(c: Case): Promise<Float32Array> {
  const [, xShape, wShape, stride, pad] = c;
  const g = tf.tidy(() => {
    const x = seeded(xShape, 1) as tf.Tensor4D;
    const w = seeded(wShape, 2) as tf.Tensor4D;
    const y = tf.conv2d(x, w, stride, pad);
    const upstream = seeded(y.shape, 3);
    return tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, stride, pad), upstream)))(
      w,
    );
  });
  const data = (await g.data()) as Float32Array;
  g.dispose();
  return data;
}

/** Cases run with a lowered im2col cap: [name, case, cap in floats]. */
const GROUPED: [string, Case, number][] = [
  // 8 * 8 * 3 * 3 * 4 = 2,304 floats per image: groups of 2 images and 1.
  [
    '3 images over the im2col cap (groups of 2 and 1, summed)',
    ['', [3, 8, 8, 4], [3, 3, 4, 5], 1, 'same'],
    5000,
  ],
];

describe('webgpu Conv2DBackpropFilter agrees with cpu', () => {
  for (const [name, c, cap] of [
    ...CASES.map((c): [string, Case, number | undefined] => [c[0], c, undefined]),
    ...GROUPED,
  ]) {
    it(name, async () => {
      const gpu = await filterGrad('webgpu', c, cap);
      const cpu = await filterGrad('cpu', c);
      expect(gpu.length).to.equal(cpu.length);
      let num = 0;
      let den = 0;
      for (let i = 0; i < cpu.length; i++) {
        num += (gpu[i] - cpu[i]) ** 2;
        den += cpu[i] ** 2;
      }
      expect(den).to.be.above(0);
      expect(Math.sqrt(num / den)).to.be.below(1e-5);
    });
  }
});
