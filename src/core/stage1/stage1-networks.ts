import { ModelLoadError, throwIfAborted } from '../errors.js';
import type { FetchBytes } from '../models/index.js';
import { tf } from '../tf.js';
import {
  DEFAULT_DEGRADATION_ENCODER_CONFIG,
  DegradationEncoder,
  type DegradationEncoderConfig,
} from './degradation-encoder.js';
import { DEFAULT_RECONSTRUCTOR_CONFIG, Reconstructor, type ReconstructorConfig } from './reconstructor.js';

/** E and R trained together for one scale. */
export interface Stage1Networks {
  readonly encoder: DegradationEncoder;
  readonly reconstructor: Reconstructor;
}

/** Builds freshly initialised E and R (deterministic in `seed`) for `scale`. */
export function createStage1Networks(
  scale: number,
  options: {
    encoder?: Partial<DegradationEncoderConfig>;
    reconstructor?: Partial<Omit<ReconstructorConfig, 'scale' | 'embeddingDim'>>;
    seed?: number;
  } = {},
): Stage1Networks {
  const enc = { ...DEFAULT_DEGRADATION_ENCODER_CONFIG, ...options.encoder };
  const rec = {
    ...DEFAULT_RECONSTRUCTOR_CONFIG,
    ...options.reconstructor,
    scale,
    embeddingDim: enc.embeddingDim,
  };
  const seed = options.seed ?? 1;
  return { encoder: new DegradationEncoder(enc, seed), reconstructor: new Reconstructor(rec, seed + 1) };
}

/** The JSON file of a stage-1 model (TF.js weights-manifest layout plus our configs). */
export interface Stage1Manifest {
  readonly format: 'lway-stage1';
  readonly version: 1;
  readonly scale: number;
  readonly encoder: DegradationEncoderConfig;
  readonly reconstructor: ReconstructorConfig;
  /** Free-form training state (checkpoints: step, RNG state, optimizer step count, options). */
  readonly training?: Record<string, unknown>;
  readonly weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

/** Files ready to write: `<name>.json` (the manifest) and `<name>.bin`. */
export interface Stage1Artifacts {
  readonly manifest: Stage1Manifest;
  readonly weightData: ArrayBuffer;
}

/**
 * Serialises E and R (names prefixed `E/` and `R/`) plus any `extra` tensors (e.g. optimizer moments) into one
 * weights manifest whose binary is `binName`.
 */
export async function serializeStage1(
  nets: Stage1Networks,
  options: { binName?: string; extra?: Record<string, tf.Tensor>; training?: Record<string, unknown> } = {},
): Promise<Stage1Artifacts> {
  const map: Record<string, tf.Tensor> = {};
  for (const [name, v] of nets.encoder.params.entries()) map[`E/${name}`] = v;
  for (const [name, v] of nets.reconstructor.params.entries()) map[`R/${name}`] = v;
  Object.assign(map, options.extra ?? {});
  const { data, specs } = await tf.io.encodeWeights(map);
  return {
    manifest: {
      format: 'lway-stage1',
      version: 1,
      scale: nets.reconstructor.config.scale,
      encoder: nets.encoder.config,
      reconstructor: nets.reconstructor.config,
      ...(options.training ? { training: options.training } : {}),
      weightsManifest: [{ paths: [options.binName ?? 'weights.bin'], weights: specs }],
    },
    weightData: data,
  };
}

/** What loadStage1 returns: the networks, the manifest, and the non-network tensors (caller owns them). */
export interface LoadedStage1 extends Stage1Networks {
  readonly manifest: Stage1Manifest;
  readonly extra: Record<string, tf.Tensor>;
}

/**
 * Loads a stage-1 model (`weights.json` by default) through `fetchBytes`. Throws ModelLoadError when a file is
 * missing, the format is not ours, or a weight is absent or has the wrong shape.
 */
export async function loadStage1(
  fetchBytes: FetchBytes,
  options: { file?: string; signal?: AbortSignal } = {},
): Promise<LoadedStage1> {
  const file = options.file ?? 'weights.json';
  const read = async (path: string) => {
    throwIfAborted(options.signal);
    try {
      return await fetchBytes(path, options.signal);
    } catch (err) {
      throwIfAborted(options.signal);
      throw new ModelLoadError(`stage-1 model: cannot read ${path}`, { cause: err });
    }
  };
  let manifest: Stage1Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await read(file))) as Stage1Manifest;
  } catch (err) {
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(`stage-1 model: ${file} is not JSON`, { cause: err });
  }
  if (manifest.format !== 'lway-stage1' || manifest.version !== 1) {
    throw new ModelLoadError(
      `stage-1 model: ${file} has format ${manifest.format}/${manifest.version}; expected lway-stage1/1`,
    );
  }
  const group = manifest.weightsManifest[0];
  const shards = await Promise.all(group.paths.map(read));
  const joined = new Uint8Array(shards.reduce((a, b) => a + b.byteLength, 0));
  let offset = 0;
  for (const s of shards) {
    joined.set(new Uint8Array(s), offset);
    offset += s.byteLength;
  }
  // Check the size before decoding: decodeWeights throws TF's raw text part-way, after allocating some tensors.
  const expected = group.weights.reduce(
    (sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'bool' ? 1 : 4),
    0,
  );
  if (joined.byteLength !== expected) {
    throw new ModelLoadError(
      `stage-1 model: ${group.paths.join(', ')} holds ${joined.byteLength} bytes; ${file} expects ${expected}`,
    );
  }
  const tensors = tf.io.decodeWeights(joined.buffer, group.weights);
  const nets = {
    encoder: new DegradationEncoder(manifest.encoder),
    reconstructor: new Reconstructor(manifest.reconstructor),
  };
  try {
    for (const [prefix, store] of [
      ['E/', nets.encoder.params],
      ['R/', nets.reconstructor.params],
    ] as const) {
      for (const [name, v] of store.entries()) {
        const t = tensors[prefix + name];
        if (!t || t.shape.join() !== v.shape.join()) {
          throw new ModelLoadError(
            `stage-1 model: weight ${prefix}${name} is ${t ? `[${t.shape}]` : 'missing'}; expected [${v.shape}]`,
          );
        }
        v.assign(t);
        t.dispose();
        delete tensors[prefix + name];
      }
    }
  } catch (err) {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    tf.dispose(Object.values(tensors));
    throw err;
  }
  return { ...nets, manifest, extra: tensors };
}
