import type { ModelDefinition } from './model-definition.js';
import { loadUpscalerJsModel } from './upscalerjs-load-model.js';

type Size = 'slim' | 'medium' | 'thick';

/** Parameter counts, summed from each package's models/x<scale>/model.json weightsManifest. */
const PARAM_COUNTS: Readonly<Record<Size, Readonly<Record<2 | 3 | 4, number>>>> = {
  slim: { 2: 222075, 3: 226815, 4: 233451 },
  medium: { 2: 693235, 3: 697975, 4: 704611 },
  thick: { 2: 7239968, 3: 7248623, 4: 7260740 },
};

/**
 * Where a preset's model.json and shards live inside node_modules (`@upscalerjs/esrgan-<size>/models/x<scale>`).
 * Node reads them from there directly and the dev server serves them at `/node_modules/...`; nothing is copied.
 */
export function upscalerJsPackageDir(id: string): string | undefined {
  const m = /^esrgan-(slim|medium|thick)-x([234])$/.exec(id);
  return m ? `@upscalerjs/esrgan-${m[1]}/models/x${m[2]}` : undefined;
}

function preset(size: Size, scale: 2 | 3 | 4): ModelDefinition {
  const id = `esrgan-${size}-x${scale}`;
  // slim and medium are RDNs with inputRange/outputRange [0, 255]; thick is an RRDN with [0, 1] and two custom
  // layers. None declares a divisibilityFactor or fixed input shape, so any tile size works (tileMultiple 1).
  const range = size === 'thick' ? 1 : 255;
  return {
    id,
    name: `UpscalerJS ESRGAN ${size[0].toUpperCase()}${size.slice(1)} x${scale}`,
    scale,
    architecture: 'UpscalerJS-ESRGAN',
    paramCount: PARAM_COUNTS[size][scale],
    licence: 'MIT',
    source: `npm @upscalerjs/esrgan-${size}@1.0.0, models/x${scale}/model.json + shards (TF.js LayersModel)`,
    weightsDir: id,
    tileMultiple: 1,
    load: (options) => loadUpscalerJsModel({ id, scale, range }, options),
  };
}

/** UpscalerJS ESRGAN presets (`@upscalerjs/esrgan-*`, TF.js LayersModels, MIT) at x2, x3 and x4. */
export const UPSCALERJS_PRESETS: readonly ModelDefinition[] = (['slim', 'medium', 'thick'] as const).flatMap(
  (size) => ([2, 3, 4] as const).map((scale) => preset(size, scale)),
);
