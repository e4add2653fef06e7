import { selectBackend, type BackendName } from '../../core/backend/select-backend.js';
import { AbortError, LwayError, throwIfAborted } from '../../core/errors.js';
import type { SrModel } from '../../core/models/sr-model.js';
import type { Pixels } from '../../core/pixels.js';
import { tf } from '../../core/tf.js';
import { upscale } from '../../core/upscale/upscale.js';
import type { AdaptOptions, JobProgress, WeightMap } from '../job-types.js';
import type { ModelSummary } from '../model-summary.js';
import { cacheSlotOf } from '../panel-settings.js';
import type { EngineResult, JobEngine } from './serve-jobs.js';

/** An adapted model (the caller owns it; disposing it must not free the base) and notices for the user. */
export interface AdaptOutcome {
  readonly model: SrModel;
  readonly notices: readonly string[];
}

/** Adapts `model` to `pixels`. */
export type AdaptModelFn = (
  model: SrModel,
  pixels: Pixels,
  options: AdaptOptions & { signal: AbortSignal; onProgress: (p: JobProgress) => void },
) => Promise<AdaptOutcome>;

/** What the engine needs from core; injected so the worker entry decides what is wired in. */
export interface CoreEngineDeps {
  /** Loads a preset by id (fetching its weights). The engine keeps base models for later jobs. */
  loadModel(modelId: string, signal: AbortSignal): Promise<SrModel>;
  /** LWay adaptation; absent while this build has none (jobs then report `adaptationUnavailable`). */
  adaptModel?: AdaptModelFn;
  /** Haar weight map for the preview. */
  weightMap?(pixels: Pixels, strength: number): Promise<WeightMap>;
  /** The presets offered (the registry's, summarised). */
  models: readonly ModelSummary[];
  /** Backend preference; 'auto' picks WebGPU -> WebGL -> WASM -> CPU. */
  backend?: BackendName | 'auto';
}

const FAST_BACKENDS: readonly string[] = ['webgpu', 'webgl'];

/** Resolves like `p`, or rejects with AbortError as soon as `signal` fires (`p` itself runs on). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The worker's real engine over core: picks the backend, loads the model, adapts it when asked (reusing the
 * per-layer cache, keyed by layer + model + settings), upscales with core's tiled `upscale`. Every job's tensors are freed before it settles (core's
 * functions own that); what stays between jobs is the base models' weights and the cached adapted models, which
 * `clearCache` frees.
 */
export function createCoreEngine(deps: CoreEngineDeps): JobEngine {
  const baseModels = new Map<string, Promise<SrModel>>();
  const adapted = new Map<string, SrModel>();

  // A load is shared by every job that wants the model, so it is not tied to one job's signal: cancelling the job
  // that started it must not fail the next one. Each job stops waiting on its own signal instead.
  const getModel = (id: string, signal: AbortSignal): Promise<SrModel> => {
    let p = baseModels.get(id);
    if (!p) {
      p = deps.loadModel(id, new AbortController().signal);
      baseModels.set(id, p);
      p.catch(() => baseModels.delete(id)); // a failed load must not poison later jobs
    }
    return untilAborted(p, signal);
  };

  return {
    async run(request, { signal, onProgress, onBackend }): Promise<EngineResult> {
      const backend = await selectBackend(deps.backend ?? 'auto');
      onBackend({ backend, fastPath: FAST_BACKENDS.includes(backend) });
      onProgress({ stage: 'load', step: 0, total: 1 });
      const base = await getModel(request.modelId, signal);
      throwIfAborted(signal);
      onProgress({ stage: 'load', step: 1, total: 1 });

      let model = base;
      let reusedAdaptation = false;
      let adaptationUnavailable = false;
      let cachedAs: string | undefined;
      const notices: string[] = [];
      if (request.adapt) {
        const key = request.cacheKey;
        const hit = key ? adapted.get(key) : undefined;
        if (hit) {
          model = hit;
          reusedAdaptation = true;
          cachedAs = key;
        } else if (deps.adaptModel) {
          const outcome = await deps.adaptModel(base, request.pixels, {
            ...request.adapt,
            signal,
            onProgress,
          });
          model = outcome.model;
          notices.push(...outcome.notices);
          if (key) {
            // One adapted model per layer and model: one for other settings is replaced, not kept alongside.
            for (const [k, m] of adapted) {
              if (cacheSlotOf(k) !== cacheSlotOf(key)) continue;
              m.dispose();
              adapted.delete(k);
            }
            adapted.set(key, model);
            cachedAs = key;
          }
        } else {
          adaptationUnavailable = true;
        }
      }
      try {
        const pixels = await upscale(model, request.pixels, {
          tileSize: request.tileSize,
          signal,
          onProgress: (p) => onProgress({ stage: 'upscale', step: p.done, total: p.total }),
        });
        return { pixels, backend, reusedAdaptation, adaptationUnavailable, cachedAs, notices };
      } finally {
        // An adapted model nobody can reuse (no cache key) dies with its job.
        if (model !== base && !cachedAs) model.dispose();
      }
    },

    async weightMap(pixels, strength) {
      if (!deps.weightMap)
        throw new LwayError('INTERNAL', 'The weight map preview is not available in this build');
      await selectBackend(deps.backend ?? 'auto');
      return deps.weightMap(pixels, strength);
    },

    clearCache(cacheKey) {
      adapted.get(cacheKey)?.dispose();
      adapted.delete(cacheKey);
    },

    models: () => deps.models,

    memory() {
      const { numTensors, numBytes } = tf.memory();
      return { numTensors, numBytes };
    },
  };
}
