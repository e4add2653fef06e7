import { tf } from '../tf.js';

/** A gradient for the variable registered under `name` (tf.NamedTensor's shape, as applyGradients takes it). */
export interface NamedGradient {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** What adaptation needs of its optimizer: FlatAdam and tf.train.adam both are one. */
export interface AdaptOptimizer {
  applyGradients(grads: NamedGradient[]): void;
  dispose(): void;
}

/**
 * Adam over all trained variables at once: the gradients are concatenated into one vector, the moments live in
 * one vector each, and the new values go back through one split. Same update as tf.train.adam (TF.js 4.22:
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, value -= lr m^ / (sqrt(v^) + eps), bias corrections by
 * b^t), in about a tenth of the kernels: tf.train.adam runs ~12 kernels per variable, ~900 per step for the
 * ~75 variables of a default x4v3 adaptation, and on a real GPU each kernel costs ~0.1 ms of host time however
 * small it is (bench/step-profile.ts on an H200: 2,526 kernels, 106 ms of GPU time, 400 ms of wall time).
 * On wasm it is the slower one (the concat and split are copies in JS: 35-77 ms against tf.train.adam's 10-15 ms
 * for x4v3's 66 trained tensors, build-time microbenchmark), so adaptOptimizer uses it on the GPU backends only.
 */
export class FlatAdam implements AdaptOptimizer {
  private m: tf.Variable | undefined;
  private v: tf.Variable | undefined;
  private names: readonly string[] | undefined;
  private t = 0;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7,
  ) {}

  /** One step. Every call must pass the same variables in the same order (the moments are one vector). */
  applyGradients(grads: readonly NamedGradient[]): void {
    const names = grads.map((g) => g.name);
    if (this.names === undefined) this.names = names;
    else if (names.length !== this.names.length || names.some((n, i) => n !== this.names![i]))
      throw new Error('FlatAdam: applyGradients needs the same variables in the same order on every step');
    const registered = tf.engine().registeredVariables;
    const vars = names.map((n) => {
      const variable = registered[n];
      if (variable === undefined) throw new Error(`FlatAdam: no variable named ${n}`);
      return variable;
    });
    this.t++;
    const { beta1: b1, beta2: b2, t } = this;
    tf.tidy(() => {
      const g = tf.concat(grads.map((x) => x.tensor.reshape([-1])));
      this.m ??= tf.variable(tf.zerosLike(g), false);
      this.v ??= tf.variable(tf.zerosLike(g), false);
      const m = this.m.mul(b1).add(g.mul(1 - b1));
      const v = this.v.mul(b2).add(g.square().mul(1 - b2));
      this.m.assign(m);
      this.v.assign(v);
      const step = m
        .div(1 - b1 ** t)
        .div(
          v
            .div(1 - b2 ** t)
            .sqrt()
            .add(this.epsilon),
        )
        .mul(this.learningRate);
      const values = tf.concat(vars.map((x) => x.reshape([-1]))).sub(step);
      const parts = tf.split(
        values,
        vars.map((x) => x.size),
      );
      vars.forEach((x, i) => x.assign(parts[i].reshape(x.shape)));
    });
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = this.v = undefined;
  }
}
