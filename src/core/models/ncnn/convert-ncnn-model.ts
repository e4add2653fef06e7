import { ModelLoadError } from '../../errors.js';
import type { TensorToEncode } from '../encode-tfjs-weights.js';
import type { WeightSpec } from '../weight-spec.js';
import { parseNcnnParam } from './parse-ncnn-param.js';
import { readNcnnWeights, type NcnnTensor } from './read-ncnn-weights.js';

/** Optional per-tensor fix-up (e.g. reorder a kernel's output channels) applied before the shape check. */
export type NcnnTensorAdapter = (spec: WeightSpec, tensor: NcnnTensor) => Float32Array;

/**
 * Maps an ncnn model's weights onto an architecture's named specs. The weights are taken in `.param` order, which
 * for the Real-ESRGAN exports is the forward order our specs use; each must have the spec's shape. fp16-stored
 * kernels stay fp16 in the output. Throws ModelLoadError naming the first mismatch.
 */
export function convertNcnnModel(
  paramText: string,
  bin: ArrayBuffer | ArrayBufferView,
  specs: readonly WeightSpec[],
  adapt?: NcnnTensorAdapter,
): TensorToEncode[] {
  const tensors = readNcnnWeights(parseNcnnParam(paramText), bin);
  if (tensors.length !== specs.length) {
    throw new ModelLoadError(
      `ncnn model has ${tensors.length} weight tensors; the architecture needs ${specs.length}`,
    );
  }
  return specs.map((spec, i) => {
    const t = tensors[i];
    if (t.shape.join(',') !== spec.shape.join(',')) {
      throw new ModelLoadError(
        `ncnn ${t.name} has shape [${t.shape}] but ${spec.name} needs [${spec.shape}]`,
      );
    }
    return {
      name: spec.name,
      shape: spec.shape,
      values: adapt ? adapt(spec, t) : t.values,
      float16: t.storage === 'float16',
    };
  });
}

/** Returns a copy of an HWIO kernel or a bias whose last axis is reordered so that `out[k] = in[perm[k]]`. */
export function permuteLastAxis(values: Float32Array, perm: readonly number[]): Float32Array {
  const n = perm.length;
  const out = new Float32Array(values.length);
  for (let base = 0; base < values.length; base += n) {
    for (let k = 0; k < n; k++) out[base + k] = values[base + perm[k]];
  }
  return out;
}
