import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { FlatAdam } from '../../../src/core/adapt/flat-adam.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic values in [-1, 1] of `n` elements. */
const wave = (n: number, phase: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + phase));

const SHAPES: number[][] = [[3, 3, 2, 4], [4], [1, 1, 1, 5]];

/** Runs `steps` updates of `apply` on fresh variables with gradients that change per step; returns the values. */
function train(prefix: string, steps: number, apply: (grads: { name: string; tensor: tf.Tensor }[]) => void) {
  const vars = SHAPES.map((s, i) =>
    tf.tidy(() => tf.variable(tf.tensor(wave(tf.util.sizeFromShape(s), i), s), true, `${prefix}${i}`)),
  );
  for (let t = 0; t < steps; t++) {
    // Gradients of very different sizes per variable, as adaptation's are (1e-5 to 1e-1).
    const grads = vars.map((v, i) => ({
      name: v.name,
      tensor: tf.tensor(
        wave(v.size, 10 * t + i).map((g) => g * 10 ** -(i + 1)),
        v.shape,
      ),
    }));
    apply(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const values = vars.map((v) => Array.from(v.dataSync()));
  const moved = vars.map((v, i) => Math.max(...v.dataSync().map((x, j) => Math.abs(x - wave(v.size, i)[j]))));
  tf.dispose(vars);
  return { values, moved };
}

test('FlatAdam takes the same steps as tf.train.adam, with no tensor left behind', () => {
  const start = tf.memory().numTensors;
  const reference = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  const expected = train('ref', 5, (g) => reference.applyGradients(g));
  reference.dispose();
  const flat = new FlatAdam(0.01, 0.9, 0.999, 1e-7);
  const got = train('flat', 5, (g) => flat.applyGradients(g));
  flat.dispose();
  assert.equal(tf.memory().numTensors, start, 'tensors leaked');
  // The reference really moved every variable (so agreement is not trivial): ~5 lr.
  for (const m of expected.moved) assert.ok(m > 0.01, `moved ${m}`);
  for (let i = 0; i < SHAPES.length; i++)
    for (let j = 0; j < got.values[i].length; j++)
      assert.ok(
        Math.abs(got.values[i][j] - expected.values[i][j]) < 1e-6,
        `variable ${i}[${j}]: ${got.values[i][j]} vs ${expected.values[i][j]}`,
      );
});

test('FlatAdam refuses a different set of variables after its first step', () => {
  const a = tf.variable(tf.zeros([2]), true, 'flatA');
  const b = tf.variable(tf.zeros([3]), true, 'flatB');
  const opt = new FlatAdam(0.1);
  const ga = tf.ones([2]);
  const gb = tf.ones([3]);
  try {
    opt.applyGradients([
      { name: a.name, tensor: ga },
      { name: b.name, tensor: gb },
    ]);
    assert.throws(() => opt.applyGradients([{ name: a.name, tensor: ga }]), /same variables/);
    assert.throws(
      () =>
        opt.applyGradients([
          { name: b.name, tensor: gb },
          { name: a.name, tensor: ga },
        ]),
      /same variables/,
    );
  } finally {
    opt.dispose();
    tf.dispose([a, b, ga, gb]);
  }
});
