import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import {
  LwayError,
  BACKEND_PREFERENCE,
  selectBackend,
  getModelDefinition,
  MODEL_REGISTRY,
  MIN_TILE_SIZE,
} from '../core/index.js';
import { formatCliError } from './format-cli-error.js';
import { planUpscaleJobs } from './plan-upscale-jobs.js';
import { addUpscaleAdaptOptions } from './upscale-adapt-options.js';
import { runUpscaleWorkers } from './upscale-worker-pool.js';
import { createUpscaleRunner, type UpscaleCommandOptions, type UpscaleRunner } from './upscale-runner.js';

export type { UpscaleCommandOptions } from './upscale-runner.js';

/** A batch finished with some files failed (each was reported as it failed); the message is the summary. */
export class BatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchError';
  }
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
    .option('--overwrite', 'allow an output to replace its input file (refused otherwise)')
    .option(
      '-j, --jobs <n>',
      `images upscaled at once in a batch, each in its own worker thread (wasm and cpu use one core each; this machine has ${availableParallelism()}; on a GPU backend one at a time)`,
      parseIntOption('--jobs', 1),
      1,
    )
    .action(async (inputs: string[], options: UpscaleCommandOptions) => {
      await runUpscale(inputs, options);
    });
}

/**
 * The command's work, separate from argument parsing so it can be called directly. A batch goes on past a file
 * that fails (reported on stderr as it fails) and throws a {@link BatchError} summary at the end; a single file's
 * error is thrown as is.
 */
export async function runUpscale(inputs: string[], options: UpscaleCommandOptions): Promise<void> {
  if (!options.model) throw new LwayError('UNKNOWN_MODEL', 'No model given and the registry is empty');
  getModelDefinition(options.model); // fail fast on a typo, before touching any file
  const jobs = await planUpscaleJobs(inputs, options.output, { overwrite: options.overwrite });
  let workers = Math.min(options.jobs ?? 1, jobs.length);
  if (workers > 1) {
    // Resolved here so every worker gets the same backend; a GPU already works on one image at full width.
    const backend = await selectBackend(options.backend);
    if (backend === 'webgpu' || backend === 'webgl') {
      console.error(`lway: --jobs ${workers} does not apply on ${backend}: one image at a time on the GPU`);
      workers = 1;
    } else {
      options = { ...options, backend };
    }
  }
  let failed: string[] = [];
  if (workers > 1) {
    failed = await runUpscaleWorkers(jobs, options, workers);
  } else {
    // One runner for the batch: the model loads once, R and LPIPS with the first adapted image.
    let runner: UpscaleRunner | undefined;
    try {
      runner = await createUpscaleRunner(options);
      for (const job of jobs) {
        try {
          await runner.run(job);
        } catch (err) {
          if (jobs.length === 1) throw err;
          console.error(formatCliError(err));
          failed.push(job.input);
        }
      }
    } finally {
      await runner?.dispose();
    }
  }
  if (failed.length > 0) {
    throw new BatchError(
      `${jobs.length - failed.length} of ${jobs.length} images upscaled; ${failed.length} failed: ${failed.join(', ')}`,
    );
  }
}
