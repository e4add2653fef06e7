// Tiled upscaling of any size with a feathered window, progress and cancel.
export { type UpscaleImageOptions, type UpscaleResult, upscaleImage } from './upscale-image.js';
export {
  DEFAULT_MEMORY_BUDGET_BYTES,
  DEFAULT_UPSCALE_OPTIONS,
  MAX_AUTO_TILE_SIZE,
  MIN_TILE_SIZE,
  type ResolvedUpscaleOptions,
  type UpscaleOptions,
  type UpscaleProgress,
  bytesPerInputPixel,
  resolveUpscaleOptions,
} from './upscale-options.js';
export { MIN_MODEL_INPUT, upscale } from './upscale.js';
export { type FinishedUpscaleOptions, finishOutput, upscaleFinished } from './upscale-finished.js';
