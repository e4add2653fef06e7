import { LwayError } from '../errors.js';
import type { ModelDefinition } from './model-definition.js';
import { PRESETS } from './preset-info.js';
import { REALESRGAN_PRESETS } from './realesrgan-presets.js';
import { UPSCALERJS_PRESETS } from './upscalerjs-presets.js';

const BY_ID = new Map([...REALESRGAN_PRESETS, ...UPSCALERJS_PRESETS].map((d) => [d.id, d]));

/** Every preset model, by stable id, in preset-info.ts's order. The first is the default. */
export const MODEL_REGISTRY: readonly ModelDefinition[] = PRESETS.map((p) => {
  const def = BY_ID.get(p.id);
  if (!def) throw new Error(`preset ${p.id} has no loader`);
  return def;
});

/** Looks a preset up by id; throws UNKNOWN_MODEL listing the ids that exist. */
export function getModelDefinition(id: string): ModelDefinition {
  const def = MODEL_REGISTRY.find((m) => m.id === id);
  if (!def) {
    throw new LwayError(
      'UNKNOWN_MODEL',
      `Unknown model id "${id}". Known: ${MODEL_REGISTRY.map((m) => m.id).join(', ')}`,
    );
  }
  return def;
}
