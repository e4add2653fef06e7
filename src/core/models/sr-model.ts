import type { tf } from '../tf.js';

/** One named trainable parameter of a model. Names are stable across loads (e.g. `body.12.conv/kernel`). */
export interface NamedParam {
  readonly name: string;
  readonly variable: tf.Variable;
}

/**
 * A loaded super-resolution network. Built from named tf.Variables so LWay can fine-tune a chosen subset.
 * Input and output are NHWC float32 RGB in [0, 1]; `predict` does not clamp (callers clamp when converting to bytes).
 */
export interface SrModel {
  readonly id: string;
  readonly scale: number;
  /** Input height and width must be multiples of this (1 when any size works). */
  readonly tileMultiple: number;
  /**
   * Context pixels a tiled upscale reads around each tile by default (reflected at the image border), as the
   * model's reference implementation does: 10 for Real-ESRGAN's ncnn tool, 0 for UpscalerJS. Absent: 10.
   */
  readonly contextPad?: number;
  /** Every parameter in forward order (input side first), so "the output-side 65%" is a suffix. */
  readonly params: readonly NamedParam[];
  /** Forward pass. The caller owns (and disposes) the result; `x` is not disposed. */
  predict(x: tf.Tensor4D): tf.Tensor4D;
  /** Frees every variable. Idempotent; calls after it throw DisposedError. */
  dispose(): void;
}
