import { ModelLoadError } from '../../errors.js';
import { ncnnScalar, type NcnnLayer, type NcnnParam } from './parse-ncnn-param.js';
import { NcnnWeightReader, type NcnnStorage } from './ncnn-weight-reader.js';

/** One tensor read from an ncnn model, already in TF.js layout (conv kernels HWIO). */
export interface NcnnTensor {
  /** `<layer name>/kernel`, `<layer name>/bias` or `<layer name>/alpha`. */
  readonly name: string;
  readonly layer: NcnnLayer;
  readonly role: 'kernel' | 'bias' | 'alpha';
  readonly shape: readonly number[];
  readonly values: Float32Array;
  readonly storage: NcnnStorage;
}

/** Layer types that carry no weights in the `.bin`; anything else not handled below is rejected. */
const WEIGHTLESS = new Set(['Input', 'Split', 'Concat', 'Eltwise', 'BinaryOp', 'Interp', 'PixelShuffle']);

/**
 * Reads every weight of an ncnn model in `.param` order: for each Convolution its kernel (OIHW in ncnn, transposed
 * to TF.js HWIO) and bias, for each PReLU its slopes. Throws ModelLoadError on a layer type it does not know, on a
 * truncated `.bin` and on bytes left over at the end (a sign the file does not belong to this `.param`).
 */
export function readNcnnWeights(param: NcnnParam, bin: ArrayBuffer | ArrayBufferView): NcnnTensor[] {
  const reader = new NcnnWeightReader(bin);
  const out: NcnnTensor[] = [];
  for (const layer of param.layers) {
    if (layer.type === 'Convolution') {
      const numOutput = ncnnScalar(layer, 0, 0);
      const kw = ncnnScalar(layer, 1, 0);
      const kh = ncnnScalar(layer, 11, kw);
      const biasTerm = ncnnScalar(layer, 5, 0);
      const size = ncnnScalar(layer, 6, 0);
      if (ncnnScalar(layer, 8, 0) !== 0) {
        throw new ModelLoadError(`ncnn layer ${layer.name}: int8 scale terms (8=) are not supported`);
      }
      const numInput = size / (numOutput * kh * kw);
      if (!Number.isInteger(numInput) || numInput < 1) {
        throw new ModelLoadError(
          `ncnn layer ${layer.name}: weight_data_size ${size} is not a multiple of ${numOutput}x${kh}x${kw}`,
        );
      }
      const blob = reader.readTagged(size);
      out.push({
        name: `${layer.name}/kernel`,
        layer,
        role: 'kernel',
        shape: [kh, kw, numInput, numOutput],
        values: oihwToHwio(blob.values, numOutput, numInput, kh, kw),
        storage: blob.storage,
      });
      if (biasTerm) {
        out.push({
          name: `${layer.name}/bias`,
          layer,
          role: 'bias',
          shape: [numOutput],
          values: reader.readRaw(numOutput),
          storage: 'float32',
        });
      }
    } else if (layer.type === 'PReLU') {
      const n = ncnnScalar(layer, 0, 0);
      out.push({
        name: `${layer.name}/alpha`,
        layer,
        role: 'alpha',
        shape: [n],
        values: reader.readRaw(n),
        storage: 'float32',
      });
    } else if (!WEIGHTLESS.has(layer.type)) {
      throw new ModelLoadError(
        `ncnn layer type ${layer.type} (${layer.name}) is not supported; known: Convolution, PReLU, ${[...WEIGHTLESS].join(', ')}`,
      );
    }
  }
  if (reader.remaining !== 0) {
    throw new ModelLoadError(
      `ncnn .bin has ${reader.remaining} bytes left after reading every layer's weights (read ${reader.offset})`,
    );
  }
  return out;
}

function oihwToHwio(src: Float32Array, o: number, i: number, h: number, w: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let oc = 0; oc < o; oc++) {
    for (let ic = 0; ic < i; ic++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          dst[((y * w + x) * i + ic) * o + oc] = src[((oc * i + ic) * h + y) * w + x];
        }
      }
    }
  }
  return dst;
}
