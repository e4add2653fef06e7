// Core's public API: everything the panel, the worker, the CLI and the benchmarks use, exported by name.
// Other areas add their lines here; keep it to named exports (no `export *`).
export { tf } from './tf.js';
export type { Tensor, Tensor3D, Tensor4D } from './tf.js';
export {
  LwayError,
  AbortError,
  ModelLoadError,
  OutOfMemoryError,
  DisposedError,
  throwIfAborted,
  isOutOfMemory,
} from './errors.js';
export type { LwayErrorCode } from './errors.js';
export { assertPixels, MAX_SIDE } from './pixels.js';
export type { Pixels } from './pixels.js';
export {
  selectBackend,
  currentBackend,
  onBackendSelected,
  isBackendName,
  BACKEND_PREFERENCE,
} from './backend/select-backend.js';
export type { BackendName } from './backend/select-backend.js';
export type { SrModel, NamedParam } from './models/sr-model.js';
export type {
  ModelDefinition,
  LoadModelOptions,
  FetchBytes,
  Architecture,
} from './models/model-definition.js';
export { MODEL_REGISTRY, getModelDefinition } from './models/registry.js';
export { PRESETS, findPreset, describeSource, PAPER_LEARNING_RATE } from './models/preset-info.js';
export type {
  PresetInfo,
  WeightsSource,
  NcnnWeightsSource,
  LayersModelSource,
} from './models/preset-info.js';

// Tiled upscaling.
export { upscale, MIN_MODEL_INPUT } from './upscale/upscale.js';
export {
  DEFAULT_UPSCALE_OPTIONS,
  DEFAULT_MEMORY_BUDGET_BYTES,
  resolveUpscaleOptions,
  bytesPerInputPixel,
  MIN_TILE_SIZE,
  MAX_AUTO_TILE_SIZE,
} from './upscale/upscale-options.js';
export type { UpscaleOptions, ResolvedUpscaleOptions, UpscaleProgress } from './upscale/upscale-options.js';
export { planTiles } from './tiling/plan-tiles.js';
export type { Tile, TilePlan, PlanTilesInput } from './tiling/plan-tiles.js';
export { featherWeights } from './tiling/feather-weights.js';

// Image helpers.
export { pixelsToTensor } from './image/pixels-to-tensor.js';
export { tensorToPixels, toByte } from './image/tensor-to-pixels.js';
export { resizeAlphaBicubic } from './image/resize-alpha-bicubic.js';
export { bleedTransparentRgb } from './image/bleed-transparent-rgb.js';
export { readRgbTile } from './image/read-rgb-tile.js';
export { upscaleImage } from './upscale/upscale-image.js';
export type { UpscaleImageOptions, UpscaleResult } from './upscale/upscale-image.js';
export { UPSCALERJS_PRESETS } from './models/upscalerjs-presets.js';
export { loadUpscalerJsModel } from './models/upscalerjs-load-model.js';
export type { UpscalerJsModelSpec } from './models/upscalerjs-load-model.js';
export { registerUpscalerJsLayers } from './models/upscalerjs-layers.js';

// LWay: stage 2 (test-time adaptation) and stage 1 (E and R). The lway pixel helpers are not re-exported here:
// core's pixelsToTensor/tensorToPixels above are the public ones. Stage-1 evaluation and the embedding projection
// (which pull in the degradation synthesis) are imported from their files by the CLI, not exported here.
export {
  adapt,
  DEFAULT_ADAPT_OPTIONS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_LEARNING_RATES,
  adaptSettingsKey,
  resolveAdaptOptions,
  selectAdaptParams,
  estimateNoiseSigma,
  gaussianBlur,
  AdaptedModel,
  withParamValues,
  AdaptedModelCache,
  createAdaptSession,
  loadOperatorSource,
  OPERATOR_CHOICES,
  ADAPT_OPTION_RANGES,
  resolveAdaptSettings,
  defaultCorrection,
  defaultCorrectionFor,
  DEFAULT_HAAR_WEIGHT_MAP_OPTIONS,
  haarWeightMap,
  haarWeightMapOfPixels,
  resolveHaarWeightMapOptions,
  weightMapToHeatmap,
  DEFAULT_KNOWN_DEGRADATION_OPTIONS,
  createKnownDegradationOperator,
  createLrReconstruction,
} from './adapt/index.js';
export { createStage1Networks, loadStage1, serializeStage1 } from './stage1/index.js';
export type {
  AdaptOptions,
  AdaptProgress,
  PerceptualLoss,
  ResolvedAdaptOptions,
  AdaptNotice,
  AdaptReport,
  AdaptStopReason,
  AdaptedModelCacheKey,
  AdaptedModelCacheOptions,
  HaarWeightMapOptions,
  WeightMap,
  KnownDegradationOptions,
  ReconstructionOperator,
  LrReconstructionOptions,
} from './adapt/index.js';
export type { LoadedStage1, Stage1Artifacts, Stage1Manifest, Stage1Networks } from './stage1/index.js';

// Image-quality metrics.
export { psnr, psnrY, ssim, rgbToY } from './metrics/index.js';
export type { PsnrOptions, PsnrYOptions, SsimOptions } from './metrics/index.js';
