import { readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BACKEND_PREFERENCE, selectBackend, type BackendName } from '../core/backend/select-backend.js';
import { isDegradationPresetName, DEGRADATION_PRESET_NAMES } from '../core/degrade/degradation-presets.js';
import type { DegradationPresetName } from '../core/degrade/degradation-presets.js';
import { LwayError } from '../core/errors.js';
import { EVAL_SEED_BASE, evaluateStage1, type Stage1EvalSummary } from '../core/lway/stage1-evaluation.js';
import { loadStage1 } from '../core/lway/stage1-networks.js';
import { fileFetchBytes } from '../node/lpips-weights.js';
import { isImagePath, readImage } from './image-io.js';

export interface EvalDegradationOptions {
  /** Folder holding weights.json (or the file named by `file`). */
  readonly model: string;
  readonly file?: string;
  readonly data: string;
  readonly preset?: DegradationPresetName;
  readonly seedBase?: number;
  readonly maxImages?: number;
  readonly backend?: BackendName | 'auto';
  readonly quiet?: boolean;
}

/** Held-out PSNR of R(HR, E(LR)) vs LR and the baselines, over the images of `data` (default Kodak24). */
export async function runEvalDegradation(
  o: EvalDegradationOptions,
): Promise<Stage1EvalSummary & { backend: BackendName }> {
  const backend = await selectBackend(o.backend ?? 'auto');
  const names = (await readdir(o.data))
    .filter(isImagePath)
    .sort()
    .slice(0, o.maxImages ?? Infinity);
  if (names.length < 2)
    throw new LwayError('BAD_INPUT', `${o.data} needs at least 2 images; found ${names.length}`);
  const images = await Promise.all(
    names.map(async (n) => ({ name: basename(n), pixels: await readImage(join(o.data, n)) })),
  );
  const nets = await loadStage1(fileFetchBytes(o.model), { file: o.file ?? 'weights.json' });
  try {
    const summary = await evaluateStage1(nets, images, {
      preset: o.preset,
      seedBase: o.seedBase ?? EVAL_SEED_BASE,
      onImage: (r, i, n) => {
        if (!o.quiet) {
          console.error(
            `[${i + 1}/${n}] ${r.name}: R ${r.reconstructed.toFixed(2)} dB | area ${r.area.toFixed(2)} | bicubic ${r.bicubic.toFixed(2)} | wrong e ${r.wrongEmbedding.toFixed(2)}`,
          );
        }
      },
    });
    return { ...summary, backend };
  } finally {
    for (const t of Object.values(nets.extra)) t.dispose();
    nets.encoder.dispose();
    nets.reconstructor.dispose();
  }
}

/** Registers `lway eval-degradation`. */
export function registerEvalDegradationCommand(program: Command): void {
  program
    .command('eval-degradation')
    .description(
      'held-out PSNR of the stage-1 reconstructor R(HR, E(LR)) vs LR, with downscale and wrong-embedding baselines',
    )
    .requiredOption('--model <dir>', 'folder with weights.json, e.g. models/lway-degradation/x4')
    .option('--file <name>', 'manifest file inside --model', 'weights.json')
    .option('--data <dir>', 'HR images (held out from training)', '../shared/data/eval/kodak24')
    .addOption(
      new Option('--preset <name>', 'degradation preset')
        .choices(DEGRADATION_PRESET_NAMES)
        .default('realesrgan'),
    )
    .option('--seed-base <n>', 'first degradation seed', String(EVAL_SEED_BASE))
    .option('--max-images <n>', 'evaluate only the first n images')
    .addOption(
      new Option('--backend <name>', 'TF.js backend')
        .choices(['auto', ...BACKEND_PREFERENCE])
        .default('auto'),
    )
    .option('--json <path>', 'write per-image results as JSON')
    .action(async (opts: Record<string, string | undefined>) => {
      const preset = opts.preset ?? 'realesrgan';
      if (!isDegradationPresetName(preset)) throw new LwayError('BAD_INPUT', `unknown preset ${preset}`);
      const r = await runEvalDegradation({
        model: resolve(opts.model!),
        file: opts.file,
        data: opts.data!,
        preset,
        seedBase: Number(opts.seedBase),
        maxImages: opts.maxImages ? Number(opts.maxImages) : undefined,
        backend: opts.backend as BackendName | 'auto',
      });
      const m = r.mean;
      console.log(
        `mean PSNR vs LR over ${r.images.length} images (${r.backend}): R(HR, E(LR)) ${m.reconstructed.toFixed(2)} dB | ` +
          `area ${m.area.toFixed(2)} | bicubic ${m.bicubic.toFixed(2)} | R with wrong embedding ${m.wrongEmbedding.toFixed(2)}`,
      );
      if (opts.json) await writeFile(opts.json, JSON.stringify(r, null, 1));
    });
}
