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
  /** Adam steps that ran. */
  readonly stepsRun: number;
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
  /** Backend preference when a job does not name one; 'auto' picks WebGPU -> WebGL -> WASM -> CPU. */
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
  // Keyed by backend + model id: weights live on the backend active at load time, and a job on another backend
  // cannot read them (WebGPU has no synchronous read), so each backend gets its own copy.
  const baseModels = new Map<string, Promise<SrModel>>();
  // Adapted models by cache key, with the backend their weights live on; a hit on another backend adapts again.
  const adapted = new Map<string, { model: SrModel; backend: string }>();

  // A load is shared by every job that wants the model, so it is not tied to one job's signal: cancelling the job
  // that started it must not fail the next one. Each job stops waiting on its own signal instead.
  const getModel = (id: string, backend: string, signal: AbortSignal): Promise<SrModel> => {
    const key = `${backend}:${id}`;
    let p = baseModels.get(key);
    if (!p) {
      p = deps.loadModel(id, new AbortController().signal);
      baseModels.set(key, p);
      p.catch(() => baseModels.delete(key)); // a failed load must not poison later jobs
    }
    return untilAborted(p, signal);
  };

  // TF.js's backend is global: a job switching it while another job or a weight map computes on the other one
  // makes kernels run against the wrong backend ("backend.shouldExecuteOnCPU is not a function"). So jobs run
  // one at a time, each waits for weight maps in flight, and a weight map asked for during a job uses the job's
  // backend instead of switching.
  let jobTail: Promise<void> = Promise.resolve();
  let jobBackend: BackendName | undefined;
  let preferred: BackendName | 'auto' = deps.backend ?? 'auto';
  const weightMapsInFlight = new Set<Promise<unknown>>();

  const runJob: JobEngine['run'] = async (request, { signal, onProgress, onBackend }) => {
    await Promise.allSettled([...weightMapsInFlight]);
    throwIfAborted(signal);
    preferred = request.backend && request.backend !== 'auto' ? request.backend : (deps.backend ?? 'auto');
    const backend = await selectBackend(preferred);
    jobBackend = backend;
    onBackend({ backend, fastPath: FAST_BACKENDS.includes(backend) });
    onProgress({ stage: 'load', step: 0, total: 1 });
    const base = await getModel(request.modelId, backend, signal);
    throwIfAborted(signal);
    onProgress({ stage: 'load', step: 1, total: 1 });

    let model = base;
    let reusedAdaptation = false;
    let adaptationUnavailable = false;
    let cachedAs: string | undefined;
    let adaptedSteps: number | undefined;
    const notices: string[] = [];
    const key = request.adapt ? request.cacheKey : undefined;
    if (request.adapt) {
      const hit = key ? adapted.get(key) : undefined;
      if (hit && hit.backend === backend) {
        model = hit.model;
        reusedAdaptation = true;
        cachedAs = key;
      } else if (deps.adaptModel) {
        const outcome = await deps.adaptModel(base, request.pixels, {
          ...request.adapt,
          signal,
          onProgress,
        });
        model = outcome.model;
        adaptedSteps = outcome.stepsRun;
        notices.push(...outcome.notices);
      } else {
        adaptationUnavailable = true;
      }
    }
    const fresh = model !== base && !reusedAdaptation;
    try {
      throwIfAborted(signal);
      const pixels = await upscale(model, request.pixels, {
        tileSize: request.tileSize,
        signal,
        onProgress: (p) => onProgress({ stage: 'upscale', step: p.done, total: p.total }),
      });
      throwIfAborted(signal);
      if (fresh && key) {
        // Cached only once the whole job finished: a cancelled or failed job leaves nothing to reuse silently.
        // One adapted model per layer and model: one for other settings is replaced, not kept alongside.
        for (const [k, entry] of adapted) {
          if (cacheSlotOf(k) !== cacheSlotOf(key)) continue;
          entry.model.dispose();
          adapted.delete(k);
        }
        adapted.set(key, { model, backend });
        cachedAs = key;
      }
      return {
        pixels,
        backend,
        reusedAdaptation,
        adaptationUnavailable,
        cachedAs,
        notices,
        ...(adaptedSteps !== undefined ? { adaptedSteps } : {}),
      };
    } finally {
      // A fresh adaptation that did not make it into the cache dies with its job.
      if (fresh && !cachedAs) model.dispose();
    }
  };

  return {
    async run(request, options): Promise<EngineResult> {
      const previous = jobTail;
      let settled!: () => void;
      jobTail = previous.then(() => new Promise<void>((resolve) => (settled = resolve)));
      try {
        await untilAborted(previous, options.signal);
      } catch (err) {
        void previous.then(() => settled()); // aborted while waiting: give the turn back once it comes
        throw err;
      }
      try {
        return await runJob(request, options);
      } finally {
        jobBackend = undefined;
        settled(); // assigned: `previous` has settled
      }
    },

    async weightMap(pixels, strength) {
      if (!deps.weightMap)
        throw new LwayError('INTERNAL', 'The weight map preview is not available in this build');
      if (jobBackend === undefined) await selectBackend(preferred);
      const map = deps.weightMap(pixels, strength);
      weightMapsInFlight.add(map);
      try {
        return await map;
      } finally {
        weightMapsInFlight.delete(map);
      }
    },

    clearCache(cacheKey) {
      adapted.get(cacheKey)?.model.dispose();
      adapted.delete(cacheKey);
    },

    models: () => deps.models,

    memory() {
      const { numTensors, numBytes } = tf.memory();
      return { numTensors, numBytes };
    },
  };
}
