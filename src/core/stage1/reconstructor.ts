import { DisposedError, LwayError } from '../errors.js';
import { createRng } from '../degrade/index.js';
import { tf } from '../tf.js';
import { ParamStore, addConv, addDense, conv2d, dense, lrelu } from './stage1-params.js';

/** Shape of R. */
export interface ReconstructorConfig {
  /** 2, 3 or 4: R maps an HR image to LR at 1/scale. */
  readonly scale: number;
  /** Feature channels. */
  readonly width: number;
  /** Number of convs: the strided entry conv, depth - 2 FiLM-modulated 3x3 convs, and the 3x3 output conv. */
  readonly depth: number;
  /** Embedding dimension d (must match E). */
  readonly embeddingDim: number;
}

export const DEFAULT_RECONSTRUCTOR_CONFIG: ReconstructorConfig = {
  scale: 4,
  width: 32,
  depth: 5,
  embeddingDim: 512,
};

/**
 * FiLM maps start small but not zero: with zero weights the loss has no gradient with respect to e, so E would
 * not learn until the maps had grown on their own.
 */
const FILM_INIT_GAIN = 0.1;

/** Multiply-accumulates per output (LR) pixel. */
export function reconstructorMacsPerPixel(config: ReconstructorConfig): number {
  const s = config.scale;
  const w = config.width;
  return s * s * 3 * w + (config.depth - 2) * 9 * w * w + 9 * w * 3;
}

/**
 * R: (HR image, embedding) -> LR at 1/scale. Runs at LR resolution from the first layer (an s x s conv with stride
 * s, i.e. pixel-unshuffle + 1x1), modulates each hidden layer with FiLM (per-channel scale 1 + gamma and shift beta,
 * a linear map of e, initialised small so R starts nearly embedding-agnostic) and adds the area-downscaled HR, so it only
 * learns the residual degradation.
 */
export class Reconstructor {
  readonly params = new ParamStore();

  constructor(
    readonly config: ReconstructorConfig = DEFAULT_RECONSTRUCTOR_CONFIG,
    seed = 2,
  ) {
    if (![2, 3, 4].includes(config.scale)) {
      throw new LwayError('BAD_INPUT', `reconstructor scale must be 2, 3 or 4; got ${config.scale}`);
    }
    if (!Number.isInteger(config.depth) || config.depth < 2) {
      throw new LwayError('BAD_INPUT', `reconstructor depth must be an integer >= 2; got ${config.depth}`);
    }
    const rng = createRng(seed);
    const { scale: s, width: w } = config;
    addConv(this.params, rng, 'conv0', s, 3, w);
    addDense(this.params, rng, 'film0', config.embeddingDim, 2 * w, FILM_INIT_GAIN);
    for (let i = 1; i <= config.depth - 2; i++) {
      addConv(this.params, rng, `conv${i}`, 3, w, w);
      addDense(this.params, rng, `film${i}`, config.embeddingDim, 2 * w, FILM_INIT_GAIN);
    }
    addConv(this.params, rng, 'out', 3, w, 3, 0.1);
  }

  /**
   * HR NHWC [0, 1] (sides multiples of scale) and embeddings [N, d] -> LR [N, H/s, W/s, 3]. Differentiable in both;
   * inputs are not disposed; the caller owns the result.
   */
  reconstruct(hr: tf.Tensor4D, embedding: tf.Tensor2D): tf.Tensor4D {
    if (this.params.isDisposed) throw new DisposedError('Reconstructor');
    const { scale: s, width: w, embeddingDim } = this.config;
    const [n, h, wd, c] = hr.shape;
    if (hr.rank !== 4 || c !== 3 || h % s !== 0 || wd % s !== 0) {
      throw new LwayError(
        'BAD_INPUT',
        `reconstructor input must be [N, H, W, 3] with H, W multiples of ${s}; got [${hr.shape}]`,
      );
    }
    if (
      embedding.rank !== 2 ||
      embedding.shape[1] !== embeddingDim ||
      (embedding.shape[0] !== n && embedding.shape[0] !== 1)
    ) {
      throw new LwayError(
        'BAD_INPUT',
        `embedding must be [${n} or 1, ${embeddingDim}]; got [${embedding.shape}]`,
      );
    }
    return tf.tidy(() => {
      const film = (x: tf.Tensor4D, i: number): tf.Tensor4D => {
        const gb = dense(this.params, embedding, `film${i}`);
        const [gamma, beta] = tf.split(gb, [w, w], 1);
        const g = tf.reshape(tf.add(gamma, 1), [-1, 1, 1, w]);
        const b = tf.reshape(beta, [-1, 1, 1, w]);
        return tf.add(tf.mul(x, g), b) as tf.Tensor4D;
      };
      let x = lrelu(film(conv2d(this.params, tf.sub(hr, 0.5) as tf.Tensor4D, 'conv0', s), 0));
      for (let i = 1; i <= this.config.depth - 2; i++) x = lrelu(film(conv2d(this.params, x, `conv${i}`), i));
      const residual = conv2d(this.params, x, 'out');
      const base = tf.avgPool(hr, s, s, 'valid');
      return tf.add(base, residual) as tf.Tensor4D;
    });
  }

  /** Idempotent. */
  dispose(): void {
    this.params.dispose();
  }
}
