import { tf } from '../tf.js';

function zeroVariable(like: tf.Tensor): tf.Variable {
  const init = tf.zerosLike(like);
  const v = tf.variable(init, false);
  init.dispose();
  return v;
}

/**
 * Adam over named variables. Ours rather than tf.train.adam because checkpoints must restore the moments by
 * parameter name (TF.js's optimizer keys them by engine variable names, which change from process to process).
 */
export class Stage1Adam {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  /** Number of updates applied so far. */
  t = 0;

  constructor(
    private readonly params: ReadonlyArray<readonly [string, tf.Variable]>,
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    for (const [name, p] of params) {
      this.m.set(name, zeroVariable(p));
      this.v.set(name, zeroVariable(p));
    }
  }

  /** Applies one update from gradients keyed by parameter name (missing names are left alone). */
  apply(grads: ReadonlyMap<string, tf.Tensor>): void {
    this.t++;
    const { beta1: b1, beta2: b2, epsilon } = this;
    const lrT = (this.learningRate * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        p.assign(tf.sub(p, tf.div(tf.mul(m, lrT), tf.add(tf.sqrt(v), epsilon))));
      }
    });
  }

  /** The moments as `adam/m/<name>` and `adam/v/<name>` (views of live variables: serialise, don't dispose). */
  stateTensors(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [name] of this.params) {
      out[`adam/m/${name}`] = this.m.get(name)!;
      out[`adam/v/${name}`] = this.v.get(name)!;
    }
    return out;
  }

  /** Restores moments saved by stateTensors (shapes must match) and the step count. */
  restore(tensors: Readonly<Record<string, tf.Tensor>>, t: number): void {
    for (const [name] of this.params) {
      const m = tensors[`adam/m/${name}`];
      const v = tensors[`adam/v/${name}`];
      if (!m || !v) throw new Error(`checkpoint lacks Adam moments of ${name}`);
      this.m.get(name)!.assign(m);
      this.v.get(name)!.assign(v);
    }
    this.t = t;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
  }
}
