import { tf } from '../tf.js';
import type { Rng } from '../degrade/index.js';

/**
 * The named weights of one stage-1 network. Names are ours (e.g. `conv1/kernel`), kept in a map beside unnamed
 * tf.Variables: TF.js registers variable names globally, so two networks with the same names could not coexist.
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private disposed = false;

  /** Adds a trainable variable initialised from `values`. */
  add(name: string, shape: number[], values: Float32Array): tf.Variable {
    const init = tf.tensor(values, shape, 'float32');
    const v = tf.variable(init, true);
    init.dispose();
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  /** Names in creation (forward) order. */
  names(): string[] {
    return [...this.vars.keys()];
  }

  entries(): Array<[string, tf.Variable]> {
    return [...this.vars.entries()];
  }

  /** Total number of scalar weights. */
  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees every variable. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** He-normal initialisation for a layer followed by LeakyReLU(0.2), times `gain`. Deterministic in `rng`. */
export function heNormal(rng: Rng, size: number, fanIn: number, gain = 1): Float32Array {
  const std = (gain * Math.sqrt(2 / (1 + 0.2 * 0.2))) / Math.sqrt(fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = std * rng.normal();
  return out;
}

/** Adds `prefix/kernel` [k, k, cin, cout] and `prefix/bias` [cout]. */
export function addConv(
  store: ParamStore,
  rng: Rng,
  prefix: string,
  k: number,
  cin: number,
  cout: number,
  gain = 1,
): void {
  store.add(`${prefix}/kernel`, [k, k, cin, cout], heNormal(rng, k * k * cin * cout, k * k * cin, gain));
  store.add(`${prefix}/bias`, [cout], new Float32Array(cout));
}

/** Adds `prefix/kernel` [cin, cout] and `prefix/bias` [cout]; `gain` 0 gives a zero map. */
export function addDense(
  store: ParamStore,
  rng: Rng,
  prefix: string,
  cin: number,
  cout: number,
  gain = 1,
): void {
  store.add(`${prefix}/kernel`, [cin, cout], heNormal(rng, cin * cout, cin, gain));
  store.add(`${prefix}/bias`, [cout], new Float32Array(cout));
}

/** conv2d + bias with `same` padding. */
export function conv2d(store: ParamStore, x: tf.Tensor4D, prefix: string, stride = 1): tf.Tensor4D {
  const y = tf.conv2d(x, store.get(`${prefix}/kernel`) as tf.Tensor4D, stride, 'same');
  return tf.add(y, store.get(`${prefix}/bias`)) as tf.Tensor4D;
}

/** x W + b. */
export function dense(store: ParamStore, x: tf.Tensor2D, prefix: string): tf.Tensor2D {
  return tf.add(
    tf.matMul(x, store.get(`${prefix}/kernel`) as tf.Tensor2D),
    store.get(`${prefix}/bias`),
  ) as tf.Tensor2D;
}

export const lrelu = <T extends tf.Tensor>(x: T): T => tf.leakyRelu(x, 0.2) as T;
