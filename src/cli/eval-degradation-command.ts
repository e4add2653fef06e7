import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  BACKEND_PREFERENCE,
  selectBackend,
  type BackendName,
  isDegradationPresetName,
  DEGRADATION_PRESET_NAMES,
  type DegradationPresetName,
  floatImageFromPixels,
  floatImageToPixels,
  resize,
  LwayError,
  degradationEmbeddings,
  projectDegradationEmbeddings,
  type EmbeddingProjection,
  EVAL_SEED_BASE,
  cropToMultiple,
  evaluateStage1,
  evaluateStage1Pairs,
  type Stage1EvalImageResult,
  type Stage1EvalPair,
  type Stage1EvalSummary,
  loadStage1,
  type LoadedStage1,
  type Pixels,
} from '../core/index.js';
import { fileFetchBytes, loadStage1Folder, writeProjectionPlot } from '../node/index.js';
import { isImagePath, readImage } from './image-io.js';

export interface EvalDegradationOptions {
  /** Training output or model folder: weights.json when present, else checkpoint.json (or the file named by `file`). */
  readonly model: string;
  readonly file?: string;
  /** HR images to degrade synthetically (ignored with `pairs`). */
  readonly data: string;
  /**
   * Real pairs instead of synthetic LR: a folder with HR/ and either LR/ (scale x smaller) or LR-aligned/ (HR-sized,
   * area-downscaled by the scale here), matching file names — e.g. ../shared/data/eval/city100-nikon.
   */
  readonly pairs?: string;
  readonly preset?: DegradationPresetName;
  readonly seedBase?: number;
  readonly maxImages?: number;
  readonly backend?: BackendName | 'auto';
  readonly quiet?: boolean;
}

async function loadNets(model: string, file: string | undefined): Promise<LoadedStage1> {
  return file ? loadStage1(fileFetchBytes(model), { file }) : loadStage1Folder(model);
}

function disposeNets(nets: LoadedStage1): void {
  for (const t of Object.values(nets.extra)) t.dispose();
  nets.encoder.dispose();
  nets.reconstructor.dispose();
}

async function listImages(dir: string, maxImages: number | undefined): Promise<string[]> {
  return (await readdir(dir))
    .filter(isImagePath)
    .sort()
    .slice(0, maxImages ?? Infinity);
}

/** Reads real LR/HR pairs (see {@link EvalDegradationOptions.pairs}); HR is cropped to a multiple of `scale`. */
export async function readEvalPairs(
  dir: string,
  scale: number,
  maxImages?: number,
): Promise<Stage1EvalPair[]> {
  const aligned = existsSync(join(dir, 'LR-aligned'));
  const lrDir = join(dir, aligned ? 'LR-aligned' : 'LR');
  if (!existsSync(join(dir, 'HR')) || !existsSync(lrDir))
    throw new LwayError('BAD_INPUT', `${dir} needs HR/ and LR/ (or LR-aligned/) folders`);
  const names = await listImages(join(dir, 'HR'), maxImages);
  return Promise.all(
    names.map(async (n) => {
      const hr = cropToMultiple(await readImage(join(dir, 'HR', n)), scale);
      let lr: Pixels = await readImage(join(lrDir, basename(n)));
      if (aligned) {
        // LR-aligned is the camera's LR image registered onto the HR grid: bring it back to LR size.
        const f = floatImageFromPixels(cropToMultiple(lr, scale));
        lr = floatImageToPixels(resize(f, f.width / scale, f.height / scale, 'area'));
      }
      return { name: basename(n), hr, lr };
    }),
  );
}

/**
 * Held-out PSNR of R(HR, E(LR)) vs LR and the baselines: over the images of `data` (default Kodak24) degraded
 * synthetically, or over real pairs with `pairs`.
 */
export async function runEvalDegradation(
  o: EvalDegradationOptions,
): Promise<Stage1EvalSummary & { backend: BackendName; mode: 'synthetic' | 'pairs' }> {
  const backend = await selectBackend(o.backend ?? 'auto');
  const nets = await loadNets(o.model, o.file);
  const onImage = (r: Stage1EvalImageResult, i: number, n: number): void => {
    if (!o.quiet) {
      console.error(
        `[${i + 1}/${n}] ${r.name}: R ${r.reconstructed.toFixed(2)} dB | area ${r.area.toFixed(2)} | bicubic ${r.bicubic.toFixed(2)} | wrong e ${r.wrongEmbedding.toFixed(2)}`,
      );
    }
  };
  try {
    if (o.pairs) {
      const pairs = await readEvalPairs(o.pairs, nets.reconstructor.config.scale, o.maxImages);
      return { ...(await evaluateStage1Pairs(nets, pairs, { onImage })), backend, mode: 'pairs' };
    }
    const names = await listImages(o.data, o.maxImages);
    if (names.length < 2)
      throw new LwayError('BAD_INPUT', `${o.data} needs at least 2 images; found ${names.length}`);
    const images = await Promise.all(
      names.map(async (n) => ({ name: basename(n), pixels: await readImage(join(o.data, n)) })),
    );
    const summary = await evaluateStage1(nets, images, {
      preset: o.preset,
      seedBase: o.seedBase ?? EVAL_SEED_BASE,
      onImage,
    });
    return { ...summary, backend, mode: 'synthetic' };
  } finally {
    disposeNets(nets);
  }
}

/** Options of {@link runEmbeddingProjection}. */
export interface EmbeddingProjectionOptions {
  readonly model: string;
  readonly file?: string;
  /** HR images (held out from training). */
  readonly data: string;
  /** PNG to write. */
  readonly png: string;
  readonly presets?: readonly DegradationPresetName[];
  readonly seedsPerPreset?: number;
  readonly maxImages?: number;
  readonly backend?: BackendName | 'auto';
  readonly quiet?: boolean;
}

/** Embeds every image of `data` under every preset and seed, projects to 2-D (PCA) and writes the scatter PNG. */
export async function runEmbeddingProjection(
  o: EmbeddingProjectionOptions,
): Promise<EmbeddingProjection & { backend: BackendName }> {
  const backend = await selectBackend(o.backend ?? 'auto');
  const nets = await loadNets(o.model, o.file);
  try {
    const scale = nets.reconstructor.config.scale;
    const names = await listImages(o.data, o.maxImages);
    const images = await Promise.all(
      names.map(async (n) => ({
        name: basename(n),
        pixels: cropToMultiple(await readImage(join(o.data, n)), scale),
      })),
    );
    const presets = o.presets ?? DEGRADATION_PRESET_NAMES;
    const seeds = o.seedsPerPreset ?? 2;
    const embeddings = await degradationEmbeddings(nets, images, {
      presets,
      seedsPerPreset: seeds,
      onEmbedding: (done, total) => {
        if (!o.quiet && (done % 10 === 0 || done === total)) console.error(`embedded ${done}/${total}`);
      },
    });
    const projection = projectDegradationEmbeddings(embeddings);
    await writeProjectionPlot(
      projection,
      o.png,
      `E(LR): ${images.length} images x ${presets.length} presets x ${seeds} seeds, x${scale}, PCA`,
    );
    return { ...projection, backend };
  } finally {
    disposeNets(nets);
  }
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`${name} must be an integer >= 1; got ${v}`);
  return n;
};

/** Registers `lway eval-degradation`. */
export function registerEvalDegradationCommand(program: Command): void {
  program
    .command('eval-degradation')
    .description(
      'held-out PSNR of the stage-1 reconstructor R(HR, E(LR)) vs LR, with downscale and wrong-embedding baselines; ' +
        'or (--projection) a PCA scatter of E embeddings by degradation type',
    )
    .requiredOption(
      '--model <dir>',
      'folder with weights.json (or a training folder with only checkpoint.json), e.g. models/lway-degradation/x4',
    )
    .option('--file <name>', 'manifest file inside --model (default weights.json, else checkpoint.json)')
    .option('--data <dir>', 'HR images (held out from training)', '../shared/data/eval/kodak24')
    .option(
      '--pairs <dir>',
      'real pairs instead of synthetic LR: HR/ + LR/ (or LR-aligned/, area-downscaled), e.g. ../shared/data/eval/city100-nikon',
    )
    .addOption(
      new Option('--preset <name>', 'degradation preset')
        .choices(DEGRADATION_PRESET_NAMES)
        .default('realesrgan'),
    )
    .option('--seed-base <n>', 'first degradation seed', String(EVAL_SEED_BASE))
    .option('--max-images <n>', 'evaluate only the first n images', positiveInt('--max-images'))
    .option(
      '--projection <png>',
      'instead of PSNRs: embed --data under every preset and write a PCA scatter PNG',
    )
    .option(
      '--projection-seeds <n>',
      'degradation seeds per preset for --projection',
      positiveInt('--projection-seeds'),
      2,
    )
    .addOption(
      new Option('--backend <name>', 'TF.js backend')
        .choices(['auto', ...BACKEND_PREFERENCE])
        .default('auto'),
    )
    .option('--json <path>', 'write per-image results (or projected points) as JSON')
    .action(async (opts: Record<string, string | number | undefined>) => {
      const preset = String(opts.preset ?? 'realesrgan');
      if (!isDegradationPresetName(preset)) throw new LwayError('BAD_INPUT', `unknown preset ${preset}`);
      const common = {
        model: resolve(String(opts.model)),
        file: opts.file as string | undefined,
        data: String(opts.data),
        maxImages: opts.maxImages as number | undefined,
        backend: opts.backend as BackendName | 'auto',
      };
      if (opts.projection) {
        const p = await runEmbeddingProjection({
          ...common,
          png: String(opts.projection),
          seedsPerPreset: opts.projectionSeeds as number,
        });
        console.log(
          `projection of ${p.points.length} embeddings (${p.backend}) -> ${opts.projection}: PC1 ${(100 * p.explained[0]).toFixed(1)} %, ` +
            `PC2 ${(100 * p.explained[1]).toFixed(1)} % of variance; nearest neighbour among other images has the same preset ` +
            `${(100 * p.nearestSamePreset).toFixed(1)} %, among other presets is the same image ${(100 * p.nearestSameImage).toFixed(1)} %`,
        );
        if (opts.json) await writeFile(String(opts.json), JSON.stringify(p, null, 1));
        return;
      }
      const r = await runEvalDegradation({
        ...common,
        pairs: opts.pairs as string | undefined,
        preset,
        seedBase: Number(opts.seedBase),
      });
      const m = r.mean;
      console.log(
        `mean PSNR vs ${r.mode === 'pairs' ? 'real' : 'synthetic'} LR over ${r.images.length} images (${r.backend}): ` +
          `R(HR, E(LR)) ${m.reconstructed.toFixed(2)} dB | area ${m.area.toFixed(2)} | bicubic ${m.bicubic.toFixed(2)} | ` +
          `R with wrong embedding ${m.wrongEmbedding.toFixed(2)}`,
      );
      if (opts.json) await writeFile(String(opts.json), JSON.stringify(r, null, 1));
    });
}
