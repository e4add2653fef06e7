import { tf } from '../tf.js';
import { AbortError, ModelLoadError, throwIfAborted } from '../errors.js';
import { fnv1a32 } from './fnv1a32.js';
import type { LoadModelOptions } from './model-definition.js';
import type { WeightSpec } from './weight-spec.js';

const MANIFEST_FILE = 'weights.json';
const BYTES_PER_VALUE: Record<string, number> = { float32: 4, float16: 2 };

interface ParsedEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

/**
 * Fetches `weights.json` + its shard through `fetchBytes` and decodes them into tensors, one per spec, in spec order.
 * Validates before decoding: the manifest's names and shapes must equal `specs` exactly, the shard's length must
 * match, and its FNV-1a checksum must match the manifest's. Every failure is a ModelLoadError naming `modelId` and
 * what differed; AbortError if `signal` fires. The caller owns the returned tensors.
 */
export async function loadNamedWeights(
  modelId: string,
  specs: readonly WeightSpec[],
  { fetchBytes, signal }: LoadModelOptions,
): Promise<tf.Tensor[]> {
  throwIfAborted(signal);
  const manifestBytes = await fetchOrFail(modelId, MANIFEST_FILE, fetchBytes, signal);
  throwIfAborted(signal);
  const { entries, shard, checksum } = parseManifest(modelId, manifestBytes);
  checkEntries(modelId, entries, specs);
  const data = await fetchOrFail(modelId, shard, fetchBytes, signal);
  throwIfAborted(signal);
  const expected = entries.reduce(
    (n, e) => n + e.shape.reduce((a, b) => a * b, 1) * BYTES_PER_VALUE[e.quantization?.dtype ?? e.dtype],
    0,
  );
  if (data.byteLength !== expected) {
    throw new ModelLoadError(
      `${modelId}: ${shard} has ${data.byteLength} bytes but ${MANIFEST_FILE} describes ${expected}; ` +
        `the file is truncated or from another version. Re-run the model set-up command (npm run build).`,
    );
  }
  const actual = fnv1a32(new Uint8Array(data));
  if (actual !== checksum) {
    throw new ModelLoadError(
      `${modelId}: ${shard} is corrupted (FNV-1a ${actual}, manifest says ${checksum}). ` +
        `Re-run the model set-up command (npm run build).`,
    );
  }
  const named = tf.io.decodeWeights(data, entries as tf.io.WeightsManifestEntry[]);
  return specs.map((s) => named[s.name]);
}

async function fetchOrFail(
  modelId: string,
  path: string,
  fetchBytes: LoadModelOptions['fetchBytes'],
  signal: AbortSignal | undefined,
): Promise<ArrayBuffer> {
  try {
    return await fetchBytes(path, signal);
  } catch (err) {
    if (err instanceof ModelLoadError || err instanceof AbortError) throw err;
    throw new ModelLoadError(
      `${modelId}: could not fetch ${path}: ${(err as Error)?.message ?? String(err)}`,
      {
        cause: err,
      },
    );
  }
}

function parseManifest(
  modelId: string,
  bytes: ArrayBuffer,
): { entries: ParsedEntry[]; shard: string; checksum: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ModelLoadError(`${modelId}: ${MANIFEST_FILE} is not valid JSON`, { cause: err });
  }
  const group = Array.isArray(json) && json.length === 1 ? (json[0] as Record<string, unknown>) : undefined;
  const paths = group?.paths;
  const weights = group?.weights;
  const checksum = group?.fnv1a32;
  if (
    !Array.isArray(paths) ||
    paths.length !== 1 ||
    typeof paths[0] !== 'string' ||
    !Array.isArray(weights) ||
    typeof checksum !== 'string'
  ) {
    throw new ModelLoadError(
      `${modelId}: ${MANIFEST_FILE} must be a one-group TF.js weights manifest with one shard path and an fnv1a32 checksum`,
    );
  }
  for (const w of weights as ParsedEntry[]) {
    const dtype = w?.quantization?.dtype ?? w?.dtype;
    if (
      typeof w?.name !== 'string' ||
      !Array.isArray(w.shape) ||
      w.dtype !== 'float32' ||
      !(dtype in BYTES_PER_VALUE)
    ) {
      throw new ModelLoadError(
        `${modelId}: ${MANIFEST_FILE} has a bad entry ${JSON.stringify(w)}; expected float32 (optionally float16-quantized)`,
      );
    }
  }
  return { entries: weights as ParsedEntry[], shard: paths[0], checksum };
}

function checkEntries(modelId: string, entries: readonly ParsedEntry[], specs: readonly WeightSpec[]): void {
  if (entries.length !== specs.length) {
    throw new ModelLoadError(
      `${modelId}: ${MANIFEST_FILE} lists ${entries.length} weights; the architecture needs ${specs.length}`,
    );
  }
  specs.forEach((spec, i) => {
    const e = entries[i];
    if (e.name !== spec.name || e.shape.join(',') !== spec.shape.join(',')) {
      throw new ModelLoadError(
        `${modelId}: weight ${i} is ${e.name} [${e.shape}]; expected ${spec.name} [${spec.shape}]`,
      );
    }
  });
}
