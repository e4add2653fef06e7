// LWay stage 2: test-time adaptation of an SR model to one image (or several) without an HR reference.
export { adapt } from './adapt.js';
export {
  DEFAULT_ADAPT_OPTIONS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_LEARNING_RATES,
  adaptSettingsKey,
  resolveAdaptOptions,
  type AdaptOptions,
  type AdaptProgress,
  type PerceptualLoss,
  type ResolvedAdaptOptions,
} from './adapt-options.js';
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
  adaptRunner,
  type AdaptedModelCacheKey,
  type AdaptedModelCacheOptions,
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
