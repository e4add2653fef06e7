import { tf } from '../tf.js';
import { NamedVariableModel } from './named-variable-model.js';
import type { SrModel } from './sr-model.js';
import type { WeightSpec } from './weight-spec.js';

/** Hyper-parameters of ESRGAN's RRDBNet (x4 variant: two nearest x2 + conv stages). */
export interface RrdbConfig {
  readonly numInCh: number;
  readonly numOutCh: number;
  readonly numFeat: number;
  readonly numBlock: number;
  readonly numGrowCh: number;
}

/** RealESRGAN_x4plus: 23 RRDB blocks, 64 features, growth 32. */
export const REALESRGAN_X4PLUS_CONFIG: RrdbConfig = {
  numInCh: 3,
  numOutCh: 3,
  numFeat: 64,
  numBlock: 23,
  numGrowCh: 32,
};

/** Residual scaling of ESRGAN's dense blocks (ncnn stores it as Eltwise coefficients 0.2, 1). */
const RESIDUAL_SCALE = 0.2;
const LEAKY_SLOPE = 0.2;
const DENSE_CONVS = 5;
const RDBS_PER_RRDB = 3;

/**
 * Parameter names and shapes in forward order: `conv_first`, `rrdb.<b>.rdb<1..3>.conv<1..5>`, `conv_body`,
 * `conv_up1`, `conv_up2`, `conv_hr`, `conv_last`; each with `/kernel` (HWIO) and `/bias`.
 */
export function rrdbNetSpecs(c: RrdbConfig): WeightSpec[] {
  const conv = (name: string, cin: number, cout: number): WeightSpec[] => [
    { name: `${name}/kernel`, shape: [3, 3, cin, cout] },
    { name: `${name}/bias`, shape: [cout] },
  ];
  const specs = conv('conv_first', c.numInCh, c.numFeat);
  for (let b = 0; b < c.numBlock; b++) {
    for (let r = 1; r <= RDBS_PER_RRDB; r++) {
      for (let k = 1; k <= DENSE_CONVS; k++) {
        const cin = c.numFeat + (k - 1) * c.numGrowCh;
        specs.push(...conv(`rrdb.${b}.rdb${r}.conv${k}`, cin, k === DENSE_CONVS ? c.numFeat : c.numGrowCh));
      }
    }
  }
  for (const name of ['conv_body', 'conv_up1', 'conv_up2', 'conv_hr'])
    specs.push(...conv(name, c.numFeat, c.numFeat));
  specs.push(...conv('conv_last', c.numFeat, c.numOutCh));
  return specs;
}

/**
 * RRDBNet (ESRGAN / Real-ESRGAN x4plus) from named variables. LeakyReLU(0.2) is fused into the convolutions that
 * have it; each RRDB runs in its own tidy so a forward pass holds only a block's worth of feature maps.
 */
export class RrdbNet extends NamedVariableModel implements SrModel {
  readonly scale = 4;
  readonly tileMultiple = 1;
  /** realesrgan-ncnn-vulkan pads every tile by 10 LR px (reflect). */
  readonly contextPad = 10;

  /** @param tensors initial values in {@link rrdbNetSpecs} order (copied; the caller keeps them). */
  constructor(
    id: string,
    private readonly config: RrdbConfig,
    tensors: readonly tf.Tensor[],
  ) {
    super(id, rrdbNetSpecs(config), tensors);
  }

  /** NHWC float32 RGB in [0, 1] -> NHWC at 4x, not clamped. The caller owns the result. */
  predict(x: tf.Tensor4D): tf.Tensor4D {
    this.assertInput(x, this.config.numInCh);
    return tf.tidy(() => {
      const feat = this.conv(x, 'conv_first', false);
      let body = feat;
      for (let b = 0; b < this.config.numBlock; b++) {
        const prev = body;
        body = tf.tidy(() => this.rrdb(prev, b));
        if (prev !== feat) prev.dispose();
      }
      let h = tf.add(feat, this.conv(body, 'conv_body', false)) as tf.Tensor4D;
      for (const name of ['conv_up1', 'conv_up2']) {
        const [height, width] = [h.shape[1], h.shape[2]];
        h = this.conv(tf.image.resizeNearestNeighbor(h, [height * 2, width * 2]), name, true);
      }
      return this.conv(this.conv(h, 'conv_hr', true), 'conv_last', false);
    });
  }

  private rrdb(x: tf.Tensor4D, b: number): tf.Tensor4D {
    let h = x;
    for (let r = 1; r <= RDBS_PER_RRDB; r++) h = this.rdb(h, `rrdb.${b}.rdb${r}`);
    return tf.add(tf.mul(h, RESIDUAL_SCALE), x);
  }

  private rdb(x: tf.Tensor4D, prefix: string): tf.Tensor4D {
    const feats: tf.Tensor4D[] = [x];
    for (let k = 1; k < DENSE_CONVS; k++) {
      const input = feats.length === 1 ? x : tf.concat(feats, 3);
      feats.push(this.conv(input, `${prefix}.conv${k}`, true));
    }
    const out = this.conv(tf.concat(feats, 3), `${prefix}.conv${DENSE_CONVS}`, false);
    return tf.add(tf.mul(out, RESIDUAL_SCALE), x);
  }

  private conv(x: tf.Tensor4D, name: string, leaky: boolean): tf.Tensor4D {
    return this.convSame(x, name, {
      activation: leaky ? 'leakyrelu' : 'linear',
      leakyreluAlpha: LEAKY_SLOPE,
    });
  }
}
