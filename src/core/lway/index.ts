// LWay stage 2: test-time adaptation of an SR model to one image (or several) without an HR reference.
export { adapt } from './adapt.js';
export {
  DEFAULT_ADAPT_OPTIONS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_LEARNING_RATES,
  ADAPT_OPTION_RANGES,
  adaptOptionProblem,
  adaptSettingsKey,
  clampAdaptOption,
  defaultCorrection,
  defaultCorrectionFor,
  describeRange,
  inRange,
  resolveAdaptOptions,
  resolveAdaptSettings,
  type AdaptOptions,
  type AdaptProgress,
  type AdaptSettings,
  type NumericAdaptSetting,
  type OptionRange,
  type PerceptualLoss,
  type ResolvedAdaptOptions,
  type ResolvedAdaptSettings,
} from './adapt-options.js';
export {
  createAdaptSession,
  type AdaptLease,
  type AdaptRun,
  type AdaptSession,
  type AdaptSessionOptions,
  type AdaptedSrModel,
  type SessionAdaptOptions,
} from './adapt-session.js';
export {
  OPERATOR_CHOICES,
  loadOperatorSource,
  type OperatorChoice,
  type OperatorSource,
  type OperatorSourceOptions,
} from './operator-source.js';
export { selectAdaptParams } from './adapt-param-subset.js';
export { estimateNoiseSigma } from './adapt-noise-estimate.js';
export { gaussianBlur } from './adapt-gaussian-blur.js';
export { pixelsToTensor, tensorToPixels } from './adapt-pixels.js';
export {
  AdaptedModel,
  withParamValues,
  type AdaptNotice,
  type AdaptReport,
  type AdaptStopReason,
} from './adapted-model.js';
export {
  AdaptedModelCache,
  type AdaptedModelCacheKey,
  type AdaptedModelCacheOptions,
  type CachedAdaptation,
} from './adapted-model-cache.js';
export {
  DEFAULT_HAAR_WEIGHT_MAP_OPTIONS,
  haarWeightMap,
  haarWeightMapOfPixels,
  resolveHaarWeightMapOptions,
  weightMapToHeatmap,
  type HaarWeightMapOptions,
  type WeightMap,
} from './haar-weight-map.js';
export {
  DEFAULT_KNOWN_DEGRADATION_OPTIONS,
  createKnownDegradationOperator,
  type KnownDegradationOptions,
} from './known-degradation-operator.js';
export type { ReconstructionOperator } from './reconstruction-operator.js';

// LWay stage 1: degradation encoder E and LR reconstructor R (trained offline), and the operator they give stage 2.
export { createLrReconstruction, type LrReconstructionOptions } from './lr-reconstruction.js';
export {
  createStage1Networks,
  loadStage1,
  serializeStage1,
  type LoadedStage1,
  type Stage1Artifacts,
  type Stage1Manifest,
  type Stage1Networks,
} from './stage1-networks.js';
