import { SingleBar, Presets } from 'cli-progress';
import { basename } from 'node:path';
import {
  selectBackend,
  type BackendName,
  defaultCorrection,
  type AdaptSession,
  type SrModel,
  upscaleFinished,
} from '../core/index.js';
import { loadPresetModel, createNodeAdaptSession } from '../node/index.js';
import { readImage } from './image-io.js';
import { adaptForUpscale, type UpscaleAdaptCliOptions } from './upscale-adapt-options.js';
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
  /** Images upscaled at once, each in its own worker thread (default 1: in this thread). */
  readonly jobs?: number;
}

/** One input file and where its result goes. */
export interface UpscaleJob {
  readonly input: string;
  readonly output: string;
}

/** Upscales jobs one after another with one model, backend and adaptation session, loaded once. */
export interface UpscaleRunner {
  run(job: UpscaleJob): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Selects the backend and loads the model (runUpscale has checked its id); R and LPIPS load with the first adapted
 * image.
 */
export async function createUpscaleRunner(options: UpscaleCommandOptions): Promise<UpscaleRunner> {
  const backend = await selectBackend(options.backend);
  const model = await loadPresetModel(options.model);
  const session = options.adapt
    ? createNodeAdaptSession({
        choice: options.operator,
        stage1Dir: options.stage1,
        blurSigma: options.adaptBlur,
      })
    : undefined;
  return {
    run: (job) => upscaleOne(model, job, backend, options, session),
    async dispose() {
      model.dispose();
      await session?.dispose();
    },
  };
}

/** A progress bar on stderr (a terminal only; hidden with --no-progress). */
export function progressBar(options: UpscaleCommandOptions, format: string): SingleBar | undefined {
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
  job: UpscaleJob,
  backend: string,
  options: UpscaleCommandOptions,
  session: AdaptSession | undefined,
): Promise<void> {
  const start = Date.now();
  const pixels = await readImage(job.input);
  const name = basename(job.input);
  const adaptBar = progressBar(options, `${name} adapting [{bar}] {value}/{total} steps`);
  const lease = session
    ? await adaptForUpscale(session, model, pixels, options, tracker(adaptBar), name).finally(() =>
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
