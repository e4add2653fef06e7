import { fnv1a32 } from './fnv1a32.js';
import { float32ToFloat16 } from './ncnn/float16.js';

/** One tensor to write into a TF.js weights file. */
export interface TensorToEncode {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
  /** Store as float16 (decoded to float32 on load); use when the values came from fp16 so nothing is lost. */
  readonly float16: boolean;
}

/** One entry of a TF.js weights manifest (the subset of tf.io.WeightsManifestEntry that we write). */
export interface ManifestEntry {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32';
  readonly quantization?: { readonly dtype: 'float16' };
}

/**
 * A one-group TF.js weights manifest plus our checksum of the shard and, optionally, a fingerprint of the files it
 * was converted from (TF.js ignores the extra keys).
 */
export type WeightsManifest = [
  { paths: string[]; weights: ManifestEntry[]; fnv1a32: string; source?: string },
];

/**
 * Packs tensors into a TF.js weights manifest (`weights.json`) and one shard (`weights.bin`), in the given order.
 * float16 entries use `quantization: { dtype: 'float16' }`, which tf.io.decodeWeights understands.
 */
export function encodeTfjsWeights(
  tensors: readonly TensorToEncode[],
  shardName = 'weights.bin',
): { manifest: WeightsManifest; shard: Uint8Array } {
  const bytes = tensors.reduce((n, t) => n + t.values.length * (t.float16 ? 2 : 4), 0);
  const shard = new Uint8Array(bytes);
  const view = new DataView(shard.buffer);
  let pos = 0;
  const weights: ManifestEntry[] = [];
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.values.length) {
      throw new RangeError(`${t.name}: shape [${t.shape}] holds ${size} values, got ${t.values.length}`);
    }
    if (t.float16) {
      for (const v of t.values) {
        view.setUint16(pos, float32ToFloat16(v), true);
        pos += 2;
      }
      weights.push({
        name: t.name,
        shape: [...t.shape],
        dtype: 'float32',
        quantization: { dtype: 'float16' },
      });
    } else {
      for (const v of t.values) {
        view.setFloat32(pos, v, true);
        pos += 4;
      }
      weights.push({ name: t.name, shape: [...t.shape], dtype: 'float32' });
    }
  }
  return { manifest: [{ paths: [shardName], weights, fnv1a32: fnv1a32(shard) }], shard };
}
