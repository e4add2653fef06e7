import { tf } from '../tf.js';
import { DisposedError, LwayError, ModelLoadError } from '../errors.js';
import type { NamedParam } from './sr-model.js';
import type { WeightSpec } from './weight-spec.js';

/** The activation fused into a convolution (see `NamedVariableModel.convSame`). */
export interface ConvActivation {
  activation?: 'linear' | 'leakyrelu' | 'prelu';
  leakyreluAlpha?: number;
  preluActivationWeights?: tf.Tensor;
}

let instances = 0;

/**
 * Base of the SR architectures built from named tf.Variables. It owns the variables: one per spec, in spec
 * (forward) order, trainable, so LWay can fine-tune any subset through `params`. TF.js variable names must be
 * unique per engine, so each is registered as `<id>#<instance>/<name>` while `NamedParam.name` stays the stable
 * spec name. Subclasses implement the forward pass with `param(name)`.
 */
export abstract class NamedVariableModel {
  readonly params: readonly NamedParam[];
  private readonly byName: ReadonlyMap<string, tf.Variable>;
  private disposed = false;

  /**
   * @param tensors initial values, one per spec with the spec's shape. They are copied; the caller still owns them.
   * @throws ModelLoadError when the count or a shape differs from the specs.
   */
  protected constructor(
    readonly id: string,
    specs: readonly WeightSpec[],
    tensors: readonly tf.Tensor[],
  ) {
    if (tensors.length !== specs.length) {
      throw new ModelLoadError(
        `${id}: got ${tensors.length} weight tensors; the architecture needs ${specs.length}`,
      );
    }
    // Check every shape before creating any variable, so a bad file leaks nothing.
    specs.forEach((spec, i) => {
      if (tensors[i].shape.join(',') !== spec.shape.join(',')) {
        throw new ModelLoadError(
          `${id}: ${spec.name} has shape [${tensors[i].shape}]; expected [${spec.shape}]`,
        );
      }
    });
    const instance = instances++;
    const params = specs.map((spec, i): NamedParam => ({
      name: spec.name,
      variable: tf.variable(tensors[i], true, `${id}#${instance}/${spec.name}`, 'float32'),
    }));
    this.params = params;
    this.byName = new Map(params.map((p) => [p.name, p.variable]));
  }

  /** The variable named `name`. Throws DisposedError after dispose(). */
  protected param(name: string): tf.Variable {
    this.assertLive();
    const v = this.byName.get(name);
    if (!v) throw new Error(`${this.id}: no parameter ${name}`); // a bug in the subclass, not a user error
    return v;
  }

  protected assertLive(): void {
    if (this.disposed) throw new DisposedError(`Model ${this.id}`);
  }

  /**
   * Checks a `predict` input: the model is live and `x` is NHWC with `channels` channels.
   * @throws DisposedError after dispose(); LwayError BAD_INPUT for another rank or channel count.
   */
  protected assertInput(x: tf.Tensor4D, channels: number): void {
    this.assertLive();
    if (x.rank !== 4 || x.shape[3] !== channels) {
      throw new LwayError(
        'BAD_INPUT',
        `${this.id}.predict needs NHWC with ${channels} channels; got [${x.shape}]`,
      );
    }
  }

  /**
   * `x` through the stride-1, zero-padded ('same') convolution `<name>/kernel` + `<name>/bias`, with `fused`
   * naming any activation TF.js fuses into it (linear when left out).
   */
  protected convSame(x: tf.Tensor4D, name: string, fused: ConvActivation = {}): tf.Tensor4D {
    return tf.fused.conv2d({
      x,
      filter: this.param(`${name}/kernel`) as tf.Tensor4D,
      bias: this.param(`${name}/bias`),
      strides: 1,
      pad: 'same',
      ...fused,
    });
  }

  /** Frees every variable. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.params) p.variable.dispose();
  }
}
