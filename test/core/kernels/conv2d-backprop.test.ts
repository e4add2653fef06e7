import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { selectBackend } from '../../../src/core/backend/select-backend.js';
import { WasmKernelScope } from '../../../src/core/kernels/wasm-kernel-scope.js';
import { conv2dBackpropFilterWasmImpl } from '../../../src/core/kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputWasmImpl } from '../../../src/core/kernels/conv2d-backprop-input.js';
import { compareGrads, relativeError, seeded } from './grad-compare.js';

type Pad =
  'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: number | [number, number];
  pad: Pad;
}

// Strides 1/2/4, same/valid/explicit pads, kernels 1/3/5/11, batch > 1, non-square inputs and kernels.
before(async () => {
  await selectBackend('wasm');
});

const CASES: Case[] = [
  { x: [2, 7, 9, 3], k: [3, 3], co: 4, stride: 1, pad: 'same' },
  { x: [1, 8, 8, 5], k: [5, 5], co: 2, stride: 2, pad: 'valid' },
  { x: [2, 13, 11, 3], k: [11, 11], co: 4, stride: 4, pad: 2 },
  { x: [1, 9, 7, 1], k: [1, 1], co: 3, stride: [2, 1], pad: 'same' },
  {
    x: [3, 6, 10, 2],
    k: [3, 3],
    co: 1,
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [2, 9, 8, 3], k: [5, 3], co: 2, stride: 2, pad: 'same' },
  { x: [1, 16, 12, 2], k: [11, 11], co: 3, stride: 4, pad: 'same' },
  { x: [2, 5, 6, 4], k: [1, 1], co: 6, stride: 1, pad: 'valid' },
  { x: [1, 12, 10, 3], k: [3, 5], co: 2, stride: 4, pad: 'valid' },
  { x: [2, 9, 9, 3], k: [1, 1], co: 2, stride: 2, pad: 'valid' },
  { x: [1, 10, 11, 2], k: [2, 2], co: 3, stride: 2, pad: 'same' },
  { x: [1, 17, 15, 3], k: [3, 3], co: 2, stride: 3, pad: 'same' },
  { x: [2, 8, 7, 2], k: [3, 3], co: 2, stride: [1, 3], pad: 'same' },
];

for (const c of CASES) {
  const name = `conv2d grads wasm == cpu: x ${c.x} k ${c.k} co ${c.co} stride ${c.stride} pad ${JSON.stringify(c.pad)}`;
  test(name, async () => {
    const before = tf.memory().numTensors;
    const err = await compareGrads(
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad),
      [
        { shape: c.x, seed: 1 },
        { shape: [c.k[0], c.k[1], c.x[3], c.co], seed: 2 },
      ],
    );
    assert.ok(err < 1e-4, `relative error ${err}`);
    assert.equal(tf.memory().numTensors, before);
  });
}

// TF.js's Conv2D gradient refuses dilations > 1, so the kernels' dilated paths are checked directly against a
// cpu reference that uses the equivalent undilated filter (zeros between the taps). The stride-4 case runs the
// XNNPACK dX path that the registered kernel leaves to the backend's own loop for strides > 2.
const DIRECT: {
  x: [number, number, number, number];
  k: number;
  co: number;
  stride: number;
  d: number;
  pad: 'same' | 'valid';
}[] = [
  { x: [2, 9, 11, 3], k: 3, co: 2, stride: 1, d: 2, pad: 'same' },
  { x: [2, 10, 7, 3], k: 3, co: 4, stride: 1, d: 1, pad: 'same' },
  { x: [1, 12, 10, 2], k: 3, co: 3, stride: 2, d: 2, pad: 'valid' },
  { x: [2, 13, 9, 1], k: 5, co: 2, stride: 1, d: 2, pad: 'valid' },
  { x: [2, 13, 11, 2], k: 3, co: 3, stride: 4, d: 1, pad: 'same' },
];
// dW by the convolution formulation (the default for strides > 1; stride-1 cases above use the matmul one),
// plain and row-blocked (see ROW_BLOCKS).
const ROW_BLOCK_CHOICES = [1, 3];

for (const [c, rowBlocks] of DIRECT.flatMap((c) => ROW_BLOCK_CHOICES.map((b) => [c, b] as const))) {
  test(`direct dW (row blocks ${rowBlocks})/dX, dilation ${c.d}, equal the cpu reference: x ${c.x} k ${c.k} stride ${c.stride} pad ${c.pad}`, async () => {
    const d = c.d;
    const [n, h, w, ci] = c.x;
    const ke = (c.k - 1) * d + 1;
    const wShape = [c.k, c.k, ci, c.co];
    const info = tf.backend_util.computeConv2DInfo(
      c.x,
      wShape as [number, number, number, number],
      c.stride,
      d,
      c.pad,
    );
    const dyShape = [n, info.outHeight, info.outWidth, c.co];
    const xData = seeded(n * h * w * ci, 3);
    const wData = seeded(c.k * c.k * ci * c.co, 4);
    const dyData = seeded(
      dyShape.reduce((a, b) => a * b, 1),
      5,
    );

    await selectBackend('cpu');
    const ref = tf.tidy(() => {
      const x = tf.tensor4d(xData, c.x);
      const wt = tf.tensor4d(wData, wShape as [number, number, number, number]);
      // Expanded filter: tap (i, j) of the dilated filter sits at (i*d, j*d).
      const idx = Array.from({ length: c.k }, (_, i) => i * d);
      const we = tf.buffer([ke, ke, ci, c.co]);
      const wv = wt.arraySync();
      for (let i = 0; i < c.k; i++)
        for (let j = 0; j < c.k; j++)
          for (let a = 0; a < ci; a++)
            for (let b = 0; b < c.co; b++) we.set(wv[i][j][a][b], i * d, j * d, a, b);
      const dy = tf.tensor4d(dyData, dyShape as [number, number, number, number]);
      const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
        tf
          .conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad)
          .mul(dy)
          .sum(),
      )([x, we.toTensor() as tf.Tensor4D]);
      const sel = tf.tensor1d(idx, 'int32');
      const gwd = tf.gather(tf.gather(gw, sel, 0), sel, 1);
      return [gx.dataSync(), gwd.dataSync()];
    });

    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(xData, c.x);
    const wt = tf.tensor4d(wData, wShape as [number, number, number, number]);
    const dy = tf.tensor4d(dyData, dyShape as [number, number, number, number]);
    const scope = new WasmKernelScope(tf.backend());
    const rows = {
      inSize: h,
      outSize: info.outHeight,
      filterSize: c.k,
      stride: c.stride,
      dilation: d,
      padBefore: info.padInfo.top,
    };
    const cols = { ...rows, inSize: w, outSize: info.outWidth, padBefore: info.padInfo.left };
    try {
      const dw = tf
        .engine()
        .makeTensorFromTensorInfo(
          conv2dBackpropFilterWasmImpl(scope, x, dy, rows, cols, { rowBlocks, path: 'conv' }),
        );
      const dx = tf.engine().makeTensorFromTensorInfo(conv2dBackpropInputWasmImpl(scope, dy, wt, rows, cols));
      assert.deepEqual(dw.shape, wShape);
      assert.deepEqual(dx.shape, c.x);
      assert.ok(
        relativeError(dw.dataSync(), ref[1]) < 1e-4,
        `dW relative error ${relativeError(dw.dataSync(), ref[1])}`,
      );
      assert.ok(
        relativeError(dx.dataSync(), ref[0]) < 1e-4,
        `dX relative error ${relativeError(dx.dataSync(), ref[0])}`,
      );
      tf.dispose([dw, dx]);
    } finally {
      scope.dispose();
      tf.dispose([x, wt, dy]);
    }
    assert.equal(tf.memory().numTensors, before);
  });
}
