import { LwayError } from '../errors.js';
import type { SrModel } from '../models/index.js';
import { adaptSettingsKey, type ResolvedAdaptSettings } from './adapt-options.js';

/** What identifies an adapted model. */
export interface AdaptedModelCacheKey {
  /** The host's id for the layer (its content); a new selection on the same layer reuses the adaptation. */
  readonly layerId: string;
  readonly modelId: string;
  /** The TF.js backend its weights live on (a job on another backend cannot read them). */
  readonly backend: string;
  readonly settings: ResolvedAdaptSettings;
}

/** An entry as callers see it (no model): its key string and what it was adapted with. */
export interface CachedAdaptation extends AdaptedModelCacheKey {
  readonly key: string;
}

/** Options of {@link AdaptedModelCache}. */
export interface AdaptedModelCacheOptions {
  /** Most adapted models kept (the least recently used is disposed first). Default 4. */
  readonly maxEntries?: number;
}

/**
 * Adapted models by (layer, model, backend, settings), so re-upscaling a layer with the same settings reuses its
 * adaptation. One entry per layer and model: storing one for other settings (or another backend) disposes the
 * older one rather than keeping it alongside. Owns what it holds: replacement, eviction, `delete`, `deleteLayer`
 * and `clear` dispose the adapted models (never a base model).
 */
export class AdaptedModelCache {
  private readonly maxEntries: number;
  /** In use order, least recent first. */
  private readonly entries = new Map<string, { readonly entry: CachedAdaptation; readonly model: SrModel }>();

  constructor(options: AdaptedModelCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 4;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new LwayError('BAD_INPUT', `maxEntries must be an integer >= 1; got ${options.maxEntries}`);
    }
  }

  /** The key string of `k` (layer, model, backend, every setting that changes the weights). */
  static keyOf(k: AdaptedModelCacheKey): string {
    return JSON.stringify([k.layerId, k.modelId, k.backend, adaptSettingsKey(k.settings)]);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The model under `key` (marked most recently used), or undefined. The cache still owns it. */
  get(key: string): SrModel | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.model;
  }

  /** The entry held for a layer and model, whatever its settings, or undefined. */
  entryFor(layerId: string, modelId: string): CachedAdaptation | undefined {
    for (const { entry } of this.entries.values())
      if (entry.layerId === layerId && entry.modelId === modelId) return entry;
    return undefined;
  }

  /**
   * Stores `model` under `k` and takes ownership of it; the layer and model's previous entry is disposed, and the
   * least recently used entries beyond `maxEntries`. Returns the key string.
   */
  set(k: AdaptedModelCacheKey, model: SrModel): string {
    const key = AdaptedModelCache.keyOf(k);
    const previous = this.entryFor(k.layerId, k.modelId);
    if (previous && previous.key !== key) this.delete(previous.key);
    const same = this.entries.get(key);
    if (same && same.model !== model) same.model.dispose();
    this.entries.delete(key);
    this.entries.set(key, { entry: { ...k, key }, model });
    while (this.entries.size > this.maxEntries) this.delete(this.entries.keys().next().value as string);
    return key;
  }

  /** Removes and disposes one entry; true if there was one. */
  delete(key: string): boolean {
    const hit = this.entries.get(key);
    hit?.model.dispose();
    return this.entries.delete(key);
  }

  /** Removes and disposes every entry of a layer (call when its pixels change). */
  deleteLayer(layerId: string): void {
    for (const [key, { entry }] of [...this.entries]) if (entry.layerId === layerId) this.delete(key);
  }

  /** Disposes everything held. Idempotent. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }
}
