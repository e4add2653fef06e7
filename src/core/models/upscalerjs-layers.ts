import { tf } from '../tf.js';

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

function first(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** Residual scaling used by the RRDN (`esrgan-thick`) blocks: multiplies by 0.2. Serialized as `MultiplyBeta`. */
class MultiplyBeta extends tf.layers.Layer {
  static readonly className = 'MultiplyBeta';
  constructor(args?: LayerArgs) {
    super(args ?? {});
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.mul(first(inputs), 0.2);
  }
}

/** Pixel shuffle (depth-to-space, NHWC) by `scale`, serialized as `PixelShuffle2x` / `3x` / `4x`. */
function pixelShuffleClass(scale: number) {
  return class PixelShuffle extends tf.layers.Layer {
    static readonly className = `PixelShuffle${scale}x`;
    constructor(args?: LayerArgs) {
      super(args ?? {});
    }
    override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
      const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
      const up = (v: number | null): number | null => (v === null ? null : v * scale);
      return [s[0], up(s[1]), up(s[2]), s[3] === null ? null : s[3] / (scale * scale)];
    }
    override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
      return tf.depthToSpace(first(inputs) as tf.Tensor4D, scale, 'NHWC');
    }
  };
}

let registered = false;

/**
 * Registers the two custom layer types the UpscalerJS RRDN models serialize, so tf.loadLayersModel can rebuild
 * them. Explicit and idempotent (not an import side effect). Our own implementations of what the class names
 * describe; the `upscaler` package registers equivalent ones under the same names.
 */
export function registerUpscalerJsLayers(): void {
  if (registered) return;
  registered = true;
  tf.serialization.registerClass(MultiplyBeta);
  for (const scale of [2, 3, 4, 8]) tf.serialization.registerClass(pixelShuffleClass(scale));
}
