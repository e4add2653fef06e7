import { tf } from '../tf.js';
import { DisposedError, ModelLoadError, throwIfAborted } from '../errors.js';
import type { FetchBytes, LoadModelOptions } from './model-definition.js';
import type { NamedParam, SrModel } from './sr-model.js';
import { registerUpscalerJsLayers } from './upscalerjs-layers.js';

/** What the packages' model definitions say about value ranges (see @upscalerjs/esrgan-* dist/esm). */
export interface UpscalerJsModelSpec {
  readonly id: string;
  readonly scale: number;
  /** RDN models (slim, medium) take and return 0..255; RRDN (thick) 0..1. */
  readonly range: 255 | 1;
}

interface ModelJson {
  readonly modelTopology: object;
  readonly weightsManifest: readonly {
    readonly paths: readonly string[];
    readonly weights: tf.io.WeightsManifestEntry[];
  }[];
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
}

const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * Loads an UpscalerJS ESRGAN LayersModel (model.json + shards, read through `fetchBytes`, so the same code runs in
 * the browser and in Node) and wraps it as an SrModel taking and returning [0, 1]. Missing or corrupt files
 * become ModelLoadError; weights are checked for size and finiteness.
 */
export async function loadUpscalerJsModel(
  spec: UpscalerJsModelSpec,
  options: LoadModelOptions,
): Promise<SrModel> {
  const { fetchBytes, signal } = options;
  throwIfAborted(signal);
  registerUpscalerJsLayers();
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(ioHandler(spec.id, fetchBytes, signal));
  } catch (err) {
    throwIfAborted(signal);
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(
      `Could not load model ${spec.id}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
  try {
    throwIfAborted(signal);
    await assertFiniteWeights(spec.id, model);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return wrap(spec, model);
}

function ioHandler(id: string, fetchBytes: FetchBytes, signal: AbortSignal | undefined): tf.io.IOHandler {
  return {
    load: async () => {
      let json: ModelJson;
      try {
        json = JSON.parse(new TextDecoder().decode(await fetchBytes('model.json', signal))) as ModelJson;
      } catch (err) {
        throwIfAborted(signal);
        throw new ModelLoadError(`Could not read model.json of ${id}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (!json || typeof json.modelTopology !== 'object' || !Array.isArray(json.weightsManifest)) {
        throw new ModelLoadError(
          `model.json of ${id} is not a TF.js layers model (no modelTopology/weightsManifest)`,
        );
      }
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        for (const path of group.paths) {
          throwIfAborted(signal);
          buffers.push(await fetchBytes(path, signal));
        }
      }
      const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
      const expected = weightSpecs.reduce(
        (n, w) => n + w.shape.reduce((a: number, b: number) => a * b, 1) * (DTYPE_BYTES[w.dtype] ?? 4),
        0,
      );
      const got = buffers.reduce((n, b) => n + b.byteLength, 0);
      if (got !== expected) {
        throw new ModelLoadError(
          `Weights of ${id} are corrupt: the shards hold ${got} bytes; model.json needs ${expected}`,
        );
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
      };
    },
  };
}

async function assertFiniteWeights(id: string, model: tf.LayersModel): Promise<void> {
  const bad = tf.tidy(() => {
    const flags = model.weights.map((w) => tf.any(tf.logicalNot(tf.isFinite(w.read()))));
    return tf.any(tf.stack(flags));
  });
  const value = (await bad.data())[0];
  bad.dispose();
  if (value) throw new ModelLoadError(`Weights of ${id} are corrupt: they contain NaN or Infinity`);
}

function wrap(spec: UpscalerJsModelSpec, model: tf.LayersModel): SrModel {
  // Layer order in the Keras topology is creation order, input side first.
  const params: NamedParam[] = model.weights.map((w) => ({
    name: w.originalName,
    variable: w.read() as tf.Variable,
  }));
  let disposed = false;
  return {
    id: spec.id,
    scale: spec.scale,
    tileMultiple: 1,
    // UpscalerJS runs these models on the bare image (zero padding at its border); matching it keeps outputs
    // identical to the upscaler package and avoids paying for context on small images.
    contextPad: 0,
    params,
    predict(x) {
      if (disposed) throw new DisposedError(`model ${spec.id}`);
      return tf.tidy(() => {
        if (spec.range === 1) return model.predict(x) as tf.Tensor4D;
        const y = model.predict(tf.mul(x, 255)) as tf.Tensor4D;
        return tf.div(y, 255) as tf.Tensor4D;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      model.dispose();
    },
  };
}
