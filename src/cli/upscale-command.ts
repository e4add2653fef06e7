import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { basename } from 'node:path';
import {
  LwayError,
  BACKEND_PREFERENCE,
  selectBackend,
  type BackendName,
  defaultCorrection,
  type AdaptSession,
  getModelDefinition,
  MODEL_REGISTRY,
  type SrModel,
  upscaleFinished,
  MIN_TILE_SIZE,
} from '../core/index.js';
import { loadPresetModel, createNodeAdaptSession } from '../node/index.js';
import { formatCliError } from './format-cli-error.js';
import { readImage } from './image-io.js';
import { planUpscaleJobs } from './plan-upscale-jobs.js';
import {
  addUpscaleAdaptOptions,
  adaptForUpscale,
  type UpscaleAdaptCliOptions,
} from './upscale-adapt-options.js';
import { writeOutput } from './write-output.js';

export interface UpscaleCommandOptions extends UpscaleAdaptCliOptions {
  readonly output: string;
  readonly model: string;
  readonly backend: BackendName | 'auto';
  readonly tile?: number;
  readonly overlap?: number;
  readonly progress: boolean;
  /** Allow an output to replace an input file (refused otherwise, before any work). */
  readonly overwrite?: boolean;
}

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
  const backend = await selectBackend(options.backend);
  const failed: string[] = [];
  let model: SrModel | undefined;
  // One session for the batch: R and LPIPS load once, on the first image.
  const session = options.adapt
    ? createNodeAdaptSession({
        choice: options.operator,
        stage1Dir: options.stage1,
        blurSigma: options.adaptBlur,
      })
    : undefined;
  try {
    model = await loadPresetModel(options.model);
    for (const job of jobs) {
      try {
        await upscaleOne(model, job, backend, options, session);
      } catch (err) {
        if (jobs.length === 1) throw err;
        console.error(formatCliError(err));
        failed.push(job.input);
      }
    }
  } finally {
    model?.dispose();
    await session?.dispose();
  }
  if (failed.length > 0) {
    throw new BatchError(
      `${jobs.length - failed.length} of ${jobs.length} images upscaled; ${failed.length} failed: ${failed.join(', ')}`,
    );
  }
}

/** A progress bar on stderr (a terminal only; hidden with --no-progress). */
function progressBar(options: UpscaleCommandOptions, format: string): SingleBar | undefined {
  if (!options.progress || !process.stderr.isTTY) return undefined;
  return new SingleBar({ clearOnComplete: true, stream: process.stderr, format }, Presets.shades_classic);
}

/** Drives `bar` from (done, total) updates, starting it on the first one. */
function tracker(bar: SingleBar | undefined): (done: number, total: number) => void {
  let started = false;
  return (done, total) => {
    if (!bar) return;
    if (!started) {
      bar.start(total, 0);
      started = true;
    }
    bar.update(done);
  };
}

async function upscaleOne(
  model: SrModel,
  job: { input: string; output: string },
  backend: string,
  options: UpscaleCommandOptions,
  session: AdaptSession | undefined,
): Promise<void> {
  const start = Date.now();
  const pixels = await readImage(job.input);
  const name = basename(job.input);
  const adaptBar = progressBar(options, `${name} adapting [{bar}] {value}/{total} steps`);
  const lease = session
    ? await adaptForUpscale(session, model, pixels, options, tracker(adaptBar)).finally(() =>
        adaptBar?.stop(),
      )
    : undefined;
  const bar = progressBar(options, `${name} [{bar}] {value}/{total} tiles`);
  const onTiles = tracker(bar);
  try {
    // The quick fix is fitted on the whole image (its LR against the whole output, after tiling); alpha is kept.
    const correction = options.correct ?? defaultCorrection(lease !== undefined);
    const guarded = lease !== undefined && lease.model !== model && options.flatGuard !== false;
    const fixed = await upscaleFinished(lease?.model ?? model, pixels, {
      tileSize: options.tile,
      overlap: options.overlap,
      correction,
      ...(guarded ? { guardAgainst: model } : {}),
      onProgress: ({ done, total }) => onTiles(done, total),
    });
    bar?.stop();
    await writeOutput(job.output, fixed);
    console.log(
      `${job.input} (${pixels.width}x${pixels.height}) -> ${job.output} (${fixed.width}x${fixed.height}) ` +
        `with ${model.id}${lease ? ` adapted (${lease.report?.stepsRun ?? 0} steps)` : ''}` +
        `${correction === 'none' ? '' : `, ${correction} correction`}${guarded ? ', flat regions guarded' : ''} on ${backend} in ` +
        `${((Date.now() - start) / 1000).toFixed(2)} s`,
    );
  } finally {
    bar?.stop();
    lease?.release();
  }
}
