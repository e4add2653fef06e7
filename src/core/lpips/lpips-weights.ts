import { ModelLoadError, throwIfAborted } from '../errors.js';
import type { FetchBytes } from '../models/index.js';
import { tf } from '../tf.js';

/** The two LPIPS v0.1 backbones we ship loaders for. */
export type LpipsNet = 'alex' | 'squeeze';
export const LPIPS_NETS: readonly LpipsNet[] = ['alex', 'squeeze'];

/** Name -> tensor map of one network's weights (backbone convs and the `lin<k>` heads). */
export type LpipsWeights = Readonly<Record<string, tf.Tensor>>;

interface WeightsFile {
  readonly weightsManifest: ReadonlyArray<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

/**
 * Loads `<net>.weights.json` and its binary shards through `fetchBytes` (paths relative to the LPIPS folder;
 * the browser passes a URL fetch, Node a file reader). Throws ModelLoadError when missing or malformed.
 * The caller owns the tensors (dispose them, or the LPIPS instance built from them).
 */
export async function loadLpipsWeights(
  net: LpipsNet,
  fetchBytes: FetchBytes,
  signal?: AbortSignal,
): Promise<LpipsWeights> {
  const file = `${net}.weights.json`;
  let manifest: WeightsFile;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(file, signal))) as WeightsFile;
  } catch (err) {
    throwIfAborted(signal);
    throw new ModelLoadError(
      `LPIPS ${net}: cannot read ${file} (${err instanceof Error ? err.message : err})`,
      {
        cause: err,
      },
    );
  }
  const group = manifest.weightsManifest?.[0];
  if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
    throw new ModelLoadError(`LPIPS ${net}: ${file} has no weightsManifest[0].paths/weights`);
  }
  const shards: ArrayBuffer[] = [];
  for (const path of group.paths) {
    throwIfAborted(signal);
    try {
      shards.push(await fetchBytes(path, signal));
    } catch (err) {
      throwIfAborted(signal);
      throw new ModelLoadError(`LPIPS ${net}: cannot read ${path}`, { cause: err });
    }
  }
  const total = shards.reduce((a, b) => a + b.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const s of shards) {
    joined.set(new Uint8Array(s), offset);
    offset += s.byteLength;
  }
  try {
    return tf.io.decodeWeights(joined.buffer, group.weights);
  } catch (err) {
    throw new ModelLoadError(`LPIPS ${net}: weights do not match the manifest (${total} bytes)`, {
      cause: err,
    });
  }
}
