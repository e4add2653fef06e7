import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LwayError } from '../core/errors.js';
import { BACKEND_PREFERENCE, selectBackend, type BackendName } from '../core/backend/select-backend.js';
import { getModelDefinition, MODEL_REGISTRY } from '../core/models/registry.js';
import type { SrModel } from '../core/models/sr-model.js';
import { upscale } from '../core/upscale/upscale.js';
import { MIN_TILE_SIZE } from '../core/upscale/upscale-options.js';
import { loadPresetModel } from '../node/load-preset-model.js';
import { assertImagePath, IMAGE_EXTENSIONS, isImagePath, readImage, writeImage } from './image-io.js';
import {
  addUpscaleAdaptOptions,
  adaptForUpscale,
  type UpscaleAdaptCliOptions,
} from './upscale-adapt-options.js';

export interface UpscaleCommandOptions extends UpscaleAdaptCliOptions {
  readonly output: string;
  readonly model: string;
  readonly backend: BackendName | 'auto';
  readonly tile?: number;
  readonly overlap?: number;
  readonly progress: boolean;
}

/** One input file and where its result goes. */
interface Job {
  readonly input: string;
  readonly output: string;
}

function parseIntOption(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}; got ${value}`);
    return n;
  };
}

/** Registers `lway upscale <input...> -o <output> --model <id> [--backend ...] [--tile N]`. */
export function registerUpscaleCommand(program: Command): void {
  addUpscaleAdaptOptions(program.command('upscale'))
    .description(
      'Upscale images with a preset super-resolution model (PNG, JPEG, WebP; folders as batch input)',
    )
    .argument('<input...>', 'image files or folders of images')
    .requiredOption('-o, --output <path>', 'output file (one input) or folder (several inputs or a folder)')
    .option(
      '-m, --model <id>',
      `model id (${MODEL_REGISTRY.map((m) => m.id).join(', ')})`,
      MODEL_REGISTRY[0]?.id,
    )
    .addOption(
      new Option('-b, --backend <name>', 'TF.js backend')
        .choices(['auto', ...BACKEND_PREFERENCE])
        .default('auto'),
    )
    .option(
      '-t, --tile <n>',
      'input tile size in pixels (default: from the memory budget)',
      parseIntOption('--tile', MIN_TILE_SIZE),
    )
    .option('--overlap <n>', 'tile overlap in input pixels', parseIntOption('--overlap', 0))
    .option('--no-progress', 'hide the progress bar')
    .action(async (inputs: string[], options: UpscaleCommandOptions) => {
      await runUpscale(inputs, options);
    });
}

/** The command's work, separate from argument parsing so it can be called directly. */
export async function runUpscale(inputs: string[], options: UpscaleCommandOptions): Promise<void> {
  if (!options.model) throw new LwayError('UNKNOWN_MODEL', 'No model given and the registry is empty');
  getModelDefinition(options.model); // fail fast on a typo, before touching any file
  const jobs = await planJobs(inputs, options.output);
  const backend = await selectBackend(options.backend);
  let model: SrModel | undefined;
  try {
    model = await loadPresetModel(options.model);
    for (const job of jobs) {
      const start = Date.now();
      const pixels = await readImage(job.input);
      const bar =
        options.progress && process.stderr.isTTY
          ? new SingleBar(
              {
                clearOnComplete: true,
                stream: process.stderr,
                format: `${basename(job.input)} [{bar}] {value}/{total} tiles`,
              },
              Presets.shades_classic,
            )
          : undefined;
      let started = false;
      const adapted = await adaptForUpscale(model, pixels, options);
      try {
        const out = await upscale(adapted ?? model, pixels, {
          tileSize: options.tile,
          overlap: options.overlap,
          onProgress: ({ done, total }) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        });
        await mkdir(dirname(job.output), { recursive: true });
        await writeImage(job.output, out);
        bar?.stop();
        console.log(
          `${job.input} (${pixels.width}x${pixels.height}) -> ${job.output} (${out.width}x${out.height}) ` +
            `with ${model.id} on ${backend} in ${((Date.now() - start) / 1000).toFixed(2)} s`,
        );
      } finally {
        bar?.stop();
        adapted?.dispose();
      }
    }
  } finally {
    model?.dispose();
  }
}

/** Expands folders; one file input writes to `output` as a file, anything else into `output` as a folder. */
async function planJobs(inputs: string[], output: string): Promise<Job[]> {
  const files: string[] = [];
  let sawFolder = false;
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new LwayError('BAD_INPUT', `${input}: no such file or folder`);
    if (info.isDirectory()) {
      sawFolder = true;
      const names = (await readdir(input)).filter(isImagePath).sort();
      if (names.length === 0) {
        throw new LwayError('BAD_INPUT', `${input}: folder holds no ${IMAGE_EXTENSIONS.join('/')} images`);
      }
      files.push(...names.map((n) => join(input, n)));
    } else {
      assertImagePath(input);
      files.push(input);
    }
  }
  if (files.length === 1 && !sawFolder) {
    const outInfo = await stat(output).catch(() => undefined);
    if (outInfo?.isDirectory()) return [{ input: files[0], output: join(output, basename(files[0])) }];
    assertImagePath(output, 'output');
    return [{ input: files[0], output }];
  }
  if (isImagePath(output)) {
    throw new LwayError(
      'BAD_INPUT',
      `output ${output} must be a folder when there are ${files.length} inputs`,
    );
  }
  const seen = new Set<string>();
  return files.map((input) => {
    const out = join(output, basename(input));
    if (seen.has(out)) throw new LwayError('BAD_INPUT', `two inputs would both write ${out}`);
    seen.add(out);
    return { input, output: out };
  });
}
