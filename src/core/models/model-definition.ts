import type { PresetInfo } from './preset-info.js';
import type { SrModel } from './sr-model.js';

export type { Architecture } from './preset-info.js';

/** Fetches one file of a model's weights, relative to the model's folder (e.g. `weights.json`). */
export type FetchBytes = (relativePath: string, signal?: AbortSignal) => Promise<ArrayBuffer>;

/** Where and how to load a model's files: the browser passes a URL-based fetch, Node a file reader. */
export interface LoadModelOptions {
  readonly fetchBytes: FetchBytes;
  readonly signal?: AbortSignal;
}

/** A preset in the registry: its data (preset-info.ts), its size and the function that builds it from its files. */
export interface ModelDefinition extends PresetInfo {
  readonly paramCount: number;
  load(options: LoadModelOptions): Promise<SrModel>;
}
