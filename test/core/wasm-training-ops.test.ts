// Runs tf.grads over every op our networks and losses train through (SRVGGNetCompact, RRDBNet, the LR
// reconstruction networks, L1 and LPIPS) on the wasm backend and on cpu, lists any kernel wasm lacks, and
// checks the gradients agree. A kernel missing from wasm makes its case fail with the kernel's name.
// Resizes are checked in kernels/resize-grads.test.ts: cpu's own resize gradients are wrong in TF.js 4.22
// (bilinear throws on non-square images, nearest misroutes for batch > 1), so they need another reference.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { compareGrads, type InputSpec } from './kernels/grad-compare.js';

type Op = (...xs: tf.Tensor[]) => tf.Tensor;
const t4 = (x: tf.Tensor): tf.Tensor4D => x as tf.Tensor4D;
const X: InputSpec = { shape: [2, 6, 5, 4], seed: 11 };
const IMG: InputSpec = { shape: [2, 9, 7, 3], seed: 12 };

const CASES: Record<string, { f: Op; inputs: InputSpec[] }> = {
  'fused conv2d + bias + prelu (SRVGG body)': {
    f: (x, w, b, a) =>
      tf.fused.conv2d({
        x: t4(x),
        filter: t4(w),
        bias: b,
        strides: 1,
        pad: 'same',
        activation: 'prelu',
        preluActivationWeights: a,
      }),
    inputs: [X, { shape: [3, 3, 4, 5], seed: 2 }, { shape: [5], seed: 3 }, { shape: [5], seed: 4 }],
  },
  'fused conv2d + leakyrelu 0.2 (RRDB)': {
    f: (x, w) =>
      tf.fused.conv2d({
        x: t4(x),
        filter: t4(w),
        pad: 'same',
        strides: 1,
        activation: 'leakyrelu',
        leakyreluAlpha: 0.2,
      }),
    inputs: [X, { shape: [3, 3, 4, 3], seed: 5 }],
  },
  'prelu (per channel)': { f: (x, a) => tf.prelu(x, a), inputs: [X, { shape: [4], seed: 6 }] },
  'leakyRelu 0.2': { f: (x) => tf.leakyRelu(x, 0.2), inputs: [X] },
  'relu / sigmoid / tanh': { f: (x) => tf.add(tf.relu(x), tf.mul(tf.sigmoid(x), tf.tanh(x))), inputs: [X] },
  'depthToSpace x2 (pixel shuffle)': {
    f: (x) => tf.depthToSpace(t4(x), 2),
    inputs: [{ shape: [2, 3, 4, 8], seed: 7 }],
  },
  'depthToSpace x4 (pixel shuffle)': {
    f: (x) => tf.depthToSpace(t4(x), 4),
    inputs: [{ shape: [1, 3, 2, 48], seed: 8 }],
  },
  'pixel unshuffle x2 (space-to-depth by reshape + transpose)': {
    f: (x) => tf.reshape(tf.transpose(tf.reshape(x, [2, 3, 2, 2, 2, 3]), [0, 1, 3, 2, 4, 5]), [2, 3, 2, 12]),
    inputs: [{ shape: [2, 6, 4, 3], seed: 9 }],
  },
  'area resize /2 (avgPool 2, stride 2)': { f: (x) => tf.avgPool(t4(x), 2, 2, 'valid'), inputs: [X] },
  'concat on channels': { f: (a, b) => tf.concat([a, b], 3), inputs: [X, { shape: [2, 6, 5, 2], seed: 13 }] },
  'add with scaling (RRDB residual)': {
    f: (a, b) => tf.add(tf.mul(a, 0.2), b),
    inputs: [X, { ...X, seed: 14 }],
  },
  'FiLM: mul/add with broadcast': {
    f: (x, g, b) => tf.add(tf.mul(x, g), b),
    inputs: [X, { shape: [2, 1, 1, 4], seed: 15 }, { shape: [2, 1, 1, 4], seed: 16 }],
  },
  'global average pooling + dense (matMul + bias + relu)': {
    f: (x, w, b) => tf.relu(tf.add(tf.matMul(tf.mean(x, [1, 2]), w), b)),
    inputs: [X, { shape: [4, 6], seed: 17 }, { shape: [6], seed: 18 }],
  },
  'fused matMul + bias + relu': {
    f: (a, w, b) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' }),
    inputs: [
      { shape: [3, 4], seed: 19 },
      { shape: [4, 5], seed: 20 },
      { shape: [5], seed: 21 },
    ],
  },
  'strided conv 3x3 /2 + 1x1 conv': {
    f: (x, w1, w2) => tf.conv2d(tf.conv2d(t4(x), t4(w1), 2, 'same'), t4(w2), 1, 'valid'),
    inputs: [X, { shape: [3, 3, 4, 6], seed: 22 }, { shape: [1, 1, 6, 2], seed: 23 }],
  },
  'L1: mean(abs(a - b))': { f: (a, b) => tf.mean(tf.abs(tf.sub(a, b))), inputs: [X, { ...X, seed: 24 }] },
  'LPIPS AlexNet head: conv 11x11 /4 pad 2 + relu + maxPool 3/2': {
    f: (x, w) => tf.maxPool(tf.relu(tf.conv2d(t4(x), t4(w), 4, 2)), 3, 2, 'valid'),
    inputs: [
      { shape: [1, 31, 27, 3], seed: 25 },
      { shape: [11, 11, 3, 4], seed: 26 },
    ],
  },
  'LPIPS SqueezeNet: maxPool 3/2 + fire (1x1 squeeze, 1x1/3x3 expand, concat)': {
    f: (x, s, e1, e3) => {
      const q = tf.relu(tf.conv2d(tf.maxPool(t4(x), 3, 2, 'valid'), t4(s), 1, 'valid'));
      return tf.concat(
        [tf.relu(tf.conv2d(q, t4(e1), 1, 'valid')), tf.relu(tf.conv2d(q, t4(e3), 1, 'same'))],
        3,
      );
    },
    inputs: [
      { shape: [2, 9, 11, 4], seed: 27 },
      { shape: [1, 1, 4, 2], seed: 28 },
      { shape: [1, 1, 2, 3], seed: 29 },
      { shape: [3, 3, 2, 3], seed: 30 },
    ],
  },
  'LPIPS distance: unit-normalise over channels (sqrt, sum, div), squared diff, 1x1 lin, spatial mean': {
    f: (a, b, w) => {
      const norm = (t: tf.Tensor): tf.Tensor =>
        tf.div(t, tf.add(tf.sqrt(tf.sum(tf.square(t), 3, true)), 1e-10));
      const d = tf.square(tf.sub(norm(a), norm(b)));
      return tf.mean(tf.conv2d(t4(d), t4(w), 1, 'valid'), [1, 2]);
    },
    inputs: [X, { ...X, seed: 31 }, { shape: [1, 1, 4, 1], seed: 32, offset: 1 }],
  },
  'pad (zero / reflect) + slice + clip': {
    f: (x) =>
      tf.add(
        tf.slice(
          tf.pad(t4(x), [
            [0, 0],
            [1, 1],
            [2, 0],
            [0, 0],
          ]),
          [0, 1, 0, 0],
          [2, 6, 5, 4],
        ),
        tf
          .clipByValue(
            tf.mirrorPad(
              t4(x),
              [
                [0, 0],
                [1, 1],
                [1, 1],
                [0, 0],
              ],
              'reflect',
            ),
            -0.5,
            0.5,
          )
          .slice([0, 1, 1, 0], [2, 6, 5, 4]),
      ),
    inputs: [X],
  },
  'stage-1 helpers: split, stack, addN, minimum, pow, exp, log': {
    f: (x) => {
      const [a, b] = tf.split(x, 2, 3);
      const m = tf.minimum(tf.exp(a), tf.pow(tf.add(tf.abs(b), 1), 1.5));
      return tf.stack([tf.addN([m, tf.log(tf.add(tf.abs(a), 1)), b]), a]);
    },
    inputs: [X],
  },
  'image input conv (3 channels, batch 2, non-square)': {
    f: (x, w) => tf.conv2d(t4(x), t4(w), 1, 'same'),
    inputs: [IMG, { shape: [3, 3, 3, 4], seed: 33 }],
  },
};

before(async () => {
  await selectBackend('wasm');
});

test('every training op has its kernels on wasm (lists any missing)', async () => {
  const missing = new Set<string>();
  for (const [name, c] of Object.entries(CASES)) {
    try {
      await compareGrads(c.f, c.inputs);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const m = /Kernel '(\w+)' not registered for backend 'wasm'/.exec(msg);
      missing.add(m ? m[1] : `${name}: ${msg}`);
    }
  }
  assert.deepEqual([...missing], [], `missing on wasm: ${[...missing].join(', ')}`);
});

for (const [name, c] of Object.entries(CASES)) {
  test(`grads on wasm equal cpu: ${name}`, async () => {
    const before = tf.memory().numTensors;
    const err = await compareGrads(c.f, c.inputs);
    assert.ok(err < 1e-4, `relative error ${err}`);
    assert.equal(tf.memory().numTensors, before);
  });
}
