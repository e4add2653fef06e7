import type { ModelDefinition } from './model-definition.js';

/** UpscalerJS ESRGAN presets (`@upscalerjs/esrgan-*`, TF.js LayersModels; filled in by the SR-engine work). */
export const UPSCALERJS_PRESETS: readonly ModelDefinition[] = [];
