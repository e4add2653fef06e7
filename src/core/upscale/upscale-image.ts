import { throwIfAborted } from '../errors.js';
import { assertPixels, type Pixels } from '../pixels.js';
import { selectBackend, type BackendName } from '../backend/index.js';
import { getModelDefinition, type FetchBytes, type SrModel } from '../models/index.js';
import { upscale } from './upscale.js';
import { resolveUpscaleOptions, type UpscaleOptions } from './upscale-options.js';

export interface UpscaleImageOptions extends UpscaleOptions {
  /** Backend to run on; 'auto' (default) takes the first of WebGPU, WebGL, WASM, CPU that starts. */
  readonly backend?: BackendName | 'auto';
  /** Reads the model's files (relative to its folder): a URL fetch in the browser, a file read in Node. */
  readonly fetchBytes: FetchBytes;
  /** Called once the backend is chosen, before any weights load. */
  readonly onBackend?: (backend: BackendName) => void;
}

/** The upscaled image plus what ran. */
export interface UpscaleResult {
  readonly pixels: Pixels;
  readonly backend: BackendName;
  readonly modelId: string;
  readonly scale: number;
  /** Input tile side used (chosen from the memory budget unless given). */
  readonly tileSize: number;
  readonly milliseconds: number;
}

/**
 * One-shot public entry: validates the image, selects a backend, loads the preset `modelId`, upscales, and frees
 * the model. Throws UNKNOWN_MODEL, BAD_INPUT, BACKEND_UNAVAILABLE, ModelLoadError, OutOfMemoryError or AbortError.
 * To upscale many images with one model, use selectBackend + a definition's load() + upscale() instead.
 */
export async function upscaleImage(
  modelId: string,
  pixels: Pixels,
  options: UpscaleImageOptions,
): Promise<UpscaleResult> {
  const start = Date.now();
  assertPixels(pixels);
  const def = getModelDefinition(modelId);
  const backend = await selectBackend(options.backend ?? 'auto');
  options.onBackend?.(backend);
  const { tileSize } = resolveUpscaleOptions(options, { backend, scale: def.scale });
  throwIfAborted(options.signal);
  let model: SrModel | undefined;
  try {
    model = await def.load({ fetchBytes: options.fetchBytes, signal: options.signal });
    const out = await upscale(model, pixels, { ...options, tileSize });
    return {
      pixels: out,
      backend,
      modelId,
      scale: def.scale,
      tileSize,
      milliseconds: Date.now() - start,
    };
  } finally {
    model?.dispose();
  }
}
