import { LwayError } from '../errors.js';
import type { SrModel } from '../models/sr-model.js';
import { adapt } from './adapt.js';
import { adaptSettingsKey, resolveAdaptOptions, type AdaptOptions } from './adapt-options.js';
import type { AdaptedModel } from './adapted-model.js';

/** What identifies an adapted model: the editor layer (its content), the preset, and the settings. */
export interface AdaptedModelCacheKey {
  /** The host's id for the layer/selection content; change it when the pixels change. */
  readonly layerId: string;
  readonly model: SrModel;
  readonly options: AdaptOptions;
}

export interface AdaptedModelCacheOptions {
  /** Most adapted models kept (least recently used are disposed first). Default 4. */
  readonly maxEntries?: number;
}

type Runner = (model: SrModel, options: AdaptOptions) => Promise<AdaptedModel>;

/**
 * Adapted models by (layer id, model id, settings), so re-upscaling the same layer with the same settings reuses
 * the adaptation. Owns what it holds: eviction, `delete`, `deleteLayer` and `clear` dispose the adapted models
 * (never the preset). Concurrent requests for one key share a single run; a failed run is not cached.
 */
export class AdaptedModelCache {
  private readonly maxEntries: number;
  private readonly entries = new Map<string, AdaptedModel>();
  private readonly pending = new Map<string, Promise<AdaptedModel>>();

  constructor(options: AdaptedModelCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 4;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new LwayError('BAD_INPUT', `maxEntries must be an integer >= 1; got ${options.maxEntries}`);
    }
  }

  /** The cache key string (layer id, model id, every setting that changes the weights). */
  static keyOf(key: AdaptedModelCacheKey): string {
    return JSON.stringify([
      key.layerId,
      key.model.id,
      adaptSettingsKey(resolveAdaptOptions(key.options, key.model.id)),
    ]);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: AdaptedModelCacheKey): boolean {
    return this.entries.has(AdaptedModelCache.keyOf(key));
  }

  /** The cached model (marked most recently used), or undefined. The cache still owns it. */
  get(key: AdaptedModelCacheKey): AdaptedModel | undefined {
    const k = AdaptedModelCache.keyOf(key);
    const hit = this.entries.get(k);
    if (hit) {
      this.entries.delete(k);
      this.entries.set(k, hit);
    }
    return hit;
  }

  /**
   * The cached model for `key`, or the result of `run(model, options)` (default: {@link adapt} on the caller's
   * image, which `run` closes over) stored under it. The cache owns the result; do not dispose it yourself.
   */
  async getOrAdapt(key: AdaptedModelCacheKey, run: Runner): Promise<AdaptedModel> {
    const k = AdaptedModelCache.keyOf(key);
    const hit = this.get(key);
    if (hit) return hit;
    const inFlight = this.pending.get(k);
    if (inFlight) return inFlight;
    const job = run(key.model, key.options).then(
      (adapted) => {
        this.pending.delete(k);
        this.entries.set(k, adapted);
        this.evict();
        return adapted;
      },
      (err: unknown) => {
        this.pending.delete(k);
        throw err;
      },
    );
    this.pending.set(k, job);
    return job;
  }

  /** Removes and disposes one entry; true if there was one. */
  delete(key: AdaptedModelCacheKey): boolean {
    const k = AdaptedModelCache.keyOf(key);
    const hit = this.entries.get(k);
    hit?.dispose();
    return this.entries.delete(k);
  }

  /** Removes and disposes every entry of a layer (call when its pixels change). */
  deleteLayer(layerId: string): void {
    for (const [k, m] of this.entries) {
      if ((JSON.parse(k) as string[])[0] === layerId) {
        m.dispose();
        this.entries.delete(k);
      }
    }
  }

  /** Disposes everything held. Idempotent. */
  clear(): void {
    for (const m of this.entries.values()) m.dispose();
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const [oldest, m] = this.entries.entries().next().value as [string, AdaptedModel];
      m.dispose();
      this.entries.delete(oldest);
    }
  }
}

/** Convenience default runner: adapt `model` to `lr` with the options given. */
export const adaptRunner =
  (lr: Parameters<typeof adapt>[1]): Runner =>
  (model, options) =>
    adapt(model, lr, options);
