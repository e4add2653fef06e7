import {
  selectBackend,
  type BackendName,
  AbortError,
  describeJudgement,
  LwayError,
  throwIfAborted,
  type AdaptLease,
  type AdaptSession,
  type SrModel,
  type Pixels,
  tf,
  upscaleFinished,
} from '../../core/index.js';
import type { WeightMap } from './job-types.js';
import type { ModelSummary } from './model-summary.js';
import type { EngineResult, JobEngine } from './serve-jobs.js';

/** What the engine needs from core; injected so the worker entry decides what is wired in. */
export interface CoreEngineDeps {
  /** Loads a preset by id (fetching its weights). The engine keeps base models for later jobs. */
  loadModel(modelId: string, signal: AbortSignal): Promise<SrModel>;
  /**
   * core's adaptation session (R, LPIPS, the adapted-model cache); absent while this build has none (jobs then
   * report `adaptationUnavailable`).
   */
  session?: AdaptSession;
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
 * The worker's real engine over core: picks the backend, loads the model, adapts it through core's session when
 * asked (which reuses a layer's adaptation for the same model, backend and settings), upscales with core's tiled
 * `upscale`, then applies the job's quick fix to the whole output. Every job's tensors are freed before it settles
 * (core's functions own that); what stays between jobs is the base models' weights and the session's R, LPIPS and
 * cached adapted models, which `clearCache` frees one by one.
 */
export function createCoreEngine(deps: CoreEngineDeps): JobEngine {
  // Keyed by backend + model id: weights live on the backend active at load time, and a job on another backend
  // cannot read them (WebGPU has no synchronous read), so each backend gets its own copy.
  const baseModels = new Map<string, Promise<SrModel>>();

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

    let lease: AdaptLease | undefined;
    let adaptationUnavailable = false;
    if (request.adapt && deps.session) {
      lease = await deps.session.adapt(base, request.pixels, {
        ...request.adapt,
        layerId: request.layerId,
        signal,
        onProgress: (p) => onProgress({ stage: 'adapt', step: p.step, total: p.total, loss: p.loss }),
      });
    } else if (request.adapt) {
      adaptationUnavailable = true;
    }
    try {
      throwIfAborted(signal);
      // The quick fix is fitted on the whole selection against the whole output (after tiling); alpha is kept.
      const guarded = lease !== undefined && lease.model !== base && request.flatGuard !== false;
      const pixels = await upscaleFinished(lease?.model ?? base, request.pixels, {
        tileSize: request.tileSize,
        correction: request.correction ?? 'none',
        ...(guarded ? { guardAgainst: base } : {}),
        signal,
        onProgress: (p) => onProgress({ stage: 'upscale', step: p.done, total: p.total }),
      });
      throwIfAborted(signal);
      // Cached only once the whole job finished: a cancelled or failed job leaves nothing to reuse silently.
      lease?.keep();
      return {
        pixels,
        backend,
        reusedAdaptation: lease?.reused ?? false,
        adaptationUnavailable,
        ...(lease?.cacheKey ? { cachedAs: lease.cacheKey } : {}),
        notices: [
          ...(lease?.judgement ? [describeJudgement(lease.judgement)] : []),
          ...(lease?.notices.map((n) => n.message) ?? []),
        ],
        ...(lease && !lease.reused ? { adaptedSteps: lease.report?.stepsRun ?? 0 } : {}),
      };
    } finally {
      // A fresh adaptation that did not make it into the cache dies with its job.
      lease?.release();
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
      deps.session?.forget(cacheKey);
    },

    cachedAdaptation(layerId, modelId) {
      const entry = deps.session?.cached(layerId, modelId);
      return entry ? { key: entry.key, backend: entry.backend, settings: entry.settings } : null;
    },

    models: () => deps.models,

    memory() {
      const { numTensors, numBytes } = tf.memory();
      return { numTensors, numBytes };
    },
  };
}
