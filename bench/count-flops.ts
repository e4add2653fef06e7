// FLOPs of whatever `f` runs, counted from the kernels TF.js records (tf.profile): convolutions forward and
// backward and matrix products, at 2 FLOPs per multiply-add. Element-wise kernels, pooling, resizes and Adam are
// not counted (under 2 % of an SR adaptation step), so GFLOPS figures err on the low side.
import { tf } from '../src/core/tf.js';

const prod = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** FLOPs of one recorded kernel, 0 for kernels that are not a convolution or a matrix product. */
export function kernelFlops(name: string, inputs: readonly number[][], outputs: readonly number[][]): number {
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const [kh, kw, ci] = inputs[1];
      return 2 * prod(outputs[0]) * kh * kw * ci;
    }
    case 'Conv2DBackpropInput': {
      // inputs: dy [N, Ho, Wo, Co], filter [KH, KW, Ci, Co]
      const [kh, kw, ci] = inputs[1];
      return 2 * prod(inputs[0]) * kh * kw * ci;
    }
    case 'Conv2DBackpropFilter': {
      // inputs: x, dy [N, Ho, Wo, Co]; output: the filter [KH, KW, Ci, Co]
      const [kh, kw, ci] = outputs[0];
      return 2 * prod(inputs[1]) * kh * kw * ci;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      // a [B, M, K] x b [B, K, N] -> [B, M, N] whatever the transposes: |a| |b| / |out| = B K^2.
      const batch = prod(outputs[0].slice(0, -2));
      const k = Math.sqrt((prod(inputs[0]) * prod(inputs[1])) / prod(outputs[0]) / batch);
      return 2 * prod(outputs[0]) * k;
    }
    default:
      return 0;
  }
}

/** Runs `f` once under tf.profile and returns the FLOPs of the kernels it ran (see kernelFlops). */
export async function countFlops(f: () => Promise<unknown>): Promise<number> {
  const info = await tf.profile(async () => {
    await f();
  });
  return info.kernels.reduce((sum, k) => sum + kernelFlops(k.name, k.inputShapes, k.outputShapes), 0);
}
