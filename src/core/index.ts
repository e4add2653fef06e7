// Core's public API: what the panel, its worker, the CLI and the Node helpers import (they import nothing else
// from core; ESLint checks). Each room of core has its own index.ts; this one re-exports by name (no `export *`).
// Core's modules have no import side effects, so a bundle keeps only what it uses: the panel's page imports its
// settings and errors from here without TF.js (rollup.config.mjs).
export { tf } from './tf.js';
export type { Tensor, Tensor3D, Tensor4D } from './tf.js';
export {
  LWAY_ERROR_CODES,
  LwayError,
  AbortError,
  ModelLoadError,
  OutOfMemoryError,
  DisposedError,
  throwIfAborted,
  isOutOfMemory,
  lwayErrorFrom,
  type LwayErrorCode,
} from './errors.js';
export { assertPixels, MAX_SIDE, type Pixels } from './pixels.js';

// Backends.
export {
  selectBackend,
  currentBackend,
  onBackendSelected,
  isBackendName,
  setWebGpuSource,
  BACKEND_PREFERENCE,
  type BackendName,
  type WebGpuSource,
} from './backend/index.js';

// Preset models.
export {
  MODEL_REGISTRY,
  getModelDefinition,
  PRESETS,
  findPreset,
  describeSource,
  PAPER_LEARNING_RATE,
  UPSCALERJS_PRESETS,
  loadUpscalerJsModel,
  registerUpscalerJsLayers,
  predictPixels,
  type SrModel,
  type NamedParam,
  type ModelDefinition,
  type LoadModelOptions,
  type FetchBytes,
  type Architecture,
  type PresetInfo,
  type WeightsSource,
  type NcnnWeightsSource,
  type LayersModelSource,
  type UpscalerJsModelSpec,
} from './models/index.js';

// Tiled upscaling.
export {
  upscale,
  upscaleFinished,
  finishOutput,
  upscaleImage,
  MIN_MODEL_INPUT,
  DEFAULT_UPSCALE_OPTIONS,
  DEFAULT_MEMORY_BUDGET_BYTES,
  resolveUpscaleOptions,
  bytesPerInputPixel,
  MIN_TILE_SIZE,
  MAX_AUTO_TILE_SIZE,
  type UpscaleOptions,
  type ResolvedUpscaleOptions,
  type UpscaleProgress,
  type UpscaleImageOptions,
  type UpscaleResult,
  type FinishedUpscaleOptions,
} from './upscale/index.js';
export { planTiles, featherWeights, type Tile, type TilePlan, type PlanTilesInput } from './tiling/index.js';

// Image helpers.
export {
  pixelsToTensor,
  tensorToPixels,
  toByte,
  resizeAlphaBicubic,
  bleedTransparentRgb,
  readRgbTile,
} from './image/index.js';

// The quick fix: closed-form corrections of an output against its own input.
export {
  CORRECTION_MODES,
  correctOutput,
  DEFAULT_FLAT_REGION_GUARD,
  guardFlatRegions,
  structureMap,
  type CorrectionMode,
  type FlatRegionGuardOptions,
  type StructureMap,
} from './correct/index.js';

// LWay stage 2, the runtime: the adaptation session and what it is made of.
export {
  adapt,
  ADAPT_OPTION_RANGES,
  AdaptedModel,
  AdaptedModelCache,
  adaptOptionProblem,
  adaptSettingsKey,
  clampAdaptOption,
  createAdaptSession,
  createKnownDegradationOperator,
  createLrReconstruction,
  DEFAULT_ADAPT_OPTIONS,
  DEFAULT_HAAR_WEIGHT_MAP_OPTIONS,
  DEFAULT_KNOWN_DEGRADATION_OPTIONS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_LEARNING_RATES,
  defaultCorrection,
  defaultCorrectionFor,
  defaultLearningRateFor,
  describeRange,
  estimateNoiseSigma,
  GATED_ADAPT_SETTINGS,
  describeInputProfiles,
  describeJudgement,
  INPUT_PROFILES,
  gaussianBlur,
  haarWeightMap,
  haarWeightMapOfPixels,
  loadOperatorSource,
  OPERATOR_CHOICES,
  resolveAdaptOptions,
  resolveAdaptSettings,
  resolveHaarWeightMapOptions,
  selectAdaptParams,
  weightMapToHeatmap,
  withParamValues,
  type AdaptedModelCacheKey,
  type AdaptedModelCacheOptions,
  type AdaptLease,
  type AdaptNotice,
  type AdaptOptions,
  type AdaptProgress,
  type AdaptReport,
  type AdaptSession,
  type AdaptSettings,
  type AdaptStopReason,
  type HaarWeightMapOptions,
  type InputProfile,
  type KnownDegradationOptions,
  type LrReconstructionOptions,
  type NumericAdaptSetting,
  type OperatorChoice,
  type OperatorSourceOptions,
  type OptionRange,
  type PerceptualLoss,
  type ReconstructionOperator,
  type ResolvedAdaptOptions,
  type ResolvedAdaptSettings,
  type SessionAdaptOptions,
  type WeightMap,
} from './adapt/index.js';

// LWay stage 1, offline: E and R, their training, evaluation and embedding projection.
export {
  createStage1Networks,
  loadStage1,
  serializeStage1,
  DEFAULT_STAGE1_TRAINING_OPTIONS,
  EVAL_SEED_BASE,
  Stage1Trainer,
  cropToMultiple,
  degradationEmbeddings,
  evaluateStage1,
  evaluateStage1Pairs,
  judgeEmbedding,
  parseCleanInputGate,
  projectDegradationEmbeddings,
  synthesizeStage1Batch,
  type LoadedStage1,
  type Stage1Artifacts,
  type Stage1Manifest,
  type Stage1Networks,
  type CropSampler,
  type EmbeddingProjection,
  type Stage1Batch,
  type Stage1BatchSource,
  type Stage1BatchSourceFactory,
  type Stage1BatchSpec,
  type Stage1EvalImageResult,
  type Stage1EvalPair,
  type Stage1EvalSummary,
  type CleanInputGate,
  type InputJudgement,
} from './stage1/index.js';

// The degradation synthesis stage 1 trains on, and LPIPS.
export {
  DEGRADATION_PRESET_NAMES,
  isDegradationPresetName,
  createRng,
  floatImageFromPixels,
  floatImageToPixels,
  resize,
  type DegradationPresetName,
  type Rng,
  type RngState,
} from './degrade/index.js';
export { tryLoadLpips, type Lpips } from './lpips/index.js';

// Image-quality metrics.
export {
  psnr,
  psnrY,
  ssim,
  rgbToY,
  flatRegionNoise,
  type FlatRegionNoiseOptions,
  type PsnrOptions,
  type PsnrYOptions,
  type SsimOptions,
} from './metrics/index.js';
