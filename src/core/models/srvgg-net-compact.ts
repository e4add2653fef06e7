import { tf } from '../tf.js';
import { NamedVariableModel } from './named-variable-model.js';
import type { SrModel } from './sr-model.js';
import type { WeightSpec } from './weight-spec.js';

/** Hyper-parameters of SRVGGNetCompact (Real-ESRGAN's compact VGG-style net). */
export interface SrvggConfig {
  readonly numInCh: number;
  readonly numOutCh: number;
  readonly numFeat: number;
  /** Body convolutions after the first one (each followed by PReLU). */
  readonly numConv: number;
  readonly upscale: number;
}

/** realesr-general-x4v3 (ncnn name realesrgan-x4fast): 64 features, 32 body convs, x4. */
export const REALESR_GENERAL_X4V3_CONFIG: SrvggConfig = {
  numInCh: 3,
  numOutCh: 3,
  numFeat: 64,
  numConv: 32,
  upscale: 4,
};

/**
 * Parameter names and shapes in forward order: `head.conv` + `head.prelu`, `body.<i>.conv` + `body.<i>.prelu`
 * for i < numConv, then `tail.conv`. Kernels are HWIO. `tail.conv`'s output channels are in TF.js depthToSpace
 * order (offset (dy*r+dx)*C + c), not PyTorch pixel_shuffle order; see {@link pixelShuffleToDepthToSpace}.
 */
export function srvggNetCompactSpecs(c: SrvggConfig): WeightSpec[] {
  const conv = (name: string, cin: number, cout: number): WeightSpec[] => [
    { name: `${name}/kernel`, shape: [3, 3, cin, cout] },
    { name: `${name}/bias`, shape: [cout] },
  ];
  const specs: WeightSpec[] = [
    ...conv('head.conv', c.numInCh, c.numFeat),
    { name: 'head.prelu/alpha', shape: [c.numFeat] },
  ];
  for (let i = 0; i < c.numConv; i++) {
    specs.push(...conv(`body.${i}.conv`, c.numFeat, c.numFeat), {
      name: `body.${i}.prelu/alpha`,
      shape: [c.numFeat],
    });
  }
  specs.push(...conv('tail.conv', c.numFeat, c.numOutCh * c.upscale * c.upscale));
  return specs;
}

/**
 * `perm[k]` is the PyTorch pixel_shuffle channel (c*r*r + dy*r + dx) that feeds TF.js depthToSpace channel
 * k = (dy*r + dx)*C + c. Converters reorder the last conv's output channels with it once, so the forward pass
 * needs no transpose.
 */
export function pixelShuffleToDepthToSpace(channels: number, r: number): number[] {
  const perm: number[] = [];
  for (let dy = 0; dy < r; dy++) {
    for (let dx = 0; dx < r; dx++) {
      for (let c = 0; c < channels; c++) perm.push(c * r * r + dy * r + dx);
    }
  }
  return perm;
}

/**
 * TF.js depthToSpace (NHWC, channel (dy*r + dx)*C + c) built from reshape + a 4-D transpose, because the
 * DepthToSpace kernel has no gradient in TF.js and LWay fine-tunes through this op.
 */
export function depthToSpace(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, crr] = x.shape;
  const c = crr / (r * r);
  return tf
    .reshape(x, [n * h, w, r, r * c])
    .transpose([0, 2, 1, 3])
    .reshape([n, h * r, w * r, c]) as tf.Tensor4D;
}

/**
 * SRVGGNetCompact from named variables: conv 3->F + PReLU, numConv x (conv F->F + PReLU), conv F->C*r*r,
 * depth-to-space x r, plus the nearest-upsampled input. Convolutions zero-pad ('same'), as in PyTorch and ncnn.
 */
export class SrvggNetCompact extends NamedVariableModel implements SrModel {
  readonly scale: number;
  readonly tileMultiple = 1;
  /** realesrgan-ncnn-vulkan pads every tile by 10 LR px (reflect). */
  readonly contextPad = 10;

  /** @param tensors initial values in {@link srvggNetCompactSpecs} order (copied; the caller keeps them). */
  constructor(
    id: string,
    private readonly config: SrvggConfig,
    tensors: readonly tf.Tensor[],
  ) {
    super(id, srvggNetCompactSpecs(config), tensors);
    this.scale = config.upscale;
  }

  /** NHWC float32 RGB in [0, 1] -> NHWC at `scale`x, not clamped. The caller owns the result. */
  predict(x: tf.Tensor4D): tf.Tensor4D {
    this.assertInput(x, this.config.numInCh);
    return tf.tidy(() => {
      let h = this.convPrelu(x, 'head');
      for (let i = 0; i < this.config.numConv; i++) {
        const next = this.convPrelu(h, `body.${i}`);
        h.dispose(); // keep the peak at two feature maps; gradients keep their own copies
        h = next;
      }
      const tail = this.convSame(h, 'tail.conv');
      const r = this.config.upscale;
      const base = tf.image.resizeNearestNeighbor(x, [x.shape[1] * r, x.shape[2] * r]);
      return tf.add(depthToSpace(tail, r), base);
    });
  }

  private convPrelu(x: tf.Tensor4D, prefix: string): tf.Tensor4D {
    return this.convSame(x, `${prefix}.conv`, {
      activation: 'prelu',
      preluActivationWeights: this.param(`${prefix}.prelu/alpha`),
    });
  }
}
