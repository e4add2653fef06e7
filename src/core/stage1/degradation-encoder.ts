import { DisposedError, LwayError } from '../errors.js';
import { createRng } from '../degrade/index.js';
import { tf } from '../tf.js';
import { ParamStore, addConv, addDense, conv2d, dense, lrelu } from './stage1-params.js';

/** Shape of E. */
export interface DegradationEncoderConfig {
  /** Output channels of each 3x3 conv; the first has stride 1, the others stride 2. */
  readonly channels: readonly number[];
  /** Width of the MLP's hidden layer. */
  readonly hidden: number;
  /** Embedding dimension d. */
  readonly embeddingDim: number;
}

export const DEFAULT_DEGRADATION_ENCODER_CONFIG: DegradationEncoderConfig = {
  channels: [32, 64, 128, 256],
  hidden: 256,
  embeddingDim: 512,
};

/** Multiply-accumulates per input (LR) pixel of the conv trunk; the MLP after pooling is per image. */
export function encoderMacsPerPixel(config: DegradationEncoderConfig): number {
  let macs = 0;
  let cin = 3;
  let area = 1;
  config.channels.forEach((c, i) => {
    if (i > 0) area *= 4;
    macs += (9 * cin * c) / area;
    cin = c;
  });
  return macs;
}

/**
 * E: LR image -> degradation embedding. 3x3 convs with LeakyReLU (strided after the first), global average
 * pooling (so the input size does not matter; from 32 px up with the default four stages), then a 2-layer MLP.
 */
export class DegradationEncoder {
  readonly params = new ParamStore();

  constructor(
    readonly config: DegradationEncoderConfig = DEFAULT_DEGRADATION_ENCODER_CONFIG,
    seed = 1,
  ) {
    const rng = createRng(seed);
    let cin = 3;
    config.channels.forEach((c, i) => {
      addConv(this.params, rng, `conv${i}`, 3, cin, c);
      cin = c;
    });
    addDense(this.params, rng, 'mlp0', cin, config.hidden);
    addDense(this.params, rng, 'mlp1', config.hidden, config.embeddingDim, 0.5);
  }

  /** NHWC [0, 1] -> [N, d]. Differentiable; the caller owns the result. */
  encode(lr: tf.Tensor4D): tf.Tensor2D {
    if (this.params.isDisposed) throw new DisposedError('DegradationEncoder');
    const minSide = 2 ** (this.config.channels.length - 1);
    if (lr.rank !== 4 || lr.shape[3] !== 3 || lr.shape[1] < minSide || lr.shape[2] < minSide) {
      throw new LwayError(
        'BAD_INPUT',
        `encoder input must be [N, H, W, 3] with sides >= ${minSide}; got [${lr.shape}]`,
      );
    }
    return tf.tidy(() => {
      let x = tf.sub(lr, 0.5) as tf.Tensor4D;
      this.config.channels.forEach((_, i) => {
        x = lrelu(conv2d(this.params, x, `conv${i}`, i === 0 ? 1 : 2));
      });
      const pooled = tf.mean(x, [1, 2]) as tf.Tensor2D;
      return dense(this.params, lrelu(dense(this.params, pooled, 'mlp0')), 'mlp1');
    });
  }

  /** Idempotent. */
  dispose(): void {
    this.params.dispose();
  }
}
