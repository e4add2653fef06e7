import { AbortError, throwIfAborted } from '../errors.js';
import { tryLoadLpips, type LpipsLoadResult, type LpipsNet } from '../lpips/index.js';
import type { FetchBytes, SrModel } from '../models/index.js';
import type { Pixels } from '../pixels.js';
import { tf } from '../tf.js';
import { adapt } from './adapt.js';
import {
  defaultLearningRateFor,
  INPUT_PROFILES,
  resolveAdaptSettings,
  type AdaptOptions,
  type AdaptProgress,
  type AdaptSettings,
  type PerceptualLoss,
} from './adapt-options.js';
import {
  AdaptedModelCache,
  type AdaptedModelCacheKey,
  type CachedAdaptation,
} from './adapted-model-cache.js';
import type { AdaptNotice, AdaptReport } from './adapted-model.js';
import { loadOperatorSource, type OperatorSource, type OperatorSourceOptions } from './operator-source.js';
import type { InputJudgement } from '../stage1/index.js';

/** An adapted model as the session needs it: an SrModel whose `dispose()` frees only its own weights. */
export interface AdaptedSrModel extends SrModel {
  readonly report: AdaptReport;
}

/** The adaptation a session runs: core's {@link adapt} unless a test passes a stand-in. */
export type AdaptRun = (
  model: SrModel,
  lr: Pixels | readonly Pixels[],
  options: AdaptOptions,
) => Promise<AdaptedSrModel>;

/** Options of {@link createAdaptSession}. */
export interface AdaptSessionOptions {
  /** Where R comes from (one loader; networks loaded once per scale and backend). */
  readonly operators: OperatorSourceOptions;
  /**
   * The LPIPS network for the loss's perceptual terms and where its weights are (`<net>.weights.json`). Loaded once
   * per backend, on the first adaptation that wants it; absent or unloadable, adaptation runs on L1 alone and says so.
   */
  readonly lpips?: { readonly net: LpipsNet; readonly fetchBytes: FetchBytes };
  /** Adapted models kept for reuse (see AdaptedModelCache). Default 4. */
  readonly maxCached?: number;
  /** The TF.js backend in use (weights live on the backend they were made on). Default tf.getBackend(). */
  readonly backend?: () => string;
  readonly run?: AdaptRun;
}

/** Options of one {@link AdaptSession.adapt}: the adaptation's settings, plus where the pixels come from. */
export interface SessionAdaptOptions extends AdaptSettings {
  /**
   * The editor layer the pixels come from. With it the adapted model is cached (see AdaptLease.keep) and a later
   * call for the same layer, model, backend and settings reuses it; without it nothing is cached.
   */
  readonly layerId?: string;
  /**
   * Let the stage-1 folder's clean-input gate pick anchorWeight, residualSigma and learningRate where they are left unset
   * (INPUT_PROFILES). Default true; no effect without a gate.
   */
  readonly inputGate?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: AdaptProgress) => void;
}

/** What {@link AdaptSession.adapt} hands back. */
export interface AdaptLease {
  /** The adapted model (upscale with it). Owned by the lease until `keep()`, then by the session's cache. */
  readonly model: SrModel;
  /** What the user should be told: LPIPS or R unavailable, noisy input, roll-back... (none when reused). */
  readonly notices: readonly AdaptNotice[];
  /** True when a cached adaptation was reused (no step ran). */
  readonly reused: boolean;
  /** This run's report; undefined when reused. */
  readonly report?: AdaptReport;
  /** The cache key (present when a layerId was given). */
  readonly cacheKey?: string;
  /** The clean-input gate's verdict on the pixels (undefined without a gate, or with `inputGate: false`). */
  readonly judgement?: InputJudgement;

  /**
   * Hands a fresh adaptation to the session's cache (with a layerId; a no-op otherwise, or when reused). Call it
   * once the work done with it has finished, so that nothing cancelled midway is ever reused.
   */
  keep(): void;
  /** Frees a fresh adaptation that was not kept (no-op for a kept or reused one). Idempotent. */
  release(): void;
}

/**
 * Adaptation as a room of its own: every entry point (the panel's worker, `lway upscale --adapt`, `lway bench`)
 * adapts through one of these. It owns the reconstruction operator (R, loaded once per scale and backend, or
 * the known operator with a notice), LPIPS (likewise), the adapted-model cache and the safeguards around a run
 * (options validated once, nothing cancelled cached, notices merged).
 */
export interface AdaptSession {
  /**
   * Adapts `model` to `lr` (one image, or several for the paper's collective mode) with `options` (defaults:
   * DEFAULT_ADAPT_OPTIONS and the model's learning rate), or reuses the cached adaptation for the same layer,
   * model, backend and settings. Throws BAD_INPUT on a bad setting before any work, AbortError when `signal` fires
   * (nothing is cached then, nothing leaks).
   */
  adapt(model: SrModel, lr: Pixels | readonly Pixels[], options?: SessionAdaptOptions): Promise<AdaptLease>;
  /** The LPIPS network the session adapts with on the current backend, or why there is none. Shared; do not dispose. */
  lpips(signal?: AbortSignal): Promise<LpipsLoadResult>;
  /** The reconstruction operator source for `scale` on the current backend. Shared; do not dispose. */
  operatorFor(scale: number, signal?: AbortSignal): Promise<OperatorSource>;
  /** The cached adaptation for a layer and model (any settings), or undefined. */
  cached(layerId: string, modelId: string): CachedAdaptation | undefined;
  /** Frees the adaptation cached under `key` (no-op when none). */
  forget(key: string): void;
  /** Frees every adaptation of a layer. */
  forgetLayer(layerId: string): void;
  /** Frees the cache, R and LPIPS. */
  dispose(): Promise<void>;
}

/** A load shared by callers, forgotten when it fails (an aborted or failed load is tried again next time). */
function shared<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    const mine = p;
    p.catch(() => {
      if (map.get(key) === mine) map.delete(key);
    });
  }
  return p;
}

/** Creates an {@link AdaptSession}. Nothing loads until the first adaptation needs it. */
export function createAdaptSession(o: AdaptSessionOptions): AdaptSession {
  const backendOf = o.backend ?? (() => tf.getBackend());
  const run: AdaptRun = o.run ?? adapt;
  const cache = new AdaptedModelCache({ maxEntries: o.maxCached });
  const operators = new Map<string, Promise<OperatorSource>>();
  const lpipsLoads = new Map<string, Promise<LpipsLoadResult>>();

  const operatorFor = (scale: number, signal?: AbortSignal): Promise<OperatorSource> =>
    shared(operators, `${backendOf()}:x${scale}`, () => loadOperatorSource(o.operators, scale, signal));

  const lpips = (signal?: AbortSignal): Promise<LpipsLoadResult> => {
    const config = o.lpips;
    if (!config) {
      return Promise.resolve({
        ok: false,
        warning: {
          code: 'LPIPS_UNAVAILABLE',
          message: 'LPIPS unavailable (no weights configured); the loss falls back to L1 alone',
        },
      });
    }
    return shared(lpipsLoads, backendOf(), () => tryLoadLpips(config.net, config.fetchBytes, signal));
  };

  return {
    async adapt(model, lr, options = {}) {
      const { layerId, signal, onProgress, inputGate = true, ...requested } = options;
      resolveAdaptSettings(requested, model.id); // bad settings fail before anything loads
      throwIfAborted(signal);
      const source = await operatorFor(model.scale, signal);
      // E(x) runs once: the gate's verdict and R's operator come from the same embedding.
      const { operator, judgement } = await source.prepare(lr, inputGate);
      let adapted: AdaptedSrModel;
      const notices: AdaptNotice[] = [];
      let cacheKey: string | undefined;
      let slot: AdaptedModelCacheKey | undefined;
      try {
        throwIfAborted(signal);
        const profile = judgement ? INPUT_PROFILES[judgement.kind] : undefined;
        const settings = resolveAdaptSettings(
          {
            ...requested,
            anchorWeight: requested.anchorWeight ?? profile?.anchorWeight,
            residualSigma: requested.residualSigma ?? profile?.residualSigma,
            learningRate:
              requested.learningRate ??
              (profile ? defaultLearningRateFor(model.id) * profile.learningRateScale : undefined),
          },
          model.id,
        );

        const backend = backendOf();
        slot = layerId === undefined ? undefined : { layerId, modelId: model.id, backend, settings };
        cacheKey = slot ? AdaptedModelCache.keyOf(slot) : undefined;
        const hit = cacheKey ? cache.get(cacheKey) : undefined;
        if (hit) {
          return {
            model: hit,
            notices: [],
            reused: true,
            cacheKey,
            judgement,
            keep: () => {},
            release: () => {},
          };
        }

        let loss: PerceptualLoss | undefined;
        if (settings.lpipsWeight > 0 || settings.anchorWeight > 0) {
          const loaded = await lpips(signal);
          if (loaded.ok) loss = (a, b) => tf.tidy(() => loaded.lpips.distance(a, b).mean());
          else notices.push(loaded.warning);
        }
        if (source.notice) notices.push(source.notice);
        throwIfAborted(signal);
        adapted = await run(model, lr, { ...settings, operator, lpips: loss, signal, onProgress });
      } finally {
        operator.dispose();
      }
      if (signal?.aborted) {
        // A run that finished its last step after the cancel: nothing of it may be kept or reused.
        adapted.dispose();
        throw new AbortError();
      }
      // LPIPS_UNAVAILABLE from adapt repeats the loader's reason, which is already there.
      const repeated = notices.some((n) => n.code === 'LPIPS_UNAVAILABLE');
      for (const n of adapted.report.notices)
        if (!(repeated && n.code === 'LPIPS_UNAVAILABLE')) notices.push(n);

      let state: 'fresh' | 'kept' | 'released' = 'fresh';
      return {
        model: adapted,
        notices,
        reused: false,
        report: adapted.report,
        cacheKey,
        judgement,
        keep() {
          if (state !== 'fresh' || !slot) return;
          state = 'kept';
          cache.set(slot, adapted);
        },
        release() {
          if (state !== 'fresh') return;
          state = 'released';
          adapted.dispose();
        },
      };
    },

    lpips,
    operatorFor,
    cached: (layerId, modelId) => cache.entryFor(layerId, modelId),
    forget: (key) => void cache.delete(key),
    forgetLayer: (layerId) => cache.deleteLayer(layerId),

    async dispose() {
      cache.clear();
      const sources = [...operators.values()];
      const nets = [...lpipsLoads.values()];
      operators.clear();
      lpipsLoads.clear();
      for (const r of await Promise.allSettled(sources)) if (r.status === 'fulfilled') r.value.dispose();
      for (const r of await Promise.allSettled(nets))
        if (r.status === 'fulfilled' && r.value.ok) r.value.lpips.dispose();
    },
  };
}
