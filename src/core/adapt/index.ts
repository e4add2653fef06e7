// LWay stage 2, the runtime: test-time adaptation of an SR model to one image (or several) without an HR reference.
// Everything that adapts goes through createAdaptSession (operator, LPIPS, cache, safeguards); adapt() is the
// training loop it runs. Stage-1 training (E and R, offline) lives in ../stage1.
export {
  createAdaptSession,
  type AdaptLease,
  type AdaptRun,
  type AdaptSession,
  type AdaptSessionOptions,
  type AdaptedSrModel,
  type SessionAdaptOptions,
} from './adapt-session.js';
export { adapt, adaptOptimizer, objective } from './adapt.js';
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
  defaultLearningRateFor,
  describeRange,
  inRange,
  GATED_ADAPT_SETTINGS,
  describeInputProfiles,
  describeJudgement,
  INPUT_PROFILES,
  resolveAdaptOptions,
  resolveAdaptSettings,
  type AdaptOptions,
  type AdaptProgress,
  type AdaptSettings,
  type InputProfile,
  type NumericAdaptSetting,
  type OptionRange,
  type PerceptualLoss,
  type ResolvedAdaptOptions,
  type ResolvedAdaptSettings,
} from './adapt-options.js';
export {
  OPERATOR_CHOICES,
  loadOperatorSource,
  type OperatorChoice,
  type OperatorSource,
  type PreparedOperator,
  type OperatorSourceOptions,
} from './operator-source.js';
export { selectAdaptParams } from './adapt-param-subset.js';
export { estimateNoiseSigma } from './adapt-noise-estimate.js';
export { gaussianBlur } from './adapt-gaussian-blur.js';
export { toneMatchTensor } from './tone-match-tensor.js';
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
export { createLrReconstruction, type LrReconstructionOptions } from './lr-reconstruction.js';
