import type { ModelDefinition } from './model-definition.js';
import { PRESETS, type PresetInfo, type UpscalerJsSize } from './preset-info.js';
import { loadUpscalerJsModel } from './upscalerjs-load-model.js';

/** Parameter counts, summed from each package's models/x<scale>/model.json weightsManifest. */
const PARAM_COUNTS: Readonly<Record<UpscalerJsSize, Readonly<Record<number, number>>>> = {
  slim: { 2: 222075, 3: 226815, 4: 233451 },
  medium: { 2: 693235, 3: 697975, 4: 704611 },
  thick: { 2: 7239968, 3: 7248623, 4: 7260740 },
};

function definition(preset: PresetInfo): ModelDefinition {
  const size = /^esrgan-(slim|medium|thick)-x\d$/.exec(preset.id)?.[1] as UpscalerJsSize;
  // slim and medium are RDNs with inputRange/outputRange [0, 255]; thick is an RRDN with [0, 1] and two custom
  // layers (see the packages' dist/esm model definitions).
  const range = size === 'thick' ? 1 : 255;
  const { id, scale } = preset;
  return {
    ...preset,
    paramCount: PARAM_COUNTS[size][scale],
    load: (options) => loadUpscalerJsModel({ id, scale, range }, options),
  };
}

/** UpscalerJS ESRGAN presets (`@upscalerjs/esrgan-*`, TF.js LayersModels, MIT) at x2, x3 and x4. */
export const UPSCALERJS_PRESETS: readonly ModelDefinition[] = PRESETS.filter(
  (p) => p.architecture === 'UpscalerJS-ESRGAN',
).map(definition);
