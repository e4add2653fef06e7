// Preset models: the preset table (preset-info.ts), the registry with a loader per preset, and the SrModel
// interface every model (and adapted model) implements.
export type { Architecture, FetchBytes, LoadModelOptions, ModelDefinition } from './model-definition.js';
export {
  type LayersModelSource,
  type NcnnWeightsSource,
  PAPER_LEARNING_RATE,
  PRESETS,
  type PresetInfo,
  type WeightsSource,
  describeSource,
  findPreset,
} from './preset-info.js';
export { predictPixels } from './predict-pixels.js';
export { MODEL_REGISTRY, getModelDefinition } from './registry.js';
export type { NamedParam, SrModel } from './sr-model.js';
export { registerUpscalerJsLayers } from './upscalerjs-layers.js';
export { type UpscalerJsModelSpec, loadUpscalerJsModel } from './upscalerjs-load-model.js';
export { UPSCALERJS_PRESETS } from './upscalerjs-presets.js';
